// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/data/data.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_normalization_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class F>
auto slices(const std::vector<float>& x) {
  static const std::vector<int> zeros(1000, 0);
  const std::size_t n = x.size() / F::size;
  return fd::from_tensor_slices<F, fc::BinaryLabel>(std::span<const float>(x),
                                                    std::span<const int>(zeros.data(), n));
}

// Keras' own example (Normalization docstring, axis=-1).
const std::vector<float> keras_data{0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6};
}  // namespace

TEST_CASE("normalization: shape kept, statistics per index of the last axis") {
  using B = nn::Normalization::bind<dims<5, 3>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<5, 3>> && B::param_count == 0);
  static_assert(B::features == 3 && nn::Normalization::bind<dims<7>>::features == 7);
  using Net = nn::Sequential<nn::Input<3>, nn::Normalization, nn::Dense<1>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<1>> && Net::param_count == 4);
  CHECK(std::string(B::name) == "Normalization");
}

TEST_CASE("normalization: before adapt it is the identity and says so") {
  nn::Normalization::bind<dims<3>> layer;
  CHECK_FALSE(layer.adapted());
  CHECK(layer.mean()[1] == 0.0);
  CHECK(layer.variance()[1] == 1.0);
  const std::vector<float> x{-5, 0, 123};
  CHECK(fc::test::forward_values(layer, x, 1) == x);
}

TEST_CASE("normalization: adapt on Keras' example gives its statistics and outputs") {
  auto data = slices<fc::Features<3>>(keras_data);
  nn::Normalization::bind<dims<3>> layer;
  layer.adapt(data);
  CHECK(layer.adapted());
  const std::vector<double> mean(layer.mean().begin(), layer.mean().end());
  const std::vector<double> var(layer.variance().begin(), layer.variance().end());
  CHECK(mean == std::vector<double>{1, 8, 5});
  CHECK(var == std::vector<double>{1, 1, 1});  // population variance, as Keras
  const auto y = fc::test::forward_values(layer, {0, 7, 4, 3, 8, 5.5f}, 2);
  CHECK(y == std::vector<float>{-1, -1, -1, 2, 0, 0.5f});
}

TEST_CASE("normalization: adapt reads batches too, partial last batch included") {
  std::vector<float> x;
  for (int i = 0; i < 5; ++i) x.insert(x.end(), {float(i), 10.0f * float(i)});
  auto batched = slices<fc::Features<2>>(x) | fd::batch<2>();
  nn::Normalization::bind<dims<2>> layer;
  layer.adapt(batched);
  CHECK(layer.mean()[0] == doctest::Approx(2.0));
  CHECK(layer.mean()[1] == doctest::Approx(20.0));
  CHECK(layer.variance()[0] == doctest::Approx(2.0));  // {0..4}: mean of squares 6 - 4
  CHECK(layer.variance()[1] == doctest::Approx(200.0));
}

TEST_CASE("normalization: rank-2 samples pool every row of a sample per last-axis feature") {
  // Two samples of shape (2, 2): feature 0 sees {1, 3, 5, 7}, feature 1 sees {0, 0, 0, 4}.
  const std::vector<float> x{1, 0, 3, 0, 5, 0, 7, 4};  // the source reads it, not a copy
  auto data = slices<fc::Features<2, 2>>(x);
  nn::Normalization::bind<dims<2, 2>> layer;
  layer.adapt(data);
  CHECK(layer.mean()[0] == doctest::Approx(4.0));
  CHECK(layer.variance()[0] == doctest::Approx(5.0));
  CHECK(layer.mean()[1] == doctest::Approx(1.0));
  CHECK(layer.variance()[1] == doctest::Approx(3.0));
}

TEST_CASE("normalization: adapt stays exact far from zero (no sum-of-squares cancellation)") {
  std::vector<float> x;
  for (int i = 0; i < 1000; ++i) x.push_back(1.0e7f + float(i % 5));  // 1e7 + {0..4}
  auto data = slices<fc::Features<1>>(x);
  nn::Normalization::bind<dims<1>> layer;
  layer.adapt(data);
  CHECK(layer.mean()[0] == doctest::Approx(1.0e7 + 2.0).epsilon(1e-12));
  CHECK(layer.variance()[0] == doctest::Approx(2.0).epsilon(1e-9));
}

