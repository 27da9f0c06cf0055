// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Masking's value is a type: a std::ratio, not a number.
// expected-error: Masking<Value>: Value must be a std::ratio \(a float cannot be a type\)
// expected-error: Fix: Masking<> for 0, Masking<std::ratio<-1>> for -1
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

#ifdef FITCHECK_EXPECT_PASS
using Pad = std::ratio<-1>;
#else
using Pad = int;
#endif
using Net = fc::Sequential<fc::Input<20, 3>, fc::Masking<Pad>, fc::GRU<8>, fc::Dense<1>, fc::Sigmoid>;
Net net;
