// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A14]: `cache()` then `take(k)`: a pass stops after k elements, so the cache is never
// completed (TF warns to write take(k).cache()).
// The mistake: tests/compile_fail/data/a14_take_after_cache.cpp
//   source | cache() | take(10)  -> take after cache: ... Fix: take before cache ...
// The fix below: take, then cache: the first pass fills the cache, later passes replay it.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  auto train = tiny::source(100) | fd::take(40) | fd::cache() | fd::shuffle(40, fc::Seed{1}) |
               fd::batch<10>();
  std::printf("fix: take(40) then cache(): %zu batches of 10 per epoch\n",
              train.cardinality().count);
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
