// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// RepeatVector<0> would give a sequence of no steps.
// expected-error: RepeatVector<0> repeats the vector no times, leaving nothing
// expected-error: Fix: RepeatVector<N> with N >= 1, the steps the next layer reads
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<6>, fc::RepeatVector<3>, fc::LSTM<4>>;
#else
using Net = fc::Sequential<fc::Input<6>, fc::RepeatVector<0>, fc::LSTM<4>>;
#endif
Net net;
