// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dilation and strides above 1 together in a transposed convolution: Keras refuses them too.
// expected-error: Conv2DTranspose / Conv1DTranspose: strides and dilation above 1 together.*Fix: strides 1 with a dilation, or a dilation of 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
using same = fc::padding;
#ifdef FITCHECK_EXPECT_PASS
using Up = fc::Conv2DTranspose<4, 3, 1, same::same, fc::inferred_padding, 2>;
#else
using Up = fc::Conv2DTranspose<4, 3, 2, same::same, fc::inferred_padding, 2>;
#endif
using Net = fc::Sequential<fc::Input<7, 7, 8>, Up, fc::ReLU, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
