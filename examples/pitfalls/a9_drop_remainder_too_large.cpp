// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A9]: a batch size of 20 on 10 samples with drop_remainder: zero batches, nothing
// trains. When the size is static (xtensor_fixed) it does not compile:
// tests/compile_fail/data/a9_drop_remainder_larger_than_data.cpp. Here the size is known at
// run time, so building the pipeline throws.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  try {
    auto train = tiny::source(10) | fd::batch<20>(fd::drop_remainder);
    (void)train;
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: a batch size the data can fill (here 2 batches of 5 per epoch).
  auto train = tiny::source(10) | fd::shuffle(10, fc::Seed{1}) | fd::batch<5>(fd::drop_remainder);
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
