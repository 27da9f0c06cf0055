// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/leaky_relu.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_leaky_relu_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}

TEST_CASE("leaky_relu: Keras' default slope is 0.3, and the shape is kept") {
  static_assert(std::is_same_v<nn::LeakyReLU<>::alpha, std::ratio<3, 10>>);
  using B = nn::LeakyReLU<>::bind<dims<2, 2>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<2, 2>> && B::param_count == 0);
  using Net = nn::Sequential<nn::Input<3>, nn::Dense<4>, nn::LeakyReLU<>, nn::Dense<1>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<1>>);
  CHECK(std::string(B::name) == "LeakyReLU");
}

TEST_CASE("leaky_relu: forward is x above 0 and alpha x below") {
  nn::LeakyReLU<>::bind<dims<4>> keras_default;
  auto y = fc::test::forward_values(keras_default, {-2, 3, 0, -0.5f}, 1);
  CHECK(y[0] == doctest::Approx(-0.6));
  CHECK(y[1] == 3.0f);
  CHECK(y[2] == 0.0f);
  CHECK(y[3] == doctest::Approx(-0.15));
  nn::LeakyReLU<std::ratio<1, 10>>::bind<dims<2>> tenth;
  y = fc::test::forward_values(tenth, {-2, 2}, 1);
  CHECK(y[0] == doctest::Approx(-0.2));
  CHECK(y[1] == 2.0f);
  nn::LeakyReLU<std::ratio<0>>::bind<dims<1>> relu;  // slope 0 is ReLU
  CHECK(fc::test::forward_values(relu, {-4}, 1)[0] == 0.0f);
}

TEST_CASE("leaky_relu: gradients match central differences away from the kink") {
  nn::LeakyReLU<>::bind<dims<3, 2>> layer;
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(5 * 6, 21, -3, 3, 0.1), 5);
  CHECK(r.dx_error <= 1e-6);
  nn::LeakyReLU<std::ratio<7, 5>>::bind<dims<4>> steep;
  const auto s = fc::test::check_gradients(steep, {}, fc::test::random_values(8, 22, -3, 3, 0.1), 2);
  CHECK(s.dx_error <= 1e-6);
}

}  // namespace nn_leaky_relu_test
