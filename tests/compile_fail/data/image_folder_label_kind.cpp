// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A regression target from an image folder: the label of an image is its class folder.
// expected-error: image_folder: the label of an image is its sub-folder, one class per folder
// expected-error: Fix: declare ClassLabel<K> \(Keras' label_mode='int'\)
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(const std::string& folder) {
#ifdef FITCHECK_EXPECT_PASS
  auto images = fd::image_folder<32, 32, 3, fc::OneHotLabel<4>>(folder);
#else
  auto images = fd::image_folder<32, 32, 3, fc::RegressionTarget<>>(folder);
#endif
  return images.size();
}
