// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/gelu.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_gelu_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}

TEST_CASE("gelu: shape kept, no parameters") {
  using B = nn::GELU::bind<dims<2, 5>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<2, 5>> && B::param_count == 0);
  using Net = nn::Sequential<nn::Input<3>, nn::Dense<4>, nn::GELU, nn::Dense<2>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<2>>);
  CHECK(std::string(B::name) == "GELU");
}

TEST_CASE("gelu: forward is the exact erf form (Keras approximate=false)") {
  nn::GELU::bind<dims<5>> layer;
  const auto y = fc::test::forward_values(layer, {1, -1, 0, 2, -3}, 1);
  // x Phi(x) from tables of the normal CDF.
  CHECK(y[0] == doctest::Approx(0.8413447460685429));
  CHECK(y[1] == doctest::Approx(-0.15865525393145707));
  CHECK(y[2] == 0.0f);
  CHECK(y[3] == doctest::Approx(1.9544997361036416));
  CHECK(y[4] == doctest::Approx(-0.004049694).epsilon(1e-5));
  // The tanh approximation gives 0.841192 at 1: the exact form is told apart at 1e-4.
  CHECK(std::abs(y[0] - 0.841192f) > 1e-4f);
}

TEST_CASE("gelu: gradients match central differences") {
  nn::GELU::bind<dims<6>> layer;
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(4 * 6, 41, -4, 4), 4);
  CHECK(r.dx_error <= 1e-6);
}

}  // namespace nn_gelu_test
