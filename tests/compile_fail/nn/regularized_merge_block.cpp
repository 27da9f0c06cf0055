// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Regularized around a merge block, which names no weights of its own.
// expected-error: Regularized<Layer, ...>: this layer names no weights.*Fix: regularize the layers inside the block
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Residual<fc::Regularized<fc::Conv2D<4, 1>, fc::L2<>>>;
#else
using Layer = fc::Regularized<fc::Residual<fc::Conv2D<4, 1>>, fc::L2<>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
