// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// DepthwiseConv2D and DepthwiseConv1D (Keras' depthwise convolutions), SeparableConv2D and
// SeparableConv1D (a depthwise and a pointwise convolution in one layer): sizes, weights and names;
// outputs and every gradient against PyTorch's grouped convolution in float64 over four
// configurations (a depth multiplier, strides with valid and with TensorFlow's same padding,
// dilation: tests/data/ref/make_depthwise_reference.py); float64 finite differences; the 1-D
// layer as the 2-D one on one row; a separable convolution as the two layers it joins; and a
// MobileNet-style separable block that learns.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "../train/pytorch_reference.hpp"
#include "gradient_check.hpp"

namespace nn_depthwise_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;
using fc::padding;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

double worst(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

template <class Spec>
void check_against_pytorch(const std::string& name) {
  using B = typename Spec::template bind<dims<7, 6, 3>>;
  const auto x = fc::test::ref::load_doubles("depthwise_x.bin");
  const auto p = fc::test::ref::load_doubles("depthwise_" + name + "_w.bin");
  const auto want_y = fc::test::ref::load_doubles("depthwise_" + name + "_y.bin");
  const auto dy = fc::test::ref::load_doubles("depthwise_" + name + "_dy.bin");
  REQUIRE(p.size() == B::param_count);
  REQUIRE(want_y.size() == 2 * B::output_shape::size);
  B layer;
  std::vector<double> y(want_y.size()), dx(x.size()), dp(p.size());
  layer.forward(p.data(), x.data(), y.data(), 2, nn::mode::training);
  layer.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), 2);
  CAPTURE(name);
  CHECK(worst(y, want_y) < 1e-13);
  CHECK(worst(dx, fc::test::ref::load_doubles("depthwise_" + name + "_dx.bin")) < 1e-13);
  CHECK(worst(dp, fc::test::ref::load_doubles("depthwise_" + name + "_dw.bin")) < 1e-12);
}
}  // namespace

TEST_CASE("DepthwiseConv2D: Keras' sizes, weights and names") {
  using B = nn::DepthwiseConv2D<3, 1, padding::same, 2>::bind<dims<7, 6, 3>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<7, 6, 6>>);
  static_assert(B::param_count == 3 * 3 * 3 * 2 + 6);
  static_assert(B::tensors[0].rank == 4 && B::tensors[0].shape[2] == 3 &&
                B::tensors[0].shape[3] == 2 && B::tensors[1].shape[0] == 6);
  static_assert(std::string_view(B::tensors[0].name) == "depthwise_kernel");
  static_assert(
      std::is_same_v<nn::DepthwiseConv2D<fc::Window{3, 2}, 2>::bind<dims<7, 6, 3>>::output_shape,
                     fc::Shape<3, 3, 3>>);
  static_assert(
      std::is_same_v<nn::DepthwiseConv1D<3, 2, padding::same, 4>::bind<dims<9, 2>>::output_shape,
                     fc::Shape<5, 8>>);
  static_assert(
      nn::DepthwiseConv2D<3, 1, padding::valid, 1, 1, false>::bind<dims<5, 5, 4>>::param_count ==
      36);
  using Net = fc::Sequential<fc::Input<8, 8, 3>, fc::DepthwiseConv2D<3>, fc::Conv2D<4, 1>,
                             fc::Flatten, fc::Dense<2>, fc::Softmax>;
  std::vector<std::string> names;
  for (const auto& t : fc::io::detail::tensors_of<Net>()) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"depthwise_conv2d/depthwise_kernel",
                                          "depthwise_conv2d/bias", "conv2d/kernel", "conv2d/bias",
                                          "dense/kernel", "dense/bias"});
  // Keras' depthwise_regularizer: a Regularized kernel penalty covers the depthwise kernel.
  using R = fc::Sequential<fc::Input<8, 8, 3>, fc::Regularized<fc::DepthwiseConv2D<3>, fc::L2<>>,
                           fc::Flatten, fc::Dense<1>>;
  static_assert(R::penalty_count == 1 && R::penalties[0].count == 27);
}

