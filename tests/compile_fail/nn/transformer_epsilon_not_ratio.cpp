// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A TransformerEncoder whose layer-normalisation epsilon is not a std::ratio.
// expected-error: TransformerEncoder<I, H, Epsilon>: Epsilon \(its layer normalisations'\) must be a std::ratio
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Encoder = nn::TransformerEncoder<32, 4, std::ratio<0>, nn::norm_position::after,
                                       std::ratio<1, 1000000>>;
#else
using Encoder = nn::TransformerEncoder<32, 4, std::ratio<0>, nn::norm_position::after, double>;
#endif
using Net = nn::Sequential<nn::Input<10>, nn::Embedding<50, 16>, Encoder,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
