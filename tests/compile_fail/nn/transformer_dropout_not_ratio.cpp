// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A TransformerEncoder whose dropout rate is given as a type that is not a std::ratio.
// expected-error: TransformerEncoder<I, H, Rate>: the dropout rate must be a std::ratio.*Fix: TransformerEncoder<64, 2, std::ratio<1, 10>>
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Encoder = nn::TransformerEncoder<32, 4, std::ratio<1, 10>>;
#else
using Encoder = nn::TransformerEncoder<32, 4, float>;
#endif
using Net = nn::Sequential<nn::Input<10>, nn::Embedding<50, 16>, Encoder,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
