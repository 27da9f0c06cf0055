// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A TransformerEncoder whose heads do not split the model width evenly.
// expected-error: TransformerEncoder: the features of each step \(the model width\) must split evenly into NumHeads heads
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Encoder = nn::TransformerEncoder<32, 4>;
#else
using Encoder = nn::TransformerEncoder<32, 3>;
#endif
using Net = nn::Sequential<nn::Input<10>, nn::Embedding<50, 16>, Encoder,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
