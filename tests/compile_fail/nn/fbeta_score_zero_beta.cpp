// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A beta of 0 is precision alone, which Keras refuses too (beta must be > 0).
// expected-error: FBetaScore<Beta>: beta must be a std::ratio > 0
// expected-error: Fix: FBetaScore<std::ratio<2>> weighs recall twice, F1Score for beta = 1
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
fm::FBetaScore<std::ratio<1, 2>> score;
#else
fm::FBetaScore<std::ratio<0>> score;
#endif
