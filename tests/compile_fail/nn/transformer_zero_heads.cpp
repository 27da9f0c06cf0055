// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A TransformerEncoder of zero heads.
// expected-error: TransformerEncoder<IntermediateDim, NumHeads>: both must be at least 1\. Fix: TransformerEncoder<64, 2>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Encoder = nn::TransformerEncoder<32, 4>;
#else
using Encoder = nn::TransformerEncoder<32, 0>;
#endif
using Net = nn::Sequential<nn::Input<10>, nn::Embedding<50, 16>, Encoder,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
