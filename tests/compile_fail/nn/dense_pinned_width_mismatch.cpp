// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// C1: a pinned input width that disagrees with what the layer before gives.
// expected-error: Dense<Units, InputWidth>: the pinned input width differs from the width the layer before gives \[C1\]
// expected-error: Fix: make the widths agree, or leave the input width to inference: Dense<Units>
// The numbers, pinned then given, in the line after the sentence (g++, then clang).
// expected-error: (reduces to [^(]*\(12 == 10\)|requirement '12UL == 10UL')
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<10>, nn::Dense<4, 10>>;
#else
using Net = nn::Sequential<nn::Input<10>, nn::Dense<4, 12>>;
#endif

std::size_t parameters() { return Net::param_count; }
