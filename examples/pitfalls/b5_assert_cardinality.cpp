// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B5]: a generator whose length the user knows but the library does not. Then nothing
// can be planned: a step count beyond the data is found only when the data runs out, after
// training has started. assert_cardinality(n) declares the length (and checks it every pass),
// so the pre-flight checks apply before the first step.
#include <optional>
#include <utility>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Row = std::pair<std::array<float, 2>, int>;

auto forty_rows() {
  return [i = 0]() mutable -> std::optional<Row> {
    if (i == 40) return std::nullopt;
    const float a = 0.45f * float(i % 5) - 0.9f, b = 0.6f * float(i++ % 3) - 0.55f;
    return Row{{a, b}, a + b > 0};
  };
}

int main() {
  auto source = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([] { return forty_rows(); });
  auto undeclared = source | fd::batch<10>();
  std::printf("undeclared: %s\n", fc::to_string(undeclared.cardinality()).c_str());
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  try {  // 4 batches, 3 x 2 steps: found in epoch 2, after 4 steps were trained
    (void)model.fit(undeclared, fc::Epochs{2}, fc::StepsPerEpoch{3}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: declare the length. The same mistake is now caught before any step...
  auto declared = source | fd::assert_cardinality(40) | fd::batch<10>();
  std::printf("declared: %zu batches of 10 per epoch\n", declared.cardinality().count);
  try {
    (void)model.fit(declared, fc::Epochs{2}, fc::StepsPerEpoch{3}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }
  // ... and a plan that fits trains.
  tiny::trained(model.fit(declared, fc::Epochs{2}, fc::Verbose{0}));
  return 0;
}
