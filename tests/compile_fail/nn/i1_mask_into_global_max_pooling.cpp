// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A recurrent layer returning every step hands the mask on; GlobalMaxPooling1D would take the
// maximum over the padded steps too (Keras' GlobalMaxPooling1D ignores the mask).
// expected-error: the padding mask of an Embedding with fc::mask_zero \(or of Masking\) reaches a layer that cannot skip padded steps
// expected-error: (Position = 3; Layer = |mask_fits<3(UL)?, ).*global_max_pooling_1d_name
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Pool = fc::GlobalAveragePooling1D;
#else
using Pool = fc::GlobalMaxPooling1D;
#endif
using Net = fc::Sequential<fc::Input<50>, fc::Embedding<1000, 8, fc::mask_zero>,
                           fc::GRU<16, fc::return_sequences>, fc::Tanh, Pool, fc::Dense<1>,
                           fc::Sigmoid>;
Net net;
