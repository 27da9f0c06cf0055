// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: HardShrink / SoftShrink<Threshold>: a negative threshold leaves no band to shrink.*Fix: a std::ratio >= 0
#include <ratio>

#include <fitcheck/nn/activation_functions.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::SoftShrink<std::ratio<1, 4>>>;
#else
using Net = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::SoftShrink<std::ratio<-1, 4>>>;
#endif

std::size_t parameters() { return Net::param_count; }
