// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <limits>

#include <fitcheck/core/labels.hpp>

namespace core_labels_test {

namespace fc = fitcheck;

static_assert(fc::label_kind<fc::BinaryLabel>);
static_assert(fc::label_kind<fc::ClassLabel<4>>);
static_assert(fc::label_kind<fc::OneHotLabel<3>>);
static_assert(fc::label_kind<fc::MultiLabel<5>>);
static_assert(fc::label_kind<fc::RegressionTarget<>>);
static_assert(fc::label_kind<fc::RegressionTarget<2, 3>>);
static_assert(!fc::label_kind<int>);
static_assert(!fc::label_kind<fc::Shape<3>>);

TEST_CASE("labels: categories, widths and class counts") {
  static_assert(fc::BinaryLabel::category == fc::label_category::binary);
  static_assert(fc::ClassLabel<4>::category == fc::label_category::class_index);
  static_assert(fc::OneHotLabel<4>::category == fc::label_category::one_hot);
  static_assert(fc::MultiLabel<4>::category == fc::label_category::multi_label);
  static_assert(fc::RegressionTarget<>::category == fc::label_category::regression);

  CHECK(fc::label_width<fc::BinaryLabel> == 1);
  CHECK(fc::label_width<fc::ClassLabel<10>> == 1);
  CHECK(fc::label_width<fc::OneHotLabel<10>> == 10);
  CHECK(fc::label_width<fc::MultiLabel<6>> == 6);
  CHECK(fc::label_width<fc::RegressionTarget<>> == 1);
  CHECK(fc::label_width<fc::RegressionTarget<2, 3>> == 6);

  CHECK(fc::ClassLabel<10>::classes == 10);
  CHECK(fc::RegressionTarget<>::classes == 0);
  CHECK(fc::is_classification_label<fc::MultiLabel<3>>);
  CHECK_FALSE(fc::is_classification_label<fc::RegressionTarget<>>);
}

TEST_CASE("labels: accepts() is the value rule the data scan applies [C4]") {
  CHECK(fc::BinaryLabel::accepts(0));
  CHECK(fc::BinaryLabel::accepts(1));
  CHECK_FALSE(fc::BinaryLabel::accepts(2));
  CHECK_FALSE(fc::BinaryLabel::accepts(-1));

  CHECK(fc::ClassLabel<4>::accepts(0));
  CHECK(fc::ClassLabel<4>::accepts(3));
  CHECK_FALSE(fc::ClassLabel<4>::accepts(4));
  CHECK_FALSE(fc::ClassLabel<4>::accepts(-1));
  CHECK(fc::ClassLabel<4>::expected() == "an integer in [0, 4)");

  CHECK(fc::OneHotLabel<3>::accepts(1.0f));
  CHECK_FALSE(fc::OneHotLabel<3>::accepts(0.5f));
  CHECK(fc::MultiLabel<3>::accepts(0.0f));
  CHECK_FALSE(fc::MultiLabel<3>::accepts(2.0f));

  CHECK(fc::RegressionTarget<>::accepts(-3.5f));
  CHECK_FALSE(fc::RegressionTarget<>::accepts(std::numeric_limits<float>::quiet_NaN()));
  CHECK_FALSE(fc::RegressionTarget<>::accepts(std::numeric_limits<float>::infinity()));
}

}  // namespace core_labels_test
