// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A convolution without filters.
// expected-error: Conv2D<0, ...>: a convolution needs at least one filter. Fix: Conv2D<32, 3>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<1, 3>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::Conv2D<0, 3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
