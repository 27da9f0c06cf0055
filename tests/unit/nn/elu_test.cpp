// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/elu.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_elu_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}

TEST_CASE("elu: Keras' default alpha is 1, and the shape is kept") {
  static_assert(std::is_same_v<nn::ELU<>::alpha, std::ratio<1>>);
  using B = nn::ELU<>::bind<dims<7>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<7>> && B::param_count == 0);
  using Net = nn::Sequential<nn::Input<3>, nn::Dense<4>, nn::ELU<>, nn::Dense<2>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<2>>);
  CHECK(std::string(B::name) == "ELU");
}

TEST_CASE("elu: forward is x above 0 and alpha (exp(x) - 1) below") {
  nn::ELU<>::bind<dims<4>> layer;
  const auto y = fc::test::forward_values(layer, {-1, 2, 0, -1e-4f}, 1);
  CHECK(y[0] == doctest::Approx(-0.6321205588285577));
  CHECK(y[1] == 2.0f);
  CHECK(y[2] == 0.0f);
  // expm1 keeps tiny negative inputs accurate: exp(x) - 1 in float would be off by ~1e-4 rel.
  CHECK(y[3] == doctest::Approx(-9.9995000166666e-5).epsilon(1e-6));
  nn::ELU<std::ratio<1, 2>>::bind<dims<2>> half;
  const auto h = fc::test::forward_values(half, {-1, -30}, 1);
  CHECK(h[0] == doctest::Approx(-0.31606027941427883));
  CHECK(h[1] == doctest::Approx(-0.5));  // saturates at -alpha
}

TEST_CASE("elu: gradients match central differences") {
  nn::ELU<>::bind<dims<3, 2>> layer;
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(4 * 6, 31, -4, 3, 0.01), 4);
  CHECK(r.dx_error <= 1e-6);
  nn::ELU<std::ratio<3, 2>>::bind<dims<5>> wide;
  const auto s = fc::test::check_gradients(wide, {}, fc::test::random_values(10, 32, -4, 3, 0.01), 2);
  CHECK(s.dx_error <= 1e-6);
}

}  // namespace nn_elu_test
