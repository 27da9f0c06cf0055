// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// augment() on table rows (Features<10>): there is no image to rotate.
// expected-error: augment: the features are not images
// expected-error: Fix: augment Features<H, W, C> or Features<H, W>
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(std::span<const float> x, std::span<const int> y) {
#ifdef FITCHECK_EXPECT_PASS
  auto p = fd::from_tensor_slices<fc::Features<2, 5>, fc::BinaryLabel>(x, y) |
           fd::augment({.horizontal_flip = true});
#else
  auto p = fd::from_tensor_slices<fc::Features<10>, fc::BinaryLabel>(x, y) |
           fd::augment({.horizontal_flip = true});
#endif
  std::size_t n = 0;
  for (const auto& e : p) n += e.y[0] >= 0;
  return n;
}
