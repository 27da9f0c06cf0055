// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A model that ends while the mask is still on its steps: the loss would count the padding.
// expected-error: the padding mask of an Embedding with fc::mask_zero \(or of Masking\) reaches the model's output
// expected-error: Fix: end the sequence with LSTM or GRU \(without return_sequences\) or GlobalAveragePooling1D
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<20>, fc::Embedding<100, 8, fc::mask_zero>, fc::LSTM<4>>;
#else
using Net = fc::Sequential<fc::Input<20>, fc::Embedding<100, 8, fc::mask_zero>,
                           fc::LSTM<4, fc::return_sequences>>;
#endif
Net net;
