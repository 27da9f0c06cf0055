// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B2]: a single-pass generator reused across epochs: epoch 2 gets nothing.
// from_generator takes a FACTORY, called once per epoch. A factory that hands back a generator
// whose position lives outside it (here `pos`, captured by reference) is still one-shot, and
// fit stops instead of silently training on nothing: fit's pre-flight data scan reads the one
// pass the generator has, so epoch 1 gets nothing, and fit says the source cannot start over.
#include <optional>
#include <utility>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Row = std::pair<std::array<float, 2>, int>;

Row row(int i) {
  const float a = 0.45f * float(i % 5) - 0.9f, b = 0.6f * float(i % 3) - 0.55f;
  return Row{{a, b}, a + b > 0};
}

int main() {
  int pos = 0;  // shared by every pass: once it reaches 40 the generator is spent
  auto one_shot = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([&pos] {
    return [&pos]() -> std::optional<Row> {
      if (pos == 40) return std::nullopt;
      return row(pos++);
    };
  });
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  auto train = one_shot | fd::batch<10>();
  try {
    (void)model.fit(train, fc::Epochs{2}, fc::Verbose{0});
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: the factory makes a fresh generator, with its own position, for every epoch.
  auto fresh = fd::from_generator<fc::Features<2>, fc::BinaryLabel>([] {
    return [i = 0]() mutable -> std::optional<Row> {
      if (i == 40) return std::nullopt;
      return row(i++);
    };
  });
  auto fixed = fresh | fd::batch<10>();
  tiny::trained(model.fit(fixed, fc::Epochs{2}, fc::Verbose{0}));
  return 0;
}
