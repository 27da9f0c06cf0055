// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Probabilities never exceed 1: a threshold of 3/2 predicts nothing, and every score is 0.
// expected-error: FBetaScore / F1Score: the threshold must be a std::ratio in \(0, 1\], or void for each sample.s largest output
// expected-error: Fix: F1Score<average::macro, std::ratio<1, 2>>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
fm::F1Score<fm::average::micro, std::ratio<1, 2>> f1;
#else
fm::F1Score<fm::average::micro, std::ratio<3, 2>> f1;
#endif
