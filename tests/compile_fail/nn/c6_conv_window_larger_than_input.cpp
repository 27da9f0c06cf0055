// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A valid 5x5 window cannot fit a 4x4 input after two poolings: the message names the sizes and the layer's position.
// expected-error: layer_at<2, [^ ]*Conv2D<8.*a convolution or pooling window \(with its dilation\) is larger than its input \[C6\].*Fix: a smaller window.*padding::same
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<16, 16, 1>, nn::MaxPooling2D<>, nn::MaxPooling2D<>, nn::Conv2D<8, 5, 1, nn::padding::same>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<16, 16, 1>, nn::MaxPooling2D<>, nn::MaxPooling2D<>, nn::Conv2D<8, 5>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
