// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A window of no columns.
// expected-error: a window of 0 rows or columns covers nothing. Fix: a window of at least 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, nn::Window{3, 1}>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, nn::Window{3, 0}>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
