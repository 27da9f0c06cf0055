// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Reshape extent of 0.
// expected-error: Reshape<...>: every extent must be at least 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8>, nn::Reshape<8, 1>, nn::Flatten, nn::Dense<2>>;
#else
using Net = nn::Sequential<nn::Input<8>, nn::Reshape<8, 0>, nn::Flatten, nn::Dense<2>>;
#endif

std::size_t parameters() { return Net::param_count; }
