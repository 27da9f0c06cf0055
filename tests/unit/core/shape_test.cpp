// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <vector>

#include <fitcheck/core/shape.hpp>

namespace core_shape_test {

namespace fc = fitcheck;

TEST_CASE("shape: rank, size and dims") {
  static_assert(fc::Shape<>::rank == 0 && fc::Shape<>::size == 1);
  static_assert(fc::Shape<28, 28>::rank == 2 && fc::Shape<28, 28>::size == 784);
  static_assert(fc::Features<10>::size == 10);
  static_assert(std::is_same_v<fc::Features<8, 8>::shape, fc::Shape<8, 8>>);
  static_assert(fc::static_shape<fc::Shape<3>> && !fc::static_shape<fc::Features<3>>);
  static_assert(fc::feature_spec<fc::Features<3>> && !fc::feature_spec<fc::Shape<3>>);
  CHECK(fc::Shape<2, 3, 4>::dims == std::array<std::size_t, 3>{2, 3, 4});
}

TEST_CASE("shape: format_shape writes shapes the way every message does") {
  CHECK(fc::format_shape<fc::Shape<32, 10>>() == "(32, 10)");
  CHECK(fc::format_shape<fc::Shape<>>() == "()");
  const std::vector<std::size_t> dims{7};
  CHECK(fc::format_shape(dims) == "(7)");
}

TEST_CASE("shape: require_shape accepts the declared shape and names both on a mismatch") {
  const std::array<std::size_t, 1> ten{10};
  CHECK_NOTHROW(fc::require_shape<fc::Shape<10>>(ten, "from_tensor_slices"));

  const std::array<std::size_t, 1> twelve{12};
  try {
    fc::require_shape<fc::Shape<10>>(twelve, "from_tensor_slices");
    FAIL("a (12) sample must not pass as (10)");
  } catch (const fc::shape_error& e) {
    CHECK(e.problem() == "from_tensor_slices: expected shape (10), got (12)");
    CHECK_FALSE(e.fix().empty());
  }
  const std::array<std::size_t, 2> image{8, 8};
  CHECK_THROWS_AS(fc::require_shape<fc::Shape<64>>(image, "x"), fc::shape_error);
  CHECK_NOTHROW(fc::require_shape<fc::Shape<8, 8>>(image, "x"));
}

}  // namespace core_shape_test
