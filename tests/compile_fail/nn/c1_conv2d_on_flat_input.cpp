// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Conv2D takes (height, width, channels): a 784-value vector, or a one-channel image written without its channel, is rejected with the fix.
// expected-error: Conv2D, DepthwiseConv2D, the 2-D pooling layers, ZeroPadding2D and UpSampling2D take \(height, width, channels\) samples \(rank 3\).*\[C1\].*Fix: Input<28, 28, 1> for one-channel images, or Reshape<H, W, C>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<28, 28, 1>, nn::Conv2D<8, 3>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<28, 28>, nn::Conv2D<8, 3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
