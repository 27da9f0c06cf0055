// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// With same padding, an even kernel and output padding 0 give 2 in - 2 rows, whose convolution has in - 1: no convolution has this transpose (TensorFlow refuses it when the model runs).
// expected-error: Conv2DTranspose / Conv1DTranspose: with this output_padding the output is a size whose convolution \(same padding\) is not the input.s size.*Fix: another output_padding
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
using same = fc::padding;
#ifdef FITCHECK_EXPECT_PASS
using Up = fc::Conv2DTranspose<4, 2, 2, same::same, 1>;
#else
using Up = fc::Conv2DTranspose<4, 2, 2, same::same, 0>;
#endif
using Net = fc::Sequential<fc::Input<7, 7, 8>, Up, fc::ReLU, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
