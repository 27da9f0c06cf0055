// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An argument after the layer that is not a regularizer (a rate where a regularizer goes).
// expected-error: Regularized<Layer, ...>: an argument after the layer is not a regularizer.*Fix: L1<std::ratio<...>>
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L2<std::ratio<1, 100>>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1>, std::ratio<1, 100>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
