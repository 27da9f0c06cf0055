// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A branch that starts with an Input of its own: a branch reads its block's input.
// expected-error: Branch: a branch starts from the input of its merge block, so it takes no Input.*Fix: leave Input out
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Block = fc::Concatenate<fc::Branch<fc::Dense<8>, fc::ReLU>, fc::Dense<4>>;
#else
using Block = fc::Concatenate<fc::Branch<fc::Input<16>, fc::Dense<8>, fc::ReLU>, fc::Dense<4>>;
#endif
using Net = fc::Sequential<fc::Input<16>, Block, fc::Dense<1>, fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
