// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A GRU on flat features: it reads a sequence of (timesteps, features).
// expected-error: LSTM, GRU and SimpleRNN take \(timesteps, features\) samples \(rank 2\), and the layer before gives another rank \[C1\]
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<30, 4>, fc::GRU<32>, fc::Dense<1>>;
#else
using Net = fc::Sequential<fc::Input<120>, fc::GRU<32>, fc::Dense<1>>;
#endif
Net net;
