// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A5]: `shuffle` after `batch` shuffles whole batches; what is inside each batch never
// changes, so on data sorted by label every batch stays one class.
// The mistake: tests/compile_fail/data/a5_shuffle_after_batch.cpp
//   source | batch<32>() | shuffle(1000)
//   -> shuffle after batch: whole batches are shuffled, but the samples inside each batch never
//      change ... Fix: shuffle before batch ... or shuffle_batches(n)
// The fix below: shuffle the samples, then batch. (Bucketing on purpose: shuffle_batches(n).)
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  // Sorted by label: the first 50 samples are class 0, the last 50 class 1.
  auto train = tiny::source(100, /*sorted=*/true) | fd::shuffle(100, fc::Seed{3}) | fd::batch<25>();
  for (auto&& b : train) {
    int ones = 0;
    for (std::size_t i = 0; i < b.size(); ++i) ones += b.y_data()[i] == 1;
    std::printf("batch of %zu: %d of class 1\n", b.size(), ones);  // mixed, not 0 or 25
  }

  // Shuffling batches on purpose is allowed when it is named.
  auto buckets = tiny::source(100, true) | fd::batch<25>() | fd::shuffle_batches(4);
  std::printf("fix: shuffle before batch mixes classes; shuffle_batches(n) is %zu batches\n",
              tiny::batch_sizes(buckets).size());
  return 0;
}
