// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/rescaling.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_rescaling_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}

TEST_CASE("rescaling: keeps the shape, has no parameters") {
  using B = nn::Rescaling<std::ratio<1, 255>>::bind<dims<28, 28>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<28, 28>> && B::param_count == 0);
  static_assert(std::is_same_v<nn::Rescaling<std::ratio<1, 16>>::offset, std::ratio<0>>);
  using Net = nn::Sequential<nn::Input<8, 8>, nn::Rescaling<std::ratio<1, 16>>, nn::Flatten,
                             nn::Dense<10>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<10>>);
  CHECK(std::string(B::name) == "Rescaling");
}

TEST_CASE("rescaling: y = x * scale + offset") {
  nn::Rescaling<std::ratio<1, 255>>::bind<dims<3>> pixels;
  auto y = fc::test::forward_values(pixels, {0, 255, 51}, 1);
  CHECK(y[0] == 0.0f);
  CHECK(y[1] == doctest::Approx(1.0));
  CHECK(y[2] == doctest::Approx(0.2));
  // Keras' [-1, 1] recipe: scale 1/127.5, offset -1.
  nn::Rescaling<std::ratio<2, 255>, std::ratio<-1>>::bind<dims<3>> centred;
  y = fc::test::forward_values(centred, {0, 255, 127.5f}, 1);
  CHECK(y[0] == doctest::Approx(-1.0));
  CHECK(y[1] == doctest::Approx(1.0));
  CHECK(y[2] == doctest::Approx(0.0));
  nn::Rescaling<std::ratio<1, 16>>::bind<dims<2>> digits;
  y = fc::test::forward_values(digits, {16, 8, 4, 0}, 2);
  CHECK(y == std::vector<float>{1.0f, 0.5f, 0.25f, 0.0f});
}

TEST_CASE("rescaling: gradients match central differences") {
  nn::Rescaling<std::ratio<-3, 7>, std::ratio<5, 2>>::bind<dims<2, 3>> layer;
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(4 * 6, 61, -100, 100), 4);
  CHECK(r.dx_error <= 1e-6);
}

}  // namespace nn_rescaling_test
