// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// With both weights 0 the loss is 1 - I / (I + 1e-7): it ignores every error the model makes.
// expected-error: Tversky: alpha and beta must be std::ratio values >= 0, not both 0
// expected-error: Fix: Tversky<std::ratio<1, 2>, std::ratio<1, 2>>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
fl::Tversky<std::ratio<0>, std::ratio<1>> loss;
#else
fl::Tversky<std::ratio<0>, std::ratio<0>> loss;
#endif
