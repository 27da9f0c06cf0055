// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/one_hot.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_one_hot_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class B>
std::string rejection(B& layer, const std::vector<float>& x, std::size_t batch) {
  try {
    fc::test::forward_values(layer, x, batch);
  } catch (const fc::data_error& e) {
    CHECK_FALSE(e.fix().empty());
    return e.problem();
  }
  return "accepted";
}
}  // namespace

TEST_CASE("one_hot: one category in, K values out, no parameters") {
  using B = nn::OneHot<4>::bind<dims<1>>;
  static_assert(std::is_same_v<B::input_shape, fc::Shape<1>>);
  static_assert(std::is_same_v<B::output_shape, fc::Shape<4>> && B::param_count == 0);
  using Net = nn::Sequential<nn::Input<1>, nn::OneHot<5>, nn::Dense<2>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<2>> && Net::param_count == 5 * 2 + 2);
  using Multi = nn::CategoryEncoding<6>::bind<dims<3>>;
  static_assert(std::is_same_v<Multi::output_shape, fc::Shape<6>>);
  CHECK(std::string(B::name) == "OneHot");
  CHECK(std::string(Multi::name) == "CategoryEncoding");
}

TEST_CASE("one_hot: each sample gets a 1 at its category") {
  nn::OneHot<3>::bind<dims<1>> layer;
  const auto y = fc::test::forward_values(layer, {2, 0, 1}, 3);
  CHECK(y == std::vector<float>{0, 0, 1, 1, 0, 0, 0, 1, 0});
}

TEST_CASE("one_hot: a value that is no category of 0..K-1 is a data_error naming sample and value") {
  nn::OneHot<4>::bind<dims<1>> layer;
  CHECK(rejection(layer, {1, 2, 4}, 3) ==
        "OneHot<4>: sample 2 of the batch holds 4, not an integer category in [0, 4)");
  CHECK(rejection(layer, {2.5f}, 1) ==
        "OneHot<4>: sample 0 of the batch holds 2.5, not an integer category in [0, 4)");
  CHECK(rejection(layer, {0, -1}, 2) ==
        "OneHot<4>: sample 1 of the batch holds -1, not an integer category in [0, 4)");
  CHECK(rejection(layer, {std::numeric_limits<float>::quiet_NaN()}, 1).find("holds nan") !=
        std::string::npos);
  CHECK(rejection(layer, {3, 0}, 2) == "accepted");
}

TEST_CASE("one_hot: CategoryEncoding writes multi-hot or counts") {
  nn::CategoryEncoding<4>::bind<dims<3>> multi;
  CHECK(fc::test::forward_values(multi, {0, 3, 3, 1, 1, 1}, 2) ==
        std::vector<float>{1, 0, 0, 1, 0, 1, 0, 0});
  nn::CategoryEncoding<4, nn::encoding::count>::bind<dims<3>> count;
  CHECK(fc::test::forward_values(count, {0, 3, 3, 1, 1, 1}, 2) ==
        std::vector<float>{1, 0, 0, 2, 0, 3, 0, 0});
  CHECK(rejection(multi, {0, 1, 2, 0, 7, 1}, 2) ==
        "CategoryEncoding<4>: sample 1 of the batch, value 1 holds 7, not an integer category "
        "in [0, 4)");
}

TEST_CASE("one_hot: no gradient reaches the input (dx is zero)") {
  nn::OneHot<3>::bind<dims<1>> layer;
  const std::vector<double> x{0, 2}, dy{0.5, -1, 2, 3, 4, -5};
  std::vector<double> y(6), dx(2, 99.0);
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), 2, nn::mode::training);
  CHECK(y == std::vector<double>{1, 0, 0, 0, 0, 1});
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), 2);
  CHECK(dx == std::vector<double>{0, 0});
}

}  // namespace nn_one_hot_test
