// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B4]: a generator yielding the wrong shape. Keras fails deep inside a layer; fitcheck
// fails at the source, naming the element and both sizes. When the yielded type has a static
// size (std::array<float, 3> for Features<2, 2>) it does not compile:
// tests/compile_fail/data/generator_static_feature_size.cpp
#include <optional>
#include <utility>
#include <vector>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Row = std::pair<std::vector<float>, int>;  // features of run-time size

// Rows of 2 features, except that row `bad` carries a stray third value.
auto rows(int bad) {
  return [bad, i = 0]() mutable -> std::optional<Row> {
    if (i == 20) return std::nullopt;
    const float a = 0.45f * float(i % 5) - 0.9f, b = 0.6f * float(i % 3) - 0.55f;
    Row r{{a, b}, a + b > 0};
    if (i++ == bad) r.first.push_back(0.0f);
    return r;
  };
}

int main() {
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  auto broken = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([] { return rows(7); });
  auto train = broken | fd::batch<5>();
  try {
    (void)model.fit(train, fc::Epochs{1}, fc::Verbose{0});
  } catch (const fc::shape_error& e) {
    tiny::caught("shape_error", e);
  }

  // The fix: yield exactly Features<2>::size values per row (here: no stray value).
  auto fixed = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([] { return rows(-1); }) |
               fd::batch<5>();
  tiny::trained(model.fit(fixed, fc::Epochs{2}, fc::Verbose{0}));
  return 0;
}
