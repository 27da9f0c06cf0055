// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Oversampling by drawing whole batches: every batch is one class, the balance never reaches
// inside a batch.
// expected-error: sample_from_datasets over batches picks whole batches, so every batch holds one source.s samples and the classes never mix inside a batch \[A16\]
// expected-error: Fix: sample the unbatched pipelines, then batch
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::BinaryLabel>;
Src positives();
Src negatives();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return fd::sample_from_datasets({0.5, 0.5}, positives() | fd::repeat(),
                                  negatives() | fd::repeat()) |
         fd::batch<32>();
#else
  return fd::sample_from_datasets({0.5, 0.5}, positives() | fd::repeat() | fd::batch<32>(),
                                  negatives() | fd::repeat() | fd::batch<32>());
#endif
}
