// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Regularized around a Regularized.
// expected-error: Regularized<Regularized<Layer, ...>, ...>: the layer is already regularized.*Fix: give every regularizer in one Regularized
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L2<>, fc::bias_regularizer<fc::L1<>>>;
#else
using Layer = fc::Regularized<fc::Regularized<fc::Conv2D<4, 1>, fc::L2<>>, fc::bias_regularizer<fc::L1<>>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
