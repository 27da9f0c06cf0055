// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LayerNormalization's epsilon given as something other than a std::ratio.
// expected-error: LayerNormalization<Epsilon>: Epsilon must be a std::ratio.*Fix: LayerNormalization<std::ratio<1, 100000>>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Norm = nn::LayerNormalization<std::ratio<1, 100000>>;
#else
using Norm = nn::LayerNormalization<double>;
#endif
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, Norm, nn::ReLU, nn::Dense<3>, nn::Softmax>;

std::size_t parameters() { return Net::param_count; }
