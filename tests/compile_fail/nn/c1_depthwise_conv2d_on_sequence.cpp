// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A 2-D depthwise convolution on (length, channels) sequences: it needs (height, width, channels).
// expected-error: Conv2D, DepthwiseConv2D, the 2-D pooling layers, ZeroPadding2D and UpSampling2D take \(height, width, channels\) samples \(rank 3\).*\[C1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::DepthwiseConv1D<3>;
#else
using Layer = fc::DepthwiseConv2D<3>;
#endif
using Net = fc::Sequential<fc::Input<16, 4>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
