// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An LSTM whose recurrent dropout is given as a type that is not a std::ratio.
// expected-error: LSTM, GRU, SimpleRNN<Units, Output, DropoutRate, RecurrentDropoutRate>: a dropout rate must be a std::ratio.*Fix: LSTM<64, fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Recurrent = fc::LSTM<16, fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>>;
#else
using Recurrent = fc::LSTM<16, fc::last_step, std::ratio<1, 5>, double>;
#endif
using Net = fc::Sequential<fc::Input<10>, fc::Embedding<50, 8>, Recurrent, fc::Dense<1>,
                           fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
