// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// cache() after augment(): the first epoch's transformations would be replayed every epoch.
// expected-error: cache after augment: the first epoch's random transformations are frozen.*\[G5\]
// expected-error: Fix: cache before augment
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(std::span<const float> x, std::span<const int> y) {
  auto images = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y);
#ifdef FITCHECK_EXPECT_PASS
  auto p = std::move(images) | fd::cache() | fd::augment({.horizontal_flip = true}) | fd::batch<4>();
#else
  auto p = std::move(images) | fd::augment({.horizontal_flip = true}) | fd::cache() | fd::batch<4>();
#endif
  std::size_t n = 0;
  for (const auto& b : p) n += b.size();
  return n;
}
