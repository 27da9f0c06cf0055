// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An Embedding with mask_zero into Flatten: Flatten cannot skip padded steps, so the padding would
// reach Dense as data (Keras only warns that the mask is lost).
// expected-error: the padding mask of an Embedding with fc::mask_zero \(or of Masking\) reaches a layer that cannot skip padded steps
// expected-error: \[I1\]. Fix: put LSTM, GRU, Bidirectional or GlobalAveragePooling1D between the Embedding and this layer
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<100>, fc::Embedding<5000, 16, fc::mask_zero>,
                           fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<100>, fc::Embedding<5000, 16, fc::mask_zero>, fc::Flatten,
                           fc::Dense<1>, fc::Sigmoid>;
#endif
fc::Model<Net, fc::loss::BinaryCrossentropy> model{fc::optim::Adam{}};
