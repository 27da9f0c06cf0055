// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A negative standard deviation is no standard deviation.
// expected-error: GaussianNoise<Stddev>: a standard deviation cannot be negative
// expected-error: Fix: GaussianNoise<std::ratio<N, D>> with N >= 0
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::GaussianNoise<std::ratio<1, 10>>, fc::Dense<2>>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::GaussianNoise<std::ratio<-1, 10>>, fc::Dense<2>>;
#endif
Net net;
