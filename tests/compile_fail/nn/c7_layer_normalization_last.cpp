// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LayerNormalization after the output activation: each sample's outputs standardised.
// expected-error: LayerNormalization. as the last layer standardises the model.s outputs.*\[C7\].*Fix: put it before the activation
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::LayerNormalization<>, nn::ReLU, nn::Dense<3>, nn::Softmax>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::ReLU, nn::Dense<3>, nn::Softmax, nn::LayerNormalization<>>;
#endif

std::size_t parameters() { return Net::param_count; }
