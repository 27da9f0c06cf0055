// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// ZeroPadding1D takes Keras' int or (left, right) pair.
// expected-error: ZeroPadding1D<\.\.\.>: 1 value \(both ends\) or 2 \(left, right\)
// expected-error: Fix: ZeroPadding1D<1> or ZeroPadding1D<2, 1>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8, 2>, fc::ZeroPadding1D<2, 1>, fc::Flatten, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<8, 2>, fc::ZeroPadding1D<2, 1, 1>, fc::Flatten, fc::Dense<2>>;
#endif
Net net;
