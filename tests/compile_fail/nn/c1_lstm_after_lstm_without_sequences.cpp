// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two stacked LSTMs, the first returning only its last step: the second has no sequence to read
// (Keras: "expected ndim=3, found ndim=2").
// expected-error: LSTM, GRU and SimpleRNN take \(timesteps, features\) samples \(rank 2\), and the layer before gives another rank \[C1\]
// expected-error: Fix: after a recurrent layer that returns only its last step, give that one fc::return_sequences
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<100>, fc::Embedding<5000, 32>,
                           fc::LSTM<64, fc::return_sequences>, fc::LSTM<32>, fc::Dense<1>,
                           fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<100>, fc::Embedding<5000, 32>, fc::LSTM<64>, fc::LSTM<32>,
                           fc::Dense<1>, fc::Sigmoid>;
#endif
Net net;
