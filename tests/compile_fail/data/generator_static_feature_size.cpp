// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A generator yielding std::array features of a size other than the declared Features (B4):
// rejected where from_generator is called, with both sizes in the diagnostic.
// expected-error: from_generator: the generator yields a fixed-size array of features whose size is not the Features<\.\.\.> size declared \[B4\]
// The numbers, yielded then declared, in the line after the sentence (g++, then clang).
// expected-error: (reduces to [^(]*\(3 == 4\)|requirement '3UL == 4UL')
#include <array>
#include <optional>
#include <utility>

#include <fitcheck/data/generator.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifdef FITCHECK_EXPECT_PASS
using Row = std::pair<std::array<float, 4>, int>;
#else
using Row = std::pair<std::array<float, 3>, int>;
#endif

auto source() {
  return fd::from_generator<fc::Features<2, 2>, fc::BinaryLabel>(
      [] { return []() -> std::optional<Row> { return std::nullopt; }; });
}
