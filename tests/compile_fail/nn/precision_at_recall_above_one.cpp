// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A recall above 1 is never reached: the metric would report 0 forever.
// expected-error: the rate to reach must be a std::ratio in \[0, 1\]
// expected-error: Fix: PrecisionAtRecall<std::ratio<8, 10>> for the best precision at recall 0.8
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
fm::PrecisionAtRecall<std::ratio<8, 10>> metric;
#else
fm::PrecisionAtRecall<std::ratio<12, 10>> metric;
#endif
