// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// UpSampling2D and UpSampling1D (Keras' nearest-neighbour upsampling, and UpSampling2D's bilinear
// one): hand-computed outputs and input gradients, bilinear outputs and gradients against
// PyTorch's (tests/data/ref/make_bilinear_reference.py), float64 finite differences, and a
// convolutional autoencoder that learns to reproduce its images through a bottleneck.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <fitcheck/fitcheck.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "../train/pytorch_reference.hpp"
#include "gradient_check.hpp"

namespace nn_upsampling_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}  // namespace

TEST_CASE("UpSampling2D: each pixel repeated down and across, its gradient the sum of the copies") {
  using B = nn::UpSampling2D<fc::Window{2, 3}>::bind<dims<2, 2, 2>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<4, 6, 2>> && B::param_count == 0);
  static_assert(
      std::is_same_v<nn::UpSampling2D<>::bind<dims<5, 3, 1>>::output_shape, fc::Shape<10, 6, 1>>);
  B layer;
  // Pixel (r, q) holds channels (10 r + q, -(10 r + q)).
  const std::vector<float> x{0, -0, 1, -1, 10, -10, 11, -11};
  std::vector<float> y(48);
  layer.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::training);
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t q = 0; q < 6; ++q) {
      CAPTURE(r);
      CAPTURE(q);
      const float v = float(10 * (r / 2) + q / 3);
      CHECK(y[(r * 6 + q) * 2] == v);
      CHECK(y[(r * 6 + q) * 2 + 1] == -v);
    }
  // dy = 1 at every output of channel 0 and the output's column index at channel 1: each input
  // pixel gets 6 from channel 0 and the sum of its 2 x 3 copies' columns from channel 1.
  std::vector<float> dy(48), dx(8);
  for (std::size_t o = 0; o < 24; ++o) {
    dy[o * 2] = 1;
    dy[o * 2 + 1] = float(o % 6);
  }
  layer.backward(static_cast<const float*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<float*>(nullptr), 1);
  CHECK(dx == std::vector<float>{6, 2 * (0 + 1 + 2), 6, 2 * (3 + 4 + 5), 6, 2 * (0 + 1 + 2), 6,
                                 2 * (3 + 4 + 5)});
}

TEST_CASE("UpSampling1D: each step repeated") {
  using B = nn::UpSampling1D<3>::bind<dims<2, 2>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<6, 2>>);
  B layer;
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};  // 2 samples of 2 steps
  std::vector<float> y(24);
  layer.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 2, nn::mode::inference);
  CHECK(y ==
        std::vector<float>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 5, 6, 5, 6, 5, 6, 7, 8, 7, 8, 7, 8});
}

namespace {
template <fc::Window Size>
void check_bilinear_against_pytorch(const std::string& tag) {
  using B = typename nn::UpSampling2D<Size, nn::interpolation::bilinear>::template bind<dims<3, 4, 2>>;
  static_assert(std::is_same_v<typename B::output_shape, fc::Shape<3 * Size.rows, 4 * Size.cols, 2>>);
  const auto x = fc::test::ref::load_doubles("bilinear_x.bin");
  const auto want_y = fc::test::ref::load_doubles("bilinear_y_" + tag + ".bin");
  const auto dy = fc::test::ref::load_doubles("bilinear_dy_" + tag + ".bin");
  const auto want_dx = fc::test::ref::load_doubles("bilinear_dx_" + tag + ".bin");
  REQUIRE(x.size() == 2 * B::input_shape::size);
  REQUIRE(want_y.size() == 2 * B::output_shape::size);
  B layer;
  std::vector<double> y(want_y.size()), dx(x.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), 2, nn::mode::training);
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), 2);
  double worst_y = 0, worst_dx = 0;
  for (std::size_t i = 0; i < y.size(); ++i) worst_y = std::max(worst_y, std::abs(y[i] - want_y[i]));
  for (std::size_t i = 0; i < dx.size(); ++i)
    worst_dx = std::max(worst_dx, std::abs(dx[i] - want_dx[i]));
  CAPTURE(tag);
  CHECK(worst_y < 1e-14);
  CHECK(worst_dx < 1e-13);
}
}  // namespace

