// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// BatchNormalization after the output activation.
// expected-error: BatchNormalization .or LayerNormalization. as the last layer standardises the model.s outputs.*\[C7\].*Fix: put it before the activation
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<>, nn::ReLU, nn::Dense<3>, nn::Softmax>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::ReLU, nn::Dense<3>, nn::Softmax, nn::BatchNormalization<>>;
#endif

std::size_t parameters() { return Net::param_count; }
