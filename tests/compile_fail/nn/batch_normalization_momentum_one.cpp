// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A momentum of 1 never learns the moving statistics.
// expected-error: BatchNormalization: the momentum must lie in \[0, 1\).*Fix: std::ratio<99, 100>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<std::ratio<9, 10>>, nn::ReLU, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::BatchNormalization<std::ratio<1>>, nn::ReLU, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
