// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: CELU<Alpha>: alpha must be > 0 \(x / alpha is taken\).*Fix: CELU<std::ratio<N, D>> with N / D > 0
#include <ratio>

#include <fitcheck/nn/activation_functions.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::CELU<std::ratio<1, 2>>>;
#else
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::CELU<std::ratio<0>>>;
#endif

std::size_t parameters() { return Net::param_count; }
