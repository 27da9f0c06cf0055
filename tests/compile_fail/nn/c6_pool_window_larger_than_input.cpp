// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A 3x3 pool over a 2x2 map.
// expected-error: larger than its input \[C6\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<2, 2, 4>, nn::MaxPooling2D<2>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<2, 2, 4>, nn::MaxPooling2D<3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
