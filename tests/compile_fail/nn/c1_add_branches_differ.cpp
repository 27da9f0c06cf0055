// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A downsampling block whose shortcut keeps the input's size: the branches cannot be added.
// expected-error: Add, Subtract, Multiply, Average, Maximum, Minimum: a branch's output shape differs from the first branch's.*\[C1\].*Fix: keep the shape inside the branch.*Branch<Conv2D<Filters, 1, Strides>>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Shortcut = fc::Branch<fc::Conv2D<32, 1, 2>, fc::BatchNormalization<>>;
#else
using Shortcut = fc::Branch<fc::Conv2D<32, 1, 1>, fc::BatchNormalization<>>;
#endif
using Block = fc::Add<fc::Branch<fc::Conv2D<32, 3, 2, fc::padding::same>, fc::BatchNormalization<>,
                                 fc::ReLU, fc::Conv2D<32, 3, 1, fc::padding::same>>,
                      Shortcut>;
using Net = fc::Sequential<fc::Input<28, 28, 16>, Block, fc::ReLU, fc::GlobalAveragePooling2D,
                           fc::Dense<10>, fc::Softmax>;

std::size_t parameters() { return Net::param_count; }
