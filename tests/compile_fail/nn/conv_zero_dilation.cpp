// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A dilation of 0.
// expected-error: a dilation of 0 collapses the window to one point. Fix: a dilation of at least 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 3>, nn::Conv1D<4, 3, 1, nn::padding::valid, 1>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 3>, nn::Conv1D<4, 3, 1, nn::padding::valid, 0>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
