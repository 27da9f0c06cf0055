// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// RepeatVector repeats a vector; a sequence must be summarised first.
// expected-error: RepeatVector<N>: the input must be a flat vector \(rank 1\), but the layer before gives a rank-2 or higher sample \[C1\]
// expected-error: Fix: Flatten \(or an LSTM without return_sequences\) before it
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6, 3>, fc::LSTM<8>, fc::RepeatVector<6>>;
#else
using Net = fc::Sequential<fc::Input<6, 3>, fc::LSTM<8, fc::return_sequences>, fc::RepeatVector<6>>;
#endif
Net net;
