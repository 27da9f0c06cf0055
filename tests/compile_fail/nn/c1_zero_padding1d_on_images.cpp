// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// ZeroPadding1D pads the steps of a sequence; an image needs ZeroPadding2D [C1].
// expected-error: ZeroPadding1D takes \(steps, channels\) samples \(rank 2\), and the layer before gives another rank \[C1\]
// expected-error: Fix: ZeroPadding2D for images
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::ZeroPadding2D<1>, fc::Flatten, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<6, 8, 2>, fc::ZeroPadding1D<1>, fc::Flatten, fc::Dense<2>>;
#endif
Net net;
