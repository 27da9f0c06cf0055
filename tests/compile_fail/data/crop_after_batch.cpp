// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A crop after batch(): a crop changes the image size, so it works on single images.
// expected-error: random_crop / center_crop after batch: a crop changes the image size
// expected-error: Fix: crop before batch<N>\(\)
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(std::span<const float> x, std::span<const int> y) {
#ifdef FITCHECK_EXPECT_PASS
  auto p = fd::from_tensor_slices<fc::Features<28, 28>, fc::BinaryLabel>(x, y) |
           fd::center_crop<24, 24>() | fd::batch<8>();
#else
  auto p = fd::from_tensor_slices<fc::Features<28, 28>, fc::BinaryLabel>(x, y) | fd::batch<8>() |
           fd::center_crop<24, 24>();
#endif
  return p.cardinality().count;
}
