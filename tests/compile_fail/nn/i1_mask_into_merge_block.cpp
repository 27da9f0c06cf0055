// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A residual block right after a masked Embedding: the block's convolution would read the
// padding as data (a mask does not enter a block yet).
// expected-error: the padding mask of an Embedding with fc::mask_zero \(or of Masking\) reaches a layer that cannot skip padded steps
// expected-error: \[I1\]
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Embed = fc::Embedding<20, 6>;
#else
using Embed = fc::Embedding<20, 6, fc::mask_zero>;
#endif
using Net =
    fc::Sequential<fc::Input<12>, Embed, fc::Residual<fc::Conv1D<6, 3, 1, fc::padding::same>>,
                   fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;

std::size_t parameters() { return Net::param_count; }
