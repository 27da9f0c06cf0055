// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A GRU whose dropout rate is 1: every input dropped (Keras would silently drop none).
// expected-error: LSTM, GRU, SimpleRNN: a dropout rate must lie in \[0, 1\).*Fix: std::ratio<N, D> with 0 <= N < D
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Recurrent = fc::GRU<16, fc::return_sequences, std::ratio<1, 2>>;
#else
using Recurrent = fc::GRU<16, fc::return_sequences, std::ratio<2, 2>>;
#endif
using Net = fc::Sequential<fc::Input<10>, fc::Embedding<50, 8>, Recurrent,
                           fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
