// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// SpatialDropout2D drops the channels of images; a sequence's are SpatialDropout1D's.
// expected-error: SpatialDropout1D takes \(steps, channels\) samples \(rank 2\) and SpatialDropout2D \(height, width, channels\) ones \(rank 3\), and the layer before gives another rank \[C1\]
// expected-error: Fix: SpatialDropout1D after Conv1D or Embedding, SpatialDropout2D after Conv2D
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<20, 8>, fc::Conv1D<16, 3>, fc::ReLU,
                           fc::SpatialDropout1D<std::ratio<1, 5>>>;
#else
using Net = fc::Sequential<fc::Input<20, 8>, fc::Conv1D<16, 3>, fc::ReLU,
                           fc::SpatialDropout2D<std::ratio<1, 5>>>;
#endif
Net net;
