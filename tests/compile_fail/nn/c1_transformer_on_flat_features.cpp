// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A TransformerEncoder on flat feature vectors: it needs (timesteps, features) samples.
// expected-error: TransformerEncoder takes \(timesteps, features\) samples \(rank 2\), and the layer before gives another rank \[C1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace nn = fitcheck::nn;
#ifdef FITCHECK_EXPECT_PASS
using Net = nn::Sequential<nn::Input<10, 4>, nn::TransformerEncoder<16, 2>,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;
#else
using Net = nn::Sequential<nn::Input<10>, nn::Dense<8>, nn::TransformerEncoder<16, 2>,
                           nn::GlobalAveragePooling1D, nn::Dense<1>, nn::Sigmoid>;
#endif

std::size_t parameters() { return Net::param_count; }
