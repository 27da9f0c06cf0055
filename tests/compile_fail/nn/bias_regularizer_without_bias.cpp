// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A bias_regularizer on a convolution built without a bias (UseBias = false).
// expected-error: Regularized<Layer, ..., bias_regularizer<...>>: this layer has no bias.*Fix: leave the bias_regularizer out
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1, 1, fc::padding::valid, 1, false>, fc::L2<>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1, 1, fc::padding::valid, 1, false>, fc::L2<>, fc::bias_regularizer<fc::L2<>>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
