// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two regularizers for the kernel: the bare one is the kernel's already.
// expected-error: Regularized<Layer, ...>: two regularizers for the same weights.*Fix: one per weight, or L1L2<...>
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L1L2<std::ratio<1, 100>, std::ratio<1, 1000>>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L1<>, fc::kernel_regularizer<fc::L2<>>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
