// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Masking marks steps of (timesteps, features) samples; flat features have no steps to mark.
// expected-error: Masking takes \(timesteps, features\) samples \(rank 2\)
// expected-error: \[C1\]. Fix: Input<Timesteps, Features>, or Embedding<V, D, fc::mask_zero> for token indices
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<20, 3>, fc::Masking<>, fc::LSTM<8>, fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<60>, fc::Masking<>, fc::LSTM<8>, fc::Dense<1>, fc::Sigmoid>;
#endif
Net net;
