// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [D2]: a NaN inside the features (a missing value parsed as NaN). In Keras the loss
// turns NaN at the first batch holding it and the user hunts for a learning-rate bug. fit's
// pre-flight data scan stops before the first step, naming the sample and the column.
#include <cmath>
#include <limits>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  tiny::Blobs b = tiny::blobs(100);
  b.x(42, 1) = std::numeric_limits<float>::quiet_NaN();
  {
    auto train = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(b.x, b.y) |
                 fd::batch<10>();  // no shuffle, so "in pass order" is the row index
    tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
    try {
      (void)model.fit(train, fc::Epochs{3}, fc::Verbose{0});
    } catch (const fc::data_error& e) {
      tiny::caught("data_error", e);
    }
  }

  // The fix: drop the incomplete sample (or impute the value) before training.
  auto complete = [](const auto& e) { return std::isfinite(e.x[0]) && std::isfinite(e.x[1]); };
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(b.x, b.y) |
               fd::filter(complete) | fd::shuffle(100, fc::Seed{1}) | fd::batch<10>();
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
