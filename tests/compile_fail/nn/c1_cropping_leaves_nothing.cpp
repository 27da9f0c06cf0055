// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Cropping 3 rows from the top and from the bottom of a 6-row map leaves no row.
// expected-error: Cropping1D / Cropping2D: the cropping removes every row or column of the input, leaving nothing \[C1\]
// expected-error: Fix: crop less than the input.s extent
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping2D<2, 3>, fc::Flatten, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping2D<3, 3>, fc::Flatten, fc::Dense<2>>;
#endif
Net net;
