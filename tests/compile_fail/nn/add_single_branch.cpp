// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An Add of one branch: nothing to add it to (the shortcut was forgotten).
// expected-error: Add / Concatenate: a merge block needs at least two branches.*Fix: Add<Identity, Branch<...>> \(or Residual<...>\)
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Block = fc::Add<fc::Identity, fc::Branch<fc::Dense<32>, fc::ReLU, fc::Dense<32>>>;
#else
using Block = fc::Add<fc::Branch<fc::Dense<32>, fc::ReLU, fc::Dense<32>>>;
#endif
using Net = fc::Sequential<fc::Input<32>, Block, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
