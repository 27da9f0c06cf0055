// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Cropping1D cuts steps of a sequence; an image's rows and columns are Cropping2D's.
// expected-error: Cropping1D takes \(steps, channels\) samples \(rank 2\) and Cropping2D \(height, width, channels\) ones \(rank 3\), and the layer before gives another rank \[C1\]
// expected-error: Fix: the Cropping layer of the input.s rank
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping2D<1>, fc::Flatten, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping1D<1>, fc::Flatten, fc::Dense<2>>;
#endif
Net net;
