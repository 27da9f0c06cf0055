// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two channels: images are gray (1), RGB (3) or RGBA (4).
// expected-error: image_folder: Channels is 1 \(grayscale\), 3 \(RGB\) or 4 \(RGBA\)
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(const std::string& folder) {
#ifdef FITCHECK_EXPECT_PASS
  auto images = fd::image_folder<32, 32, 3, fc::ClassLabel<10>>(folder);
#else
  auto images = fd::image_folder<32, 32, 2, fc::ClassLabel<10>>(folder);
#endif
  return images.size();
}
