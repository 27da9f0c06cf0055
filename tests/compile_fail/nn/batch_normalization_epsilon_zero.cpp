// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An epsilon of 0 divides by zero on a constant channel.
// expected-error: BatchNormalization: epsilon must be positive.*Fix: std::ratio<1, 1000>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<std::ratio<99, 100>, std::ratio<1, 100000>>, nn::ReLU, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<std::ratio<99, 100>, std::ratio<0>>, nn::ReLU, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
