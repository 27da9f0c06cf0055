// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Momentum and epsilon are std::ratio types.
// expected-error: BatchNormalization<Momentum, Epsilon>: both must be std::ratio values \(a float cannot be a type\)
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<>, nn::ReLU, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<float>, nn::ReLU, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
