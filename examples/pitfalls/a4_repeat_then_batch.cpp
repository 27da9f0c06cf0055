// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A4] (allowed): `repeat().batch(32)`. Batches straddle epoch boundaries: one batch
// can hold the end of epoch 1 and the start of epoch 2. That is fine, and fitcheck allows it.
// Compare a3_batch_then_repeat.cpp, where each epoch ends with its own partial batch.
#include "tiny.hpp"

namespace fd = fitcheck::data;

int main() {
  // 70 samples, two epochs, batches of 32: 140 samples in 32 32 32 32 12.
  auto p = tiny::source(70) | fd::repeat(2) | fd::batch<32>();
  tiny::print_sizes("repeat then batch, 2 epochs of 70", tiny::batch_sizes(p));

  std::printf("allowed: the third batch holds samples 64..69 of epoch 1 and 0..25 of epoch 2\n");
  return 0;
}
