// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Cropping2D takes Keras' int, (rows, columns) pair or per-side values: 1, 2 or 4.
// expected-error: Cropping1D<\.\.\.>: 1 value \(both ends\) or 2 \(left, right\); Cropping2D<\.\.\.>: 1 \(every side\), 2 \(rows, columns\) or 4 \(top, bottom, left, right\)
// expected-error: Fix: Cropping2D<2> or Cropping2D<2, 1>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping2D<1, 2>, fc::Flatten, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::Cropping2D<1, 2, 1>, fc::Flatten, fc::Dense<2>>;
#endif
Net net;