TEST_CASE("DepthwiseConv2D: outputs and gradients equal PyTorch's grouped convolution") {
  check_against_pytorch<nn::DepthwiseConv2D<3, 1, padding::same, 2>>("same_m2");
  check_against_pytorch<nn::DepthwiseConv2D<fc::Window{3, 2}, 2>>("valid_s2");
  check_against_pytorch<nn::DepthwiseConv2D<3, 2, padding::same>>("same_s2");
  check_against_pytorch<nn::DepthwiseConv2D<3, 1, padding::same, 1, 2>>("dilated");
}

TEST_CASE("DepthwiseConv2D, DepthwiseConv1D: float64 finite differences, and 1-D is one row of 2-D") {
  using Two = nn::DepthwiseConv2D<fc::Window{2, 3}, fc::Window{1, 2}, padding::same,
                                  3>::bind<dims<4, 5, 2>>;
  Two two;
  CHECK(fc::test::check_gradients(two, fc::test::random_values(Two::param_count, 61, -1.0, 1.0),
                                  fc::test::random_values(2 * Two::input_shape::size, 62), 2)
            .passed(1e-6));
  using One = nn::DepthwiseConv1D<3, 1, padding::same, 2, 2, false>::bind<dims<6, 3>>;
  One one;
  CHECK(fc::test::check_gradients(one, fc::test::random_values(One::param_count, 63, -1.0, 1.0),
                                  fc::test::random_values(3 * One::input_shape::size, 64), 3)
            .passed(1e-6));
  // The same numbers through DepthwiseConv2D<Window{1, 3}> on (1, 6, 3).
  using Row = nn::DepthwiseConv2D<fc::Window{1, 3}, 1, padding::same, 2, fc::Window{1, 2},
                                  false>::bind<dims<1, 6, 3>>;
  Row row;
  const auto p = fc::test::random_values(One::param_count, 65);
  const auto x = fc::test::random_values(2 * 18, 66);
  std::vector<double> a(2 * 36), b(2 * 36);
  one.forward(p.data(), x.data(), a.data(), 2, nn::mode::inference);
  row.forward(p.data(), x.data(), b.data(), 2, nn::mode::inference);
  CHECK(a == b);
}

TEST_CASE(
    "DepthwiseConv2D: a separable block (depthwise, then 1 x 1) learns which channel holds a bar") {
  // 8 x 8 x 2 images of noise with a bright vertical bar in channel (label): only a per-channel
  // spatial filter, then a mix of channels, tells them apart.
  constexpr std::size_t n = 128;
  fc::Rng rng(9);
  std::vector<float> x(n * 8 * 8 * 2);
  std::vector<int> y(n);
  for (std::size_t s = 0; s < n; ++s) {
    y[s] = int(s % 2);
    const std::size_t col = 1 + std::size_t(rng.uniform_float() * 6);
    for (std::size_t r = 0; r < 8; ++r)
      for (std::size_t q = 0; q < 8; ++q)
        for (std::size_t ch = 0; ch < 2; ++ch)
          x[((s * 8 + r) * 8 + q) * 2 + ch] =
              0.3f * rng.uniform_float() + (q == col && int(ch) == y[s] ? 1.0f : 0.0f);
  }
  using Net =
      fc::Sequential<fc::Input<8, 8, 2>, fc::DepthwiseConv2D<3, 1, padding::same, 2>, fc::ReLU,
                     fc::Conv2D<4, 1>, fc::ReLU, fc::SeparableConv2D<4, 3, 1, padding::same>,
                     fc::ReLU, fc::GlobalMaxPooling2D, fc::Dense<2>, fc::Softmax>;
  auto data = fd::from_tensor_slices<fc::Features<8, 8, 2>, fc::ClassLabel<2>>(
                  std::span<const float>(x), std::span<const int>(y)) |
              fd::batch<16>();
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{2});
  (void)model.fit(data, 30, fc::Verbose{0});
  CHECK(model.evaluate(data).at("accuracy") > 0.95);
}

