// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A penalty factor written as a type that is not a std::ratio.
// expected-error: L1<Factor> / L2<Factor>: the factor is a std::ratio.*Fix: L2<std::ratio<1, 10000>> for Keras' L2\(1e-4\)
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L1<std::ratio<1, 1000>>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L1<float>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
