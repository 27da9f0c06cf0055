// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// One-hot labels from a text folder: a text's label is the index of its class folder.
// expected-error: read_text_folder: a text's label is the index of its sub-folder\. Fix: declare BinaryLabel \(two folders\) or ClassLabel<K>
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/text.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

std::size_t count(const std::string& folder) {
#ifdef FITCHECK_EXPECT_PASS
  auto texts = fd::read_text_folder<fc::ClassLabel<4>>(folder);
#else
  auto texts = fd::read_text_folder<fc::OneHotLabel<4>>(folder);
#endif
  return texts.texts.size();
}
