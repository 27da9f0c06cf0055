// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Cropping1D, Cropping2D and ZeroPadding1D (and ZeroPadding2D, which shares their code): Keras'
// shapes for its int, tuple and tuple-of-tuples arguments, hand-checked values, cropping as the
// adjoint of padding (their gradients), float64 finite differences, and a U-Net level whose skip
// connection is cropped to the decoder's size.
#include <doctest/doctest.h>

#include <cstddef>
#include <numeric>
#include <span>
#include <type_traits>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gradient_check.hpp"

namespace nn_cropping_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
}  // namespace

TEST_CASE("Cropping and ZeroPadding: Keras' output shapes") {
  static_assert(std::is_same_v<nn::Cropping2D<1>::bind<dims<6, 5, 2>>::output_shape,
                               fc::Shape<4, 3, 2>>);
  static_assert(std::is_same_v<nn::Cropping2D<2, 1>::bind<dims<6, 5, 2>>::output_shape,
                               fc::Shape<2, 3, 2>>);
  static_assert(std::is_same_v<nn::Cropping2D<1, 0, 2, 1>::bind<dims<6, 5, 2>>::output_shape,
                               fc::Shape<5, 2, 2>>);
  static_assert(std::is_same_v<nn::Cropping1D<1>::bind<dims<7, 3>>::output_shape,
                               fc::Shape<5, 3>>);
  static_assert(std::is_same_v<nn::Cropping1D<0, 2>::bind<dims<7, 3>>::output_shape,
                               fc::Shape<5, 3>>);
  static_assert(std::is_same_v<nn::ZeroPadding1D<2>::bind<dims<7, 3>>::output_shape,
                               fc::Shape<11, 3>>);
  static_assert(std::is_same_v<nn::ZeroPadding1D<1, 3>::bind<dims<7, 3>>::output_shape,
                               fc::Shape<11, 3>>);
  static_assert(nn::ZeroPadding2D<1, 2, 3, 4>::bottom == 2 && nn::ZeroPadding2D<1, 2>::left == 2);
}

TEST_CASE("Cropping2D: the inner pixels, and a gradient that is zero on what was cut") {
  nn::Cropping2D<1, 0, 0, 1>::bind<dims<3, 3, 1>> crop;  // cut the top row and the right column
  std::vector<float> x(9);
  std::iota(x.begin(), x.end(), 1.0f);  // rows 1 2 3 / 4 5 6 / 7 8 9
  std::vector<float> y(4);
  crop.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y == std::vector<float>{4, 5, 7, 8});
  std::vector<float> dx(9, -1.0f);
  crop.backward(static_cast<const float*>(nullptr), x.data(), y.data(), y.data(), dx.data(),
                static_cast<float*>(nullptr), 1);
  CHECK(dx == std::vector<float>{0, 0, 0, 4, 5, 0, 7, 8, 0});
  // ZeroPadding1D: zero steps at the ends of a sequence of 2 channels.
  nn::ZeroPadding1D<1, 2>::bind<dims<2, 2>> pad;
  const std::vector<float> s{1, 2, 3, 4};
  std::vector<float> p(10, -1.0f);
  pad.forward(static_cast<const float*>(nullptr), s.data(), p.data(), 1, nn::mode::inference);
  CHECK(p == std::vector<float>{0, 0, 1, 2, 3, 4, 0, 0, 0, 0});
}

TEST_CASE("Cropping is the adjoint of ZeroPadding: <crop x, y> equals <x, pad y>") {
  using Crop = nn::Cropping2D<1, 2, 0, 1>::bind<dims<6, 4, 3>>;
  using Pad = nn::ZeroPadding2D<1, 2, 0, 1>::bind<dims<3, 3, 3>>;
  static_assert(std::is_same_v<Crop::output_shape, Pad::input_shape> &&
                std::is_same_v<Pad::output_shape, Crop::input_shape>);
  const auto x = fc::test::random_values(2 * 72, 7), y = fc::test::random_values(2 * 27, 8);
  std::vector<double> cx(2 * 27), py(2 * 72);
  Crop{}.forward(static_cast<const double*>(nullptr), x.data(), cx.data(), 2, nn::mode::inference);
  Pad{}.forward(static_cast<const double*>(nullptr), y.data(), py.data(), 2, nn::mode::inference);
  double a = 0, b = 0;
  for (std::size_t i = 0; i < cx.size(); ++i) a += cx[i] * y[i];
  for (std::size_t i = 0; i < py.size(); ++i) b += x[i] * py[i];
  CHECK(a == doctest::Approx(b).epsilon(1e-12));
}

TEST_CASE("Cropping and ZeroPadding1D: float64 central finite differences") {
  nn::Cropping2D<1, 1>::bind<dims<4, 5, 2>> c2;
  CHECK(fc::test::check_gradients(c2, {}, fc::test::random_values(2 * 40, 1), 2).passed(1e-6));
  nn::Cropping1D<2, 1>::bind<dims<6, 3>> c1;
  CHECK(fc::test::check_gradients(c1, {}, fc::test::random_values(2 * 18, 2), 2).passed(1e-6));
  nn::ZeroPadding1D<1>::bind<dims<4, 3>> p1;
  CHECK(fc::test::check_gradients(p1, {}, fc::test::random_values(2 * 12, 3), 2).passed(1e-6));
}

TEST_CASE("Cropping2D: a U-Net level's skip connection cropped to the decoder's size trains") {
  // 9 x 9 images: the decoder's valid convolutions give 5 x 5, the skip path crops 2 per side.
  constexpr std::size_t n = 64;
  std::vector<float> x(n * 81);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = int(i % 2);
    for (std::size_t p = 0; p < 81; ++p)
      x[i * 81 + p] = float((y[i] == 1 && (p / 9) % 2 == 0 ? 1.0 : 0.0) + 0.05 * double(p % 5));
  }
  using Net = fc::Sequential<
      fc::Input<9, 9, 1>,
      fc::Concatenate<fc::Cropping2D<2>, fc::Branch<fc::Conv2D<4, 3>, fc::ReLU, fc::Conv2D<4, 3>>>,
      fc::GlobalAveragePooling2D, fc::Dense<2>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{2});
  auto train = fd::from_tensor_slices<fc::Features<9, 9, 1>, fc::ClassLabel<2>>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto loss = model.fit(train, fc::Epochs{15}, fc::Verbose{0})["loss"];
  CHECK(loss.back() < 0.6 * loss.front());
}

}  // namespace nn_cropping_test
