// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An LSTM of no units.
// expected-error: LSTM<Units>, GRU<Units>, SimpleRNN<Units>: a layer of 0 units outputs nothing\. Fix: Units >= 1
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<20, 4>, fc::LSTM<16>, fc::Dense<1>>;
#else
using Net = fc::Sequential<fc::Input<20, 4>, fc::LSTM<0>, fc::Dense<1>>;
#endif
Net net;
