// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Reshape must keep the number of values.
// expected-error: Reshape<...>: the new shape holds a different number of values than the layer before gives \[C1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<784>, nn::Reshape<28, 28, 1>, nn::Conv2D<4, 3>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<784>, nn::Reshape<28, 27, 1>, nn::Conv2D<4, 3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
