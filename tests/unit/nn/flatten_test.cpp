// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_flatten_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}

TEST_CASE("flatten: (d0, d1, ...) becomes (d0 * d1 * ...) through Sequential") {
  using Net = nn::Sequential<nn::Input<4, 4>, nn::Flatten, nn::Dense<3>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<3>>);
  static_assert(std::is_same_v<Net::layer_t<0>::input_shape, fc::Shape<4, 4>>);
  static_assert(std::is_same_v<Net::layer_t<0>::output_shape, fc::Shape<16>>);
  static_assert(Net::param_count == 16 * 3 + 3);
  using Image = nn::Sequential<nn::Input<2, 3, 4, 5>, nn::ReLU, nn::Flatten>;
  static_assert(std::is_same_v<Image::output_shape, fc::Shape<120>>);
  static_assert(std::is_same_v<Image::layer_t<0>::output_shape, fc::Shape<2, 3, 4, 5>>);
  // Flattening a vector is allowed (Keras too) and changes nothing.
  static_assert(std::is_same_v<nn::Flatten::bind<dims<7>>::output_shape, fc::Shape<7>>);
  static_assert(nn::Flatten::bind<dims<3, 3>>::param_count == 0);
  CHECK(std::string(nn::Flatten::bind<dims<3, 3>>::name) == "Flatten");
}

TEST_CASE("flatten: the values keep their row-major order") {
  nn::Flatten::bind<dims<2, 3>> layer;
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  CHECK(fc::test::forward_values(layer, x, 2) == x);
}

TEST_CASE("flatten: gradients match central differences") {
  nn::Flatten::bind<dims<3, 2, 2>> layer;
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(2 * 12, 71), 2);
  CHECK(r.dx_error <= 1e-6);
}

}  // namespace nn_flatten_test
