// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A single number as the label of a kind that holds several values per sample (a class index
// where one-hot labels were declared): rejected at compile time.
// expected-error: from_generator: the generator yields one number as the label, but the label kind holds several values per sample \[B4\]
// The numbers, yielded then declared, in the line after the sentence (g++, then clang).
// expected-error: (reduces to [^(]*\(1 == 3\)|requirement '1 == 3UL')
#include <array>
#include <utility>
#include <vector>

#include <fitcheck/data/generator.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifdef FITCHECK_EXPECT_PASS
using Row = std::pair<std::array<float, 8>, std::array<float, 3>>;
#else
using Row = std::pair<std::array<float, 8>, int>;
#endif

auto source(const std::vector<Row>& rows) {
  return fd::from_generator<fc::Features<8>, fc::OneHotLabel<3>>([&rows] { return rows; });
}