TEST_CASE("normalization: explicit statistics, a zero variance centres without scaling") {
  nn::Normalization::bind<dims<2>> layer;
  layer.set_statistics(std::vector<double>{2, 4}, std::vector<double>{4, 0});
  CHECK(layer.adapted());
  auto y = fc::test::forward_values(layer, {6, 4, 0, 4.5f}, 2);
  CHECK(y[0] == doctest::Approx(2.0));
  CHECK(y[1] == 0.0f);
  CHECK(y[2] == doctest::Approx(-1.0));
  CHECK(y[3] == doctest::Approx(0.5));  // Keras would give 0.5 / 1e-7 = 5e6
  layer.set_statistics(3.0, 2.0);  // Keras' Normalization(mean=3., variance=2.)
  y = fc::test::forward_values(layer, {1, 2}, 1);
  CHECK(y[0] == doctest::Approx(-1.4142135));
  CHECK(y[1] == doctest::Approx(-0.70710677));
}

TEST_CASE("normalization: wrong statistics are rejected with the facts") {
  nn::Normalization::bind<dims<4, 3>> layer;
  try {
    layer.set_statistics(std::vector<double>{0, 0}, std::vector<double>{1, 1});
    FAIL("2 means for 3 features must not pass");
  } catch (const fc::shape_error& e) {
    CHECK(e.problem() == "Normalization: 2 means and 2 variances for 3 features (the last axis of (4, 3))");
  }
  try {
    layer.set_statistics(std::vector<double>{0, 0, 0}, std::vector<double>{1, -1, 1});
    FAIL("a negative variance must not pass");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem().find("feature 1 has mean 0.000000 and variance -1.000000") != std::string::npos);
  }
  CHECK_FALSE(layer.adapted());  // a rejected call changes nothing
}

TEST_CASE("normalization: adapt on bad data names the problem") {
  nn::Normalization::bind<dims<3>> layer;
  auto empty = slices<fc::Features<3>>(keras_data) | fd::filter([](const auto&) { return false; });
  try {
    layer.adapt(empty);
    FAIL("an empty pipeline has no statistics");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() == "Normalization::adapt: the pipeline produced no samples");
  }
  std::vector<float> x = keras_data;
  x[7] = std::numeric_limits<float>::quiet_NaN();  // sample 2, feature 1
  auto with_nan = slices<fc::Features<3>>(x);
  try {
    layer.adapt(with_nan);
    FAIL("a NaN must not become the mean");
  } catch (const fc::data_error& e) {
    CHECK(e.problem().find("sample 2, feature 1 is") != std::string::npos);
    CHECK(e.problem().find("nan") != std::string::npos);
  }
  CHECK_FALSE(layer.adapted());
}

TEST_CASE("normalization: nn::adapt<I> reaches the layer inside a Sequential") {
  using Net = nn::Sequential<nn::Input<3>, nn::Dense<3>, nn::Normalization, nn::Dense<1>>;
  Net net;
  auto data = slices<fc::Features<3>>(keras_data);
  CHECK_FALSE(std::get<1>(net.layers()).adapted());
  // Adapting the inner layer on the raw inputs is the user's call; only the shape is checked.
  nn::adapt<1>(net, data);
  CHECK(std::get<1>(net.layers()).adapted());
  CHECK(std::get<1>(net.layers()).mean()[2] == doctest::Approx(5.0));
}

TEST_CASE("normalization: gradients match central differences") {
  nn::Normalization::bind<dims<2, 3>> layer;
  layer.set_statistics(std::vector<double>{1, -2, 0.5}, std::vector<double>{4, 0.25, 9});
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(3 * 6, 81, -5, 5), 3);
  CHECK(r.dx_error <= 1e-6);
}

TEST_CASE("normalization: a feature constant in the adapted data is centred, not blown up") {
  // Feature 1 is always 0 when adapting (like digits' edge pixels in the training split); a
  // later 5 there must stay 5, not become 5e7 as Keras' max(sqrt(var), 1e-7) makes it.
  const std::vector<float> x{1, 0, 3, 0, 5, 0};
  auto data = slices<fc::Features<2>>(x);
  nn::Normalization::bind<dims<2>> layer;
  layer.adapt(data);
  CHECK(layer.variance()[1] == 0.0);
  const auto y = fc::test::forward_values(layer, {3, 5}, 1);
  CHECK(y[0] == doctest::Approx(0.0));
  CHECK(y[1] == doctest::Approx(5.0));
}

}  // namespace nn_normalization_test
