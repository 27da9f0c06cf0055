// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A depthwise convolution with a depth multiplier of 0: no filter for any channel.
// expected-error: DepthwiseConv2D / DepthwiseConv1D: a depth multiplier of 0 gives no output channels.*Fix: DepthMultiplier 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t multiplier = 1;
#else
constexpr std::size_t multiplier = 0;
#endif
using Net = fc::Sequential<fc::Input<8, 8, 3>,
                           fc::DepthwiseConv2D<3, 1, fc::padding::same, multiplier>, fc::ReLU,
                           fc::Conv2D<8, 1>, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
