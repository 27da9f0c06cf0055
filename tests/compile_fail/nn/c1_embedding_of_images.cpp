// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Embedding on images: it reads a flat sequence of token indices.
// expected-error: Embedding: the input must be a flat sequence of token indices \(rank 1\), but the layer before gives a rank-2 or higher sample \[C1\]
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<28, 28>, fc::Flatten, fc::Embedding<256, 8>,
                           fc::GlobalAveragePooling1D, fc::Dense<10>, fc::Softmax>;
#else
using Net = fc::Sequential<fc::Input<28, 28>, fc::Embedding<256, 8>,
                           fc::GlobalAveragePooling1D, fc::Dense<10>, fc::Softmax>;
#endif
Net net;
