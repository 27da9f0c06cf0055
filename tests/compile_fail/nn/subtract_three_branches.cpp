// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Subtract of three branches: Keras' Subtract takes exactly two (the first minus the second).
// expected-error: Subtract: the difference of exactly two branches.*Fix: Subtract<Branch<...>, Branch<...>>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Block = fc::Subtract<fc::Dense<8>, fc::Branch<fc::Dense<8>, fc::Tanh>>;
#else
using Block = fc::Subtract<fc::Dense<8>, fc::Branch<fc::Dense<8>, fc::Tanh>, fc::Identity>;
#endif
using Net = fc::Sequential<fc::Input<8>, Block, fc::Dense<1>, fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
