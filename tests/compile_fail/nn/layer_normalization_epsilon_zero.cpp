// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LayerNormalization with epsilon 0: a constant sample would divide by zero.
// expected-error: LayerNormalization: epsilon must be positive.*Fix: std::ratio<1, 1000>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Norm = nn::LayerNormalization<std::ratio<1, 1000>>;
#else
using Norm = nn::LayerNormalization<std::ratio<0>>;
#endif
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, Norm, nn::ReLU, nn::Dense<3>, nn::Softmax>;

std::size_t parameters() { return Net::param_count; }
