// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B1]: a generator that yields one batch, then ends. Keras ends the epoch early and
// warns it ran out. fitcheck stops with the counts: how many batches came, how many were needed.
#include <optional>
#include <utility>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Row = std::pair<std::array<float, 2>, int>;

// A generator of 10 rows: with batch<10>, exactly one batch.
auto ten_rows() {
  return [i = 0]() mutable -> std::optional<Row> {
    if (i == 10) return std::nullopt;
    const float a = 0.45f * float(i % 5) - 0.9f, b = 0.6f * float(i++ % 3) - 0.55f;
    return Row{{a, b}, a + b > 0};
  };
}

int main() {
  auto source = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([] { return ten_rows(); });
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  auto one_batch = source | fd::batch<10>();  // 10 rows: one batch per pass
  try {
    (void)model.fit(one_batch, fc::Epochs{2}, fc::StepsPerEpoch{3}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: repeat() makes the data cycle; the factory is called again for each pass.
  auto cycling = source | fd::repeat() | fd::batch<10>();
  tiny::trained(model.fit(cycling, fc::Epochs{2}, fc::StepsPerEpoch{3}, fc::Verbose{0}));
  return 0;
}
