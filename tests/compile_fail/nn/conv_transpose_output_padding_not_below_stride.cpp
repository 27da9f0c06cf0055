// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An output padding as large as the stride: the extra rows would lie beyond one stride (Keras' rule).
// expected-error: Conv2DTranspose / Conv1DTranspose: output_padding must be smaller than the strides.*Fix: an output padding below the stride
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
using same = fc::padding;
#ifdef FITCHECK_EXPECT_PASS
using Up = fc::Conv2DTranspose<4, 3, 2, same::valid, 1>;
#else
using Up = fc::Conv2DTranspose<4, 3, 2, same::valid, 2>;
#endif
using Net = fc::Sequential<fc::Input<7, 7, 8>, Up, fc::ReLU, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
