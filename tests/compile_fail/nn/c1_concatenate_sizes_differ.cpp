// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An Inception-style join of a strided branch and a full-size one: the images differ in size.
// expected-error: Concatenate: a branch's output differs from the first branch's in an axis other than the last.*\[C1\].*Fix: give the branches the same rank
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Pool = fc::MaxPooling2D<3, 1, fc::padding::same>;
#else
using Pool = fc::MaxPooling2D<3, 2, fc::padding::same>;
#endif
using Block = fc::Concatenate<fc::Branch<fc::Conv2D<8, 1>, fc::ReLU>,
                              fc::Branch<fc::Conv2D<8, 3, 1, fc::padding::same>, fc::ReLU>,
                              fc::Branch<Pool, fc::Conv2D<8, 1>>>;
using Net = fc::Sequential<fc::Input<16, 16, 4>, Block, fc::GlobalAveragePooling2D, fc::Dense<10>,
                           fc::Softmax>;

std::size_t parameters() { return Net::param_count; }