TEST_CASE("UpSampling2D bilinear: half-pixel centres, the edges clamped") {
  // One row of two pixels, 0 and 10, doubled: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25
  // (past the last pixel: the last pixel).
  using B = nn::UpSampling2D<fc::Window{1, 2}, nn::interpolation::bilinear>::bind<dims<1, 2, 1>>;
  B layer;
  const std::vector<float> x{0, 10};
  std::vector<float> y(4);
  layer.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y == std::vector<float>{0, 2.5f, 7.5f, 10});
  // Each output's gradient goes back in the weights it read with: 1 + 0.75 + 0.25 to the first,
  // 0.25 + 0.75 + 1 to the second.
  const std::vector<float> dy{1, 1, 1, 1};
  std::vector<float> dx(2);
  layer.backward(static_cast<const float*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<float*>(nullptr), 1);
  CHECK(dx == std::vector<float>{2, 2});
}

TEST_CASE("UpSampling2D bilinear: outputs and input gradients equal PyTorch's") {
  check_bilinear_against_pytorch<fc::Window{2, 2}>("2x2");
  check_bilinear_against_pytorch<fc::Window{3, 2}>("3x2");
}

TEST_CASE("UpSampling: float64 finite differences") {
  nn::UpSampling2D<fc::Window{3, 2}>::bind<dims<3, 2, 3>> two;
  CHECK(fc::test::check_gradients(two, {}, fc::test::random_values(2 * 18, 3), 2).passed(1e-6));
  nn::UpSampling2D<fc::Window{3, 2}, nn::interpolation::bilinear>::bind<dims<3, 4, 2>> blend;
  CHECK(fc::test::check_gradients(blend, {}, fc::test::random_values(2 * 24, 5), 2).passed(1e-6));
  nn::UpSampling1D<2>::bind<dims<5, 2>> one;
  CHECK(fc::test::check_gradients(one, {}, fc::test::random_values(3 * 10, 4), 3).passed(1e-6));
}

TEST_CASE("UpSampling2D: a convolutional autoencoder reproduces its images through a bottleneck" *
          doctest::test_suite("learning")) {
  // 8 x 8 images of one bright 2 x 2 square on a 4 x 4 grid of places (16 kinds), noise around.
  constexpr std::size_t n = 256;
  fc::Rng rng(5);
  xt::xtensor<float, 4> x = xt::zeros<float>({n, std::size_t{8}, std::size_t{8}, std::size_t{1}});
  for (std::size_t i = 0; i < n; ++i) {
    for (auto r = 0u; r < 8; ++r)
      for (auto q = 0u; q < 8; ++q) x(i, r, q, 0) = 0.1f * rng.uniform_float();
    const std::size_t k = rng() % 16, r0 = 2 * (k / 4), q0 = 2 * (k % 4);
    for (std::size_t r = r0; r < r0 + 2; ++r)
      for (std::size_t q = q0; q < q0 + 2; ++q) x(i, r, q, 0) = 1.0f;
  }
  using same = fc::padding;
  using Net = fc::Sequential<fc::Input<8, 8, 1>, fc::Conv2D<8, 3, 1, same::same>, fc::ReLU,
                             fc::MaxPooling2D<2>, fc::Conv2D<4, 3, 1, same::same>, fc::ReLU,
                             fc::UpSampling2D<2>, fc::Conv2D<8, 3, 1, same::same>, fc::ReLU,
                             fc::Conv2D<1, 3, 1, same::same>, fc::Sigmoid>;
  static_assert(std::is_same_v<Net::layer_t<5>::output_shape, fc::Shape<8, 8, 4>>);
  fc::Model<Net, fc::loss::MeanSquaredError> model(fc::optim::Adam{.learning_rate = 0.003f},
                                                   fc::Seed{3});
  auto train = fd::from_tensor_slices<fc::Features<8, 8, 1>, fc::RegressionTarget<8, 8, 1>>(x, x) |
               fd::shuffle(n, fc::Seed{4}) | fd::batch<16>();
  const auto history = model.fit(train, 20, fc::Verbose{0});
  // The mean image alone (a blurred square everywhere) scores about 0.06 (where the first epoch
  // ends up); the squares rebuilt at their places, 0.003 (measured: 0.169 to 0.0026).
  CHECK(history["loss"].front() > 0.05);
  CHECK(history["loss"].back() < 0.006);
}

}  // namespace nn_upsampling_test
