// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dense takes vectors: an image input needs Flatten first.
// expected-error: Dense: the input must be a flat vector \(rank 1\), but the layer before gives a rank-2 or higher sample.*Fix: put Flatten before Dense, or GlobalAveragePooling2D
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<8, 8>, nn::Flatten, nn::Dense<10>>;
#else
using Net = nn::Sequential<nn::Input<8, 8>, nn::Dense<10>>;
#endif

std::size_t parameters() { return Net::param_count; }
