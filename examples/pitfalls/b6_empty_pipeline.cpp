// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B6]: an empty pipeline (a filter that keeps nothing: zero batches). tf.keras fails
// with the puzzling "Unexpected result of train_function (Empty logs)"; fitcheck says the
// pipeline produced no batches, and what its cardinality is.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  // Meant: keep the samples with a positive first feature. Written: a label of 2, which
  // binary labels never have.
  auto empty = tiny::source(100) | fd::filter([](const auto& e) { return e.y[0] == 2; }) |
               fd::batch<10>();
  try {
    (void)model.fit(empty, fc::Epochs{2}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: a filter that keeps what was meant.
  auto kept = tiny::source(100) | fd::filter([](const auto& e) { return e.x[0] > 0; }) |
              fd::batch<10>();
  tiny::trained(model.fit(kept, fc::Epochs{2}, fc::Verbose{0}));
  return 0;
}
