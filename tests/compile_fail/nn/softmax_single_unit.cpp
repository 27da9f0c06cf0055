// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// C3: softmax over one unit is the constant 1.
// expected-error: Softmax over a single unit always outputs 1.0, so nothing can be learned \[C3\].*Fix: Dense<1>, Sigmoid for two classes
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<4>, nn::Dense<1>, nn::Sigmoid>;
#else
using Net = nn::Sequential<nn::Input<4>, nn::Dense<1>, nn::Softmax>;
#endif

std::size_t parameters() { return Net::param_count; }
