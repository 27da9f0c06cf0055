// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A6]: `shuffle` after `repeat` blurs epochs: a sample can appear twice before another
// appears once.
// The mistake: tests/compile_fail/data/a6_shuffle_after_repeat.cpp
//   source | repeat() | shuffle(1000) | batch<32>()
//   -> shuffle after repeat: ... Fix: shuffle before repeat keeps epochs whole ...
// The fix below: shuffle, then repeat. (Blurring on purpose: shuffle_across_epochs(n).)
#include <set>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  // 30 samples, 3 epochs; each sample's first feature identifies it.
  auto p = tiny::source(30) | fd::shuffle(30, fc::Seed{5}) | fd::repeat(3) | fd::batch<10>();
  std::size_t batch = 0;
  std::set<float> seen;
  for (auto&& b : p) {
    for (std::size_t i = 0; i < b.size(); ++i) seen.insert(b.x_data()[2 * i]);
    if (++batch % 3 == 0) {  // 3 batches of 10 = one epoch
      std::printf("epoch %zu: %zu distinct samples of 30\n", batch / 3, seen.size());
      seen.clear();
    }
  }
  std::printf("fix: shuffle before repeat keeps every epoch whole\n");
  return 0;
}
