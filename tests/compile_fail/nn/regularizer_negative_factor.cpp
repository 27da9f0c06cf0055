// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A negative penalty rewards large weights.
// expected-error: L1<Factor> / L2<Factor>: a negative factor rewards large weights.*Fix: a factor of 0 or more
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L2<std::ratio<1, 10000>>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L2<std::ratio<-1, 10000>>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
