// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Conv1D takes (length, channels) sequences.
// expected-error: Conv1D, DepthwiseConv1D, the 1-D pooling layers and UpSampling1D take \(length, channels\) samples \(rank 2\).*\[C1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<28, 3>, nn::Conv1D<8, 3>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<28, 28, 3>, nn::Conv1D<8, 3>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
