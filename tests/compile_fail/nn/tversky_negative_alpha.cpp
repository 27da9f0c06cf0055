// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A negative weight on false positives rewards them: the loss falls as the model says yes to all.
// expected-error: Tversky: alpha and beta must be std::ratio values >= 0, not both 0
// expected-error: Fix: Tversky<std::ratio<1, 2>, std::ratio<1, 2>>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
fl::Tversky<std::ratio<3, 10>, std::ratio<7, 10>> loss;
#else
fl::Tversky<std::ratio<-3, 10>, std::ratio<7, 10>> loss;
#endif
