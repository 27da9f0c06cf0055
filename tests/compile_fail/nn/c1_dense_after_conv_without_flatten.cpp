// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dense after a convolution needs Flatten or a global pooling; the message says where.
// expected-error: layer_at<2, [^ ]*Dense<2>.*Dense: the input must be a flat vector \(rank 1\).*Fix: put Flatten before Dense, or GlobalAveragePooling2D
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, 3>, nn::ReLU, nn::GlobalAveragePooling2D, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, 3>, nn::ReLU, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
