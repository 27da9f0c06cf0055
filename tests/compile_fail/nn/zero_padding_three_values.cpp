// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// ZeroPadding2D takes 1, 2 or 4 values, as Keras.
// expected-error: ZeroPadding2D<...>: 1 value \(every side\), 2 \(rows, columns\) or 4 \(top, bottom, left, right\)
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::ZeroPadding2D<1, 2>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8, 8, 1>, nn::ZeroPadding2D<1, 2, 3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
