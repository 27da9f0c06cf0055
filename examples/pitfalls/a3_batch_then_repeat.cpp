// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A3] (allowed): `batch(32).repeat()`. Often called a bug; it is not: every epoch
// yields all the samples, and its last batch is partial unless drop_remainder. fitcheck allows
// it and documents it as the epoch-preserving order. Compare a4_repeat_then_batch.cpp.
#include "tiny.hpp"

namespace fd = fitcheck::data;

int main() {
  // 70 samples, batches of 32, two epochs.
  auto p = tiny::source(70) | fd::batch<32>() | fd::repeat(2);
  tiny::print_sizes("batch then repeat, 2 epochs of 70", tiny::batch_sizes(p));  // 32 32 6 x2

  auto dropped = tiny::source(70) | fd::batch<32>(fd::drop_remainder) | fd::repeat(2);
  tiny::print_sizes("with drop_remainder", tiny::batch_sizes(dropped));  // 32 32 x2

  std::printf("allowed: each epoch ends with its own partial batch\n");
  return 0;
}
