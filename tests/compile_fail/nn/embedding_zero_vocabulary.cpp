// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An Embedding of no tokens.
// expected-error: Embedding<Vocabulary, Dim>: both must be at least 1\. Fix: Vocabulary = the number of distinct tokens
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<20>, fc::Embedding<1000, 8>, fc::GlobalAveragePooling1D,
                           fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<20>, fc::Embedding<0, 8>, fc::GlobalAveragePooling1D,
                           fc::Dense<1>, fc::Sigmoid>;
#endif
Net net;
