// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A recurrent layer reads the steps itself: wrapping it would run it on single steps.
// expected-error: TimeDistributed<Layer>: the layer reads the steps of a sequence itself \(a recurrent layer, an Embedding, Masking\) or has branches of its own
// expected-error: Fix: use the layer without TimeDistributed
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<4, 6>, fc::TimeDistributed<fc::Dense<5>>>;
#else
using Net = fc::Sequential<fc::Input<4, 6, 3>, fc::TimeDistributed<fc::LSTM<5>>>;
#endif
Net net;
