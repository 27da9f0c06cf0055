// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A 1-D separable convolution with no filters: its pointwise step gives no channels.
// expected-error: SeparableConv1D<0, ...>: a convolution needs at least one filter.*Fix: SeparableConv1D<64, 3>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t filters = 1;
#else
constexpr std::size_t filters = 0;
#endif
using Net = fc::Sequential<fc::Input<16, 4>, fc::SeparableConv1D<filters, 3>, fc::ReLU,
                           fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
