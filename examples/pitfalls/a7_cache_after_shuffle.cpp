// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A7]: `cache` after `shuffle` freezes the first epoch's order into the cache, so
// every epoch has the same order (the TF docs: shuffle after cache).
// The mistake: tests/compile_fail/data/a7_cache_after_shuffle.cpp
//   source | shuffle(1000) | cache()   -> cache after shuffle: ... Fix: cache before shuffle
// The fix below: cache the data, then shuffle: a fresh order every epoch.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  auto p = tiny::source(8) | fd::cache() | fd::shuffle(8, fc::Seed{2});
  for (int epoch = 1; epoch <= 3; ++epoch) {
    std::printf("epoch %d, first feature of each sample:", epoch);
    for (auto&& e : p) std::printf(" %+.2f", double(e.x[0]));
    std::printf("\n");
  }
  std::printf("fix: cache before shuffle gives a new order every epoch\n");
  return 0;
}
