// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Joining batched pipelines: each batch stays one part's, with a partial batch in the middle.
// expected-error: concatenate over batches: each batch holds one part.s samples, and the first part.s partial last batch lands in the middle of the data \[A16\]
// expected-error: Fix: concatenate the unbatched pipelines, then batch
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>>;
Src train();
Src extra();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return fd::concatenate(train(), extra()) | fd::batch<32>();
#else
  return fd::concatenate(train() | fd::batch<32>(), extra() | fd::batch<32>());
#endif
}
