// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A 32x32 crop of 28x28 images.
// expected-error: random_crop / center_crop: the crop is larger than the image
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(std::span<const float> x, std::span<const int> y) {
#ifdef FITCHECK_EXPECT_PASS
  auto p = fd::from_tensor_slices<fc::Features<28, 28>, fc::BinaryLabel>(x, y) |
           fd::random_crop<24, 24>(fc::Seed{1}) | fd::batch<8>();
#else
  auto p = fd::from_tensor_slices<fc::Features<28, 28>, fc::BinaryLabel>(x, y) |
           fd::random_crop<32, 32>(fc::Seed{1}) | fd::batch<8>();
#endif
  std::size_t n = 0;
  for (const auto& b : p) n += b.size();
  return n;
}
