// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A2]: a data set with no repeat, trained for more steps than it holds. Keras warns
// "Your input ran out of data; interrupting training" and stops: the real reason training
// "runs only one epoch". fitcheck checks before the first step.
// When the sizes are static (xtensor_fixed, epochs<3>, steps_per_epoch<5>) the same mistake
// does not compile: tests/compile_fail/train/a2_static_steps_exceed_data.cpp
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  // 100 samples in batches of 10: 10 batches. 5 steps x 3 epochs need 15.
  auto once = tiny::source(100) | fd::batch<10>();
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  try {
    (void)model.fit(once, fc::Epochs{3}, fc::StepsPerEpoch{5}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);  // nothing was trained: a pre-flight check
  }

  // The fix: repeat before batch, so the data cycles (every epoch still sees whole passes).
  auto cycling = tiny::source(100) | fd::shuffle(100, fc::Seed{1}) | fd::repeat() | fd::batch<10>();
  tiny::trained(model.fit(cycling, fc::Epochs{3}, fc::StepsPerEpoch{5}, fc::Verbose{0}));
  return 0;
}
