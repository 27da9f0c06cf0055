// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// UpSampling2D after a Conv1D: the sequence has no height to repeat (UpSampling1D is its layer).
// expected-error: Conv2D, DepthwiseConv2D, the 2-D pooling layers, ZeroPadding2D and UpSampling2D take \(height, width, channels\) samples \(rank 3\).*\[C1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Up = fc::UpSampling1D<2>;
#else
using Up = fc::UpSampling2D<2>;
#endif
using Net = fc::Sequential<fc::Input<16, 3>, fc::Conv1D<8, 3>, Up, fc::Conv1D<4, 3>, fc::Flatten,
                           fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
