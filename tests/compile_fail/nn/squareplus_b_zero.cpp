// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: SquarePlus<B>: b must be > 0 \(with b = 0 it is ReLU.*Fix: SquarePlus<std::ratio<4>>, Keras' default, or ReLU
#include <ratio>

#include <fitcheck/nn/activation_functions.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::SquarePlus<std::ratio<1>>>;
#else
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::SquarePlus<std::ratio<0>>>;
#endif

std::size_t parameters() { return Net::param_count; }
