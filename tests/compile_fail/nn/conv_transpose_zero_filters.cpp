// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A transposed convolution with no filters: a decoder's last layer that gives no channels.
// expected-error: Conv2DTranspose<0, ...>: a transposed convolution needs at least one filter.*Fix: Conv2DTranspose<32, 3, 2, padding::same>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t filters = 1;
#else
constexpr std::size_t filters = 0;
#endif
using Net = fc::Sequential<fc::Input<7, 7, 8>, fc::Conv2DTranspose<16, 3, 2, fc::padding::same>,
                           fc::ReLU, fc::Conv2DTranspose<filters, 3, 2, fc::padding::same>,
                           fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
