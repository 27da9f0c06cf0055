// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Bidirectional around a layer that does not read sequences.
// expected-error: Bidirectional<Layer>: Layer must be a recurrent layer, LSTM<Units>, GRU<Units> or SimpleRNN<Units>
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<30, 4>, fc::Bidirectional<fc::GRU<16>>, fc::Dense<1>>;
#else
using Net = fc::Sequential<fc::Input<30, 4>, fc::Bidirectional<fc::Dense<16>>, fc::Dense<1>>;
#endif
Net net;
