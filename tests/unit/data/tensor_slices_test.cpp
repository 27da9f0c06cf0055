// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <support/errors.hpp>
#include <support/pipelines.hpp>

namespace data_tensor_slices_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

TEST_CASE("from_tensor_slices: xtensor features and labels, copied and checked") {
  xt::xtensor<float, 2> x = {{1, 2, 3}, {4, 5, 6}};
  xt::xtensor<int, 1> y = {2, 0};
  auto src = fd::from_tensor_slices<fc::Features<3>, fc::ClassLabel<3>>(x, y);
  x(0, 0) = 100;  // the source holds its own copy
  CHECK(src.cardinality() == fc::Cardinality::finite(2));
  std::vector<std::vector<float>> rows;
  std::vector<int> labels;
  for (auto&& [fx, fy] : src) {
    rows.emplace_back(fx.begin(), fx.end());
    labels.push_back(fy[0]);
  }
  CHECK(rows == std::vector<std::vector<float>>{{1, 2, 3}, {4, 5, 6}});
  CHECK(labels == std::vector<int>{2, 0});
}

TEST_CASE("from_tensor_slices: image features keep their shape, one-hot labels are rows") {
  xt::xtensor<float, 3> x = xt::zeros<float>({4, 2, 2});
  x(3, 1, 0) = 7;
  xt::xtensor<float, 2> y = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
  auto src = fd::from_tensor_slices<fc::Features<2, 2>, fc::OneHotLabel<2>>(x, y);
  auto p = src | fd::batch<4>();
  for (auto&& [bx, by] : p) {
    REQUIRE(bx.dimension() == 3);
    CHECK(bx(3, 1, 0) == 7);
    REQUIRE(by.dimension() == 2);
    CHECK(by(1, 1) == 1.0f);
    CHECK(by(2, 0) == 1.0f);
  }
  for (auto&& e : src) CHECK(e.features().dimension() == 2);
}

TEST_CASE("from_tensor_slices: feature shape mismatch is a shape_error naming both shapes") {
  xt::xtensor<float, 2> x = xt::zeros<float>({5, 12});
  xt::xtensor<int, 1> y = xt::zeros<int>({5});
  try {
    (void)fd::from_tensor_slices<fc::Features<10>, fc::BinaryLabel>(x, y);
    FAIL("12 features must not pass as 10");
  } catch (const fc::shape_error& e) {
    CHECK(e.problem() == "from_tensor_slices: features of shape (5, 12) do not match the declared "
                         "Features: expected (5, 10) (samples first)");
  }
}

TEST_CASE("from_tensor_slices: sample counts and label shapes must agree") {
  xt::xtensor<float, 2> x = xt::zeros<float>({5, 2});
  xt::xtensor<int, 1> y4 = xt::zeros<int>({4});
  try {
    (void)fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y4);
    FAIL("5 samples with 4 labels must throw");
  } catch (const fc::shape_error& e) {
    CHECK(e.problem() == "from_tensor_slices: the features hold 5 samples but the labels 4");
  }
  xt::xtensor<float, 2> y_wide = xt::zeros<float>({5, 3});
  CHECK_THROWS_AS((void)(fd::from_tensor_slices<fc::Features<2>, fc::OneHotLabel<2>>(x, y_wide)),
                  fc::shape_error);
  xt::xtensor<int, 2> y_column = xt::zeros<int>({5, 1});  // (N, 1) is accepted for one value
  CHECK_NOTHROW((void)(fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y_column)));
}

TEST_CASE("from_tensor_slices: labels out of range are data_errors naming sample and value") {
  xt::xtensor<float, 2> x = xt::zeros<float>({4, 1});
  xt::xtensor<int, 1> y = {0, 1, 4, 2};
  try {
    (void)fd::from_tensor_slices<fc::Features<1>, fc::ClassLabel<4>>(x, y);
    FAIL("label 4 with 4 classes must throw");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() == "from_tensor_slices: sample 2: label 4 is not an integer in [0, 4)");
  }
  xt::xtensor<float, 1> fractional = {0, 1, 0.5, 1};
  try {
    (void)fd::from_tensor_slices<fc::Features<1>, fc::BinaryLabel>(x, fractional);
    FAIL("label 0.5 must throw for binary labels");
  } catch (const fc::data_error& e) {
    CHECK(e.problem().find("sample 2: label 0.5") != std::string::npos);
    CHECK(e.problem().find("is not 0 or 1") != std::string::npos);
  }
  xt::xtensor<float, 1> nan_target = {0, 1, std::nanf(""), 1};
  CHECK_THROWS_AS(
      (void)(fd::from_tensor_slices<fc::Features<1>, fc::RegressionTarget<>>(x, nan_target)),
      fc::data_error);
}

TEST_CASE("from_tensor_slices: a class label beyond any integer is refused before conversion") {
  // 1e20 as an int is undefined behaviour (UBSan: "outside the range of representable values");
  // the check runs on the float, and the message shows the value given.
  xt::xtensor<float, 2> x = xt::zeros<float>({3, 1});
  for (const float bad : {1e20f, -1e20f, std::nanf(""), 2147483648.0f}) {
    xt::xtensor<float, 1> y = {0, bad, 1};
    const std::string what = fc::test::message_of<fc::data_error>(
        [&] { (void)fd::from_tensor_slices<fc::Features<1>, fc::ClassLabel<3>>(x, y); });
    CHECK(fc::test::contains(what, "sample 1: label " + fc::format_number(bad) +
                                       " is not an integer in [0, 3)"));
  }
  xt::xtensor<double, 1> wide = {0, 1e300, 1};
  const std::string what = fc::test::message_of<fc::data_error>(
      [&] { (void)fd::from_tensor_slices<fc::Features<1>, fc::RegressionTarget<>>(x, wide); });
  CHECK(fc::test::contains(what, "sample 1: label 1e+300 is not a finite number"));
}

TEST_CASE("label_value_of: exact values of the kind, nothing for the rest") {
  CHECK(fc::label_value_of<fc::ClassLabel<3>>(2.0) == 2);
  CHECK(fc::label_value_of<fc::ClassLabel<3>>(std::int64_t{2}) == 2);
  CHECK_FALSE(fc::label_value_of<fc::ClassLabel<3>>(2.5));
  CHECK_FALSE(fc::label_value_of<fc::ClassLabel<3>>(std::int64_t{1} << 40));
  CHECK_FALSE(fc::label_value_of<fc::ClassLabel<3>>(-1));
  CHECK_FALSE(fc::label_value_of<fc::ClassLabel<3>>(1e20f));
  CHECK_FALSE(fc::label_value_of<fc::BinaryLabel>(std::numeric_limits<double>::infinity()));
  CHECK(fc::label_value_of<fc::RegressionTarget<>>(0.5) == 0.5f);
  CHECK_FALSE(fc::label_value_of<fc::RegressionTarget<>>(1e300));
}

TEST_CASE("from_tensor_slices: spans are used in place") {
  std::vector<float> x = {0, 1, 2, 3, 4, 5};
  std::vector<int> y = {0, 1, 1};
  auto src = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(x),
                                                                      std::span<const int>(y));
  x[4] = 40;  // not copied
  std::vector<float> last;
  for (auto&& e : src) last.assign(e.x.begin(), e.x.end());
  CHECK(last == std::vector<float>{40, 5});
  CHECK(src.features(1)[0] == 2);
  std::vector<float> ragged = {0, 1, 2};
  CHECK_THROWS_AS((void)(fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(
                      std::span<const float>(ragged), std::span<const int>(y))),
                  fc::shape_error);
}

}  // namespace data_tensor_slices_test
