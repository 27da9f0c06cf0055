// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A 1-D transposed convolution with no filters: the sequence would have no channels.
// expected-error: Conv1DTranspose<0, ...>: a transposed convolution needs at least one filter.*Fix: Conv1DTranspose<32, 3, 2, padding::same>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t filters = 1;
#else
constexpr std::size_t filters = 0;
#endif
using Net = fc::Sequential<fc::Input<16, 4>, fc::Conv1DTranspose<filters, 3, 2, fc::padding::same>,
                           fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
