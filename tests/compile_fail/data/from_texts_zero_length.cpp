// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Texts cut to no tokens at all.
// expected-error: from_texts<Length, \.\.\.>: a text needs at least one token\. Fix: Length = the tokens kept per text
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/text.hpp>
#include <string>
#include <vector>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t length = 200;
#else
constexpr std::size_t length = 0;
#endif

std::size_t count(const fd::TextVectorization& vectorize, const std::vector<std::string>& texts,
                  const std::vector<int>& labels) {
  return fd::from_texts<length, fc::BinaryLabel>(vectorize, texts, labels).size();
}
