// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A1]: `repeat()` with no count, then `fit` with no steps per epoch. In Keras the first
// epoch never ends ("stuck at epoch 1"). In fitcheck it does not compile.
// The mistake: tests/compile_fail/train/a1_repeat_without_steps.cpp
//   model.fit(source | shuffle(n) | repeat() | batch<32>(), Epochs{5});
//   -> fit: the pipeline is infinite (repeat() with no count), so an epoch would never end ...
//      Fix: pass StepsPerEpoch{n} ...
// The fix below: say how many batches make an epoch.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  auto train = tiny::source(100) | fd::shuffle(100, fc::Seed{1}) | fd::repeat() | fd::batch<20>();
  std::printf("pipeline: %s\n", fc::to_string(train.cardinality()).c_str());  // infinite

  // 100 samples / 20 per batch: 5 steps is one pass over the data per epoch.
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  const auto h = model.fit(train, fc::Epochs{4}, fc::StepsPerEpoch{5}, fc::Verbose{0});
  tiny::trained(h);
  return 0;
}
