// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A13]: `shard` after a shuffle. Each worker shuffles differently, so the workers see
// overlapping or missing samples (the TF docs: shard before any randomising op).
// The mistake: tests/compile_fail/data/a13_shard_after_shuffle.cpp
//   source | shuffle(1000) | shard(2, 0)  -> shard after shuffle: ... Fix: shard first ...
// The fix below: shard first, then shuffle each worker's share.
#include <set>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  std::set<float> all;
  std::size_t total = 0;
  for (std::size_t worker = 0; worker < 2; ++worker) {
    // Each worker may use its own seed: the share is fixed before the shuffle.
    auto share = tiny::source(20) | fd::shard(2, worker) | fd::shuffle(10, fc::Seed{worker + 1});
    for (auto&& e : share) {
      all.insert(e.x[0]);
      ++total;
    }
  }
  std::printf("fix: 2 workers saw %zu samples, %zu distinct, of 20\n", total, all.size());
  return 0;
}
