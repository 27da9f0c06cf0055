// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// TimeDistributed over a flat vector: there are no steps to apply the layer to.
// expected-error: TimeDistributed<Layer>: the input must be a sequence of steps \(rank 2 or more: steps first\), but the layer before gives a flat vector \[C1\]
// expected-error: Fix: apply the layer itself, without TimeDistributed, or RepeatVector<N> first
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<5, 2>, fc::LSTM<8>, fc::RepeatVector<4>,
                           fc::TimeDistributed<fc::Dense<3>>>;
#else
using Net = fc::Sequential<fc::Input<5, 2>, fc::LSTM<8>, fc::TimeDistributed<fc::Dense<3>>>;
#endif
Net net;
