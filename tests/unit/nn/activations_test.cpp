// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_activations_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class B>
void check_values(B& layer, const std::vector<float>& x, const std::vector<double>& want,
                  std::size_t batch = 1) {
  const auto y = fc::test::forward_values(layer, x, batch);
  REQUIRE(y.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(y[i] == doctest::Approx(want[i]).epsilon(1e-6));
}
}  // namespace

TEST_CASE("activations: elementwise layers keep any shape and have no parameters") {
  using R = nn::ReLU::bind<dims<2, 3>>;
  static_assert(std::is_same_v<R::input_shape, fc::Shape<2, 3>>);
  static_assert(std::is_same_v<R::output_shape, fc::Shape<2, 3>>);
  static_assert(R::param_count == 0 && nn::bound_layer<R>);
  using Net = nn::Sequential<nn::Input<8>, nn::Dense<4>, nn::Tanh, nn::Dense<3>, nn::Softmax>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<3>>);
  static_assert(Net::param_count == 8 * 4 + 4 + 4 * 3 + 3);
  CHECK(std::string(nn::Sigmoid::bind<dims<1>>::name) == "Sigmoid");
  CHECK(std::string(nn::Softmax::bind<dims<2>>::name) == "Softmax");
}

TEST_CASE("activations: ReLU, Sigmoid and Tanh forward values") {
  nn::ReLU::bind<dims<4>> relu;
  check_values(relu, {-2, -0.0f, 0.5f, 3}, {0, 0, 0.5, 3});
  nn::Sigmoid::bind<dims<4>> sigmoid;
  check_values(sigmoid, {0, 2, -2, -100},
               {0.5, 1 / (1 + std::exp(-2.0)), 1 / (1 + std::exp(2.0)), std::exp(-100.0)});
  nn::Tanh::bind<dims<3>> tanh_layer;
  check_values(tanh_layer, {0, 1, -0.5f}, {0, std::tanh(1.0), std::tanh(-0.5)});
}

TEST_CASE("activations: Softmax is a distribution per row, stable for large scores") {
  nn::Softmax::bind<dims<3>> softmax;
  const double e = std::exp(1.0), s = 1 + e + e * e;
  // Row 2 is row 1 shifted by 1000: the same distribution, no overflow.
  check_values(softmax, {0, 1, 2, 1000, 1001, 1002}, {1 / s, e / s, e * e / s, 1 / s, e / s, e * e / s}, 2);
  const auto y = fc::test::forward_values(softmax, {-1000, 0, 5}, 1);
  CHECK(y[0] == 0.0f);
  CHECK(y[1] + y[2] == doctest::Approx(1.0));
}

TEST_CASE("activations: gradients match central differences in double") {
  const fc::test::gradient_check_options opt;
  SUBCASE("ReLU away from its kink at 0") {
    nn::ReLU::bind<dims<2, 3>> layer;
    const auto x = fc::test::random_values(4 * 6, 11, -2, 2, 0.1);
    const auto r = fc::test::check_gradients(layer, {}, x, 4, opt);
    CHECK(r.dx_error <= opt.tolerance);
  }
  SUBCASE("Sigmoid") {
    nn::Sigmoid::bind<dims<5>> layer;
    const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(15, 12, -6, 6), 3, opt);
    CHECK(r.dx_error <= opt.tolerance);
  }
  SUBCASE("Tanh") {
    nn::Tanh::bind<dims<5>> layer;
    const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(15, 13, -3, 3), 3, opt);
    CHECK(r.dx_error <= opt.tolerance);
  }
  SUBCASE("Softmax") {
    nn::Softmax::bind<dims<6>> layer;
    const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(24, 14, -4, 4), 4, opt);
    CHECK(r.dx_error <= opt.tolerance);
  }
}

}  // namespace nn_activations_test
