// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A residual block whose strided convolution halves the image: x + f(x) has no meaning.
// expected-error: Residual: the block's layers change the shape of its input.*\[C1\].*Fix: keep the shape inside the block.*Add<Branch<your layers>, Branch<Conv2D<Filters, 1, Strides>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Block = fc::Residual<fc::Conv2D<16, 3, 1, fc::padding::same>, fc::BatchNormalization<>,
                           fc::ReLU, fc::Conv2D<16, 3, 1, fc::padding::same>>;
#else
using Block = fc::Residual<fc::Conv2D<16, 3, 2, fc::padding::same>, fc::BatchNormalization<>,
                           fc::ReLU, fc::Conv2D<16, 3, 1, fc::padding::same>>;
#endif
using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<16, 3, 1, fc::padding::same>, fc::ReLU,
                           Block, fc::ReLU, fc::GlobalAveragePooling2D, fc::Dense<10>,
                           fc::Softmax>;

std::size_t parameters() { return Net::param_count; }