TEST_CASE("SeparableConv2D: Keras' weights, and the depthwise and pointwise convolutions it joins") {
  using S = nn::SeparableConv2D<5, 3, 2, padding::same, 2>::bind<dims<7, 6, 3>>;
  static_assert(std::is_same_v<S::output_shape, fc::Shape<4, 3, 5>>);
  static_assert(S::param_count == 3 * 3 * 3 * 2 + 6 * 5 + 5);
  static_assert(std::string_view(S::tensors[0].name) == "depthwise_kernel" &&
                S::tensors[0].shape[3] == 2);
  static_assert(std::string_view(S::tensors[1].name) == "pointwise_kernel" &&
                S::tensors[1].shape[2] == 6 && S::tensors[1].shape[3] == 5);
  static_assert(nn::SeparableConv1D<4, 3>::bind<dims<9, 2>>::param_count == 3 * 2 + 2 * 4 + 4);
  // The same parameters through DepthwiseConv2D (no bias) and Conv2D<5, 1>, in float64.
  using D = nn::DepthwiseConv2D<3, 2, padding::same, 2, 1, false>::bind<dims<7, 6, 3>>;
  using P = nn::Conv2D<5, 1>::bind<dims<4, 3, 6>>;
  const auto p = fc::test::random_values(S::param_count, 81);
  const auto x = fc::test::random_values(2 * 7 * 6 * 3, 82);
  const auto dy = fc::test::random_values(2 * 4 * 3 * 5, 83);
  S sep;
  D dw;
  P pw;
  sep.reserve(2);
  pw.reserve(2);
  std::vector<double> y(dy.size()), mid(2 * 4 * 3 * 6), y2(dy.size());
  sep.forward(p.data(), x.data(), y.data(), 2, nn::mode::training);
  dw.forward(p.data(), x.data(), mid.data(), 2, nn::mode::training);
  pw.forward(p.data() + S::pointwise_offset, mid.data(), y2.data(), 2, nn::mode::training);
  CHECK(worst(y, y2) < 1e-13);
  std::vector<double> dx(x.size()), dp(p.size()), dmid(mid.size()), dx2(x.size()), dp2(p.size());
  sep.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), 2);
  pw.backward(p.data() + S::pointwise_offset, mid.data(), y2.data(), dy.data(), dmid.data(),
              dp2.data() + S::pointwise_offset, 2);
  dw.backward(p.data(), x.data(), mid.data(), dmid.data(), dx2.data(), dp2.data(), 2);
  CHECK(worst(dx, dx2) < 1e-13);
  CHECK(worst(dp, dp2) < 1e-12);
  // Keras' pointwise_regularizer and depthwise_regularizer: the kernel penalty covers both.
  using R = fc::Sequential<fc::Input<7, 6, 3>, fc::Regularized<nn::SeparableConv2D<5, 3>, fc::L2<>>,
                           fc::Flatten, fc::Dense<1>>;
  static_assert(R::penalty_count == 2);
}

TEST_CASE("SeparableConv2D, SeparableConv1D: float64 finite differences") {
  using Two = nn::SeparableConv2D<3, fc::Window{2, 3}, 1, padding::same, 2>::bind<dims<4, 5, 2>>;
  Two two;
  CHECK(fc::test::check_gradients(two, fc::test::random_values(Two::param_count, 84, -1.0, 1.0),
                                  fc::test::random_values(2 * Two::input_shape::size, 85), 2)
            .passed(1e-6));
  using One = nn::SeparableConv1D<2, 3, 2, padding::valid, 1, 1, false>::bind<dims<7, 3>>;
  One one;
  CHECK(fc::test::check_gradients(one, fc::test::random_values(One::param_count, 86, -1.0, 1.0),
                                  fc::test::random_values(3 * One::input_shape::size, 87), 3)
            .passed(1e-6));
}

}  // namespace nn_depthwise_test
