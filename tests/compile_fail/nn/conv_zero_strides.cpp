// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A stride of 0 never moves the window.
// expected-error: a stride of 0 never moves the window. Fix: strides of at least 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, 3, 1>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<4, 3, 0>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
