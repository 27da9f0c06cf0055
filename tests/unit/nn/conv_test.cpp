// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Convolution, pooling, BatchNormalization, Reshape and ZeroPadding2D: shapes, the lowered CPU
// kernels against the direct reference, and every layer and option against central
// differences in double.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/batch_normalization.hpp>
#include <fitcheck/nn/conv.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/dropout.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/leaky_relu.hpp>
#include <fitcheck/nn/pooling.hpp>
#include <fitcheck/nn/reshape.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_conv_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;
namespace k = fitcheck::kernels;
using nn::padding;
using nn::Window;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
  const auto d = fc::test::random_values(n, seed);
  return {d.begin(), d.end()};
}

double max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - double(b[i])));
  return std::isnan(m) ? 1e30 : m;
}

// The three products of a convolution on the CPU path (with a workspace of `work_rows` lowered
// rows, so that several blocks run) against the direct reference, in float.
void compare_with_reference(k::conv_geometry g, std::size_t work_rows, k::activation act) {
  const std::size_t nx = g.batch * g.h * g.w * g.c, ny = g.rows() * g.f;
  const auto x = random_floats(nx, 1), w = random_floats(g.depth() * g.f, 2),
             b = random_floats(g.f, 3), dy = random_floats(ny, 4);
  std::vector<float> work(g.pointwise() ? 0 : work_rows * g.depth());
  std::vector<float> y_ref(ny), y_cpu(ny);
  k::conv2d_forward(fc::reference, g, x.data(), w.data(), b.data(), y_ref.data(), act);
  k::conv2d_forward(fc::cpu, g, x.data(), w.data(), b.data(), y_cpu.data(), act,
                    std::span<float>(work));
  CHECK(max_difference(y_ref, y_cpu) < 1e-4);

  std::vector<float> dw_ref(w.size()), dw_cpu(w.size(), 7.0f), db_ref(g.f), db_cpu(g.f, 7.0f);
  k::conv2d_backward_filter(fc::reference, g, x.data(), dy.data(), dw_ref.data(), db_ref.data());
  k::conv2d_backward_filter(fc::cpu, g, x.data(), dy.data(), dw_cpu.data(), db_cpu.data(),
                            std::span<float>(work));
  CHECK(max_difference(dw_ref, dw_cpu) < 1e-3);
  CHECK(max_difference(db_ref, db_cpu) < 1e-3);

  // x as the output of a ReLU: the fused derivative zeroes the gradient where x is 0.
  std::vector<float> xr = x;
  for (float& v : xr) v = std::max(v, 0.0f);
  std::vector<float> dx_ref(nx), dx_cpu(nx, 7.0f);
  k::conv2d_backward_data(fc::reference, g, dy.data(), w.data(), dx_ref.data(),
                          k::activation::relu, xr.data());
  k::conv2d_backward_data(fc::cpu, g, dy.data(), w.data(), dx_cpu.data(), k::activation::relu,
                          xr.data(), std::span<float>(work));
  CHECK(max_difference(dx_ref, dx_cpu) < 1e-4);
}

k::conv_geometry geometry(fc::Dims in, std::size_t batch, std::size_t filters, Window kernel,
                          Window strides, Window dilation, padding pad) {
  k::conv_geometry g = nn::detail::window_geometry(in, kernel, strides, dilation, pad);
  g.f = filters;
  g.batch = batch;
  return g;
}

// Gradient check of a bound layer with random parameters and inputs.
template <class B>
fc::test::gradient_check_result check(B& layer, std::size_t batch, std::uint64_t seed,
                                      fc::nn::mode m = nn::mode::training, double gap = 0.0) {
  fc::test::gradient_check_options opt;
  opt.mode = m;
  return fc::test::check_gradients(
      layer, fc::test::random_values(B::param_count, seed),
      fc::test::random_values(batch * B::input_shape::size, seed + 1, -2.0, 2.0, gap), batch, opt);
}
}  // namespace

TEST_CASE("conv: output shapes follow Keras for valid and same padding, strides and dilation") {
  static_assert(std::is_same_v<nn::Conv2D<32, 3>::bind<dims<28, 28, 1>>::output_shape,
                               fc::Shape<26, 26, 32>>);
  // same: ceil(in / stride), whatever the window.
  static_assert(std::is_same_v<nn::Conv2D<8, 3, 2, padding::same>::bind<dims<7, 8, 3>>::output_shape,
                               fc::Shape<4, 4, 8>>);
  static_assert(std::is_same_v<nn::Conv2D<8, 5, 1, padding::same>::bind<dims<3, 3, 1>>::output_shape,
                               fc::Shape<3, 3, 8>>);
  // valid with dilation 2: the 3 x 3 window spans 5.
  static_assert(std::is_same_v<
                nn::Conv2D<4, 3, 1, padding::valid, 2>::bind<dims<9, 7, 2>>::output_shape,
                fc::Shape<5, 3, 4>>);
  static_assert(std::is_same_v<nn::Conv2D<4, Window{1, 3}, Window{2, 1}>::bind<dims<5, 5, 1>>::output_shape,
                               fc::Shape<3, 3, 4>>);
  static_assert(std::is_same_v<nn::Conv1D<6, 3, 2>::bind<dims<11, 4>>::output_shape,
                               fc::Shape<5, 6>>);
  // TensorFlow's same padding puts the odd row at the bottom: 4 rows, window 4, stride 1 pads
  // 3 = 1 above + 2 below.
  constexpr auto g = nn::detail::window_geometry(dims<4, 4, 1>, 4, 1, 1, padding::same);
  static_assert(g.pad_top == 1 && g.pad_left == 1 && g.oh == 4);
  // Parameters: kernel (kh, kw, c, f), then f biases; none without bias.
  static_assert(nn::Conv2D<32, 3>::bind<dims<28, 28, 3>>::param_count == 3 * 3 * 3 * 32 + 32);
  static_assert(nn::Conv2D<32, 3, 1, padding::valid, 1, false>::bind<dims<28, 28, 3>>::param_count ==
                3 * 3 * 3 * 32);
  static_assert(std::is_same_v<nn::MaxPooling2D<>::bind<dims<27, 26, 5>>::output_shape,
                               fc::Shape<13, 13, 5>>);
  static_assert(std::is_same_v<nn::MaxPooling2D<3, 2, padding::same>::bind<dims<7, 7, 5>>::output_shape,
                               fc::Shape<4, 4, 5>>);
  static_assert(std::is_same_v<nn::GlobalAveragePooling2D::bind<dims<7, 7, 5>>::output_shape,
                               fc::Shape<5>>);
  static_assert(std::is_same_v<nn::GlobalMaxPooling1D::bind<dims<9, 3>>::output_shape,
                               fc::Shape<3>>);
  static_assert(std::is_same_v<nn::MaxPooling1D<2>::bind<dims<9, 3>>::output_shape,
                               fc::Shape<4, 3>>);
  static_assert(std::is_same_v<nn::ZeroPadding2D<1, 2, 3, 4>::bind<dims<5, 6, 2>>::output_shape,
                               fc::Shape<8, 13, 2>>);
  static_assert(std::is_same_v<nn::ZeroPadding2D<1, 2>::bind<dims<5, 6, 2>>::output_shape,
                               fc::Shape<7, 10, 2>>);
  static_assert(std::is_same_v<nn::Reshape<4, 6, 1>::bind<dims<24>>::output_shape,
                               fc::Shape<4, 6, 1>>);
  using Net = nn::Sequential<nn::Input<28, 28, 1>, nn::Conv2D<32, 3>, nn::ReLU, nn::MaxPooling2D<>,
                             nn::Conv2D<64, 3>, nn::ReLU, nn::MaxPooling2D<>, nn::Flatten,
                             nn::Dense<10>>;
  static_assert(std::is_same_v<Net::layer_t<5>::output_shape, fc::Shape<5, 5, 64>>);
  static_assert(Net::param_count == 320 + 18496 + 16010);
  // A Conv2D before a ReLU runs it in its epilogue, as Dense does.
  static_assert(Net::fused_forward<0> && Net::fused_forward<3> && !Net::fused_backward<3>);
  CHECK(std::string(Net::layer_t<0>::name) == "Conv2D");
  // Dropout and the activations keep any rank.
  using Any = nn::Sequential<nn::Input<6, 6, 2>, nn::Conv2D<4, 3>, nn::LeakyReLU<>,
                             nn::Dropout<std::ratio<1, 4>>, nn::Tanh, nn::BatchNormalization<>,
                             nn::Flatten, nn::Dense<2>>;
  static_assert(std::is_same_v<Any::layer_t<3>::output_shape, fc::Shape<4, 4, 4>>);
  static_assert(std::is_same_v<Any::layer_t<4>::output_shape, fc::Shape<4, 4, 4>>);
}

TEST_CASE("conv: a 3x3 convolution of a known image gives the hand-computed values") {
  // 1 image 3 x 3 x 1 = 1..9, kernel all ones but the centre 2, bias 0.5, same padding:
  // the centre output is 45 + 5 + 0.5, a corner 1 + 2 + 4 + 5 + 1 (its centre) + 0.5.
  nn::Conv2D<1, 3, 1, padding::same>::bind<dims<3, 3, 1>> layer;
  std::vector<float> p(10, 1.0f);
  p[4] = 2.0f;
  p[9] = 0.5f;
  layer.reserve(1);
  const auto y = fc::test::forward_values(layer, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1,
                                          nn::mode::inference, p);
  CHECK(y[4] == doctest::Approx(50.5));
  CHECK(y[0] == doctest::Approx(1 + 2 + 4 + 5 + 1 + 0.5));
  CHECK(y[8] == doctest::Approx(5 + 6 + 8 + 9 + 9 + 0.5));
}

TEST_CASE("conv: the lowered CPU products equal the direct reference in every geometry") {
  struct shape {
    fc::Dims in;
    std::size_t f;
    Window kernel, strides, dilation;
    padding pad;
  };
  const shape shapes[] = {
      {dims<9, 8, 3>, 5, 3, 1, 1, padding::valid},  {dims<9, 8, 3>, 5, 3, 1, 1, padding::same},
      {dims<9, 8, 3>, 17, 3, 2, 1, padding::same},  {dims<10, 9, 2>, 4, 3, 1, 2, padding::valid},
      {dims<8, 8, 4>, 40, Window{2, 3}, Window{1, 2}, 1, padding::same},
      {dims<6, 6, 8>, 16, 1, 1, 1, padding::valid},  // pointwise: the GEMM on the input itself
      {dims<6, 6, 8>, 16, 1, 2, 1, padding::valid},  // 1 x 1 with stride: lowered
      {dims<1, 12, 5>, 7, Window{1, 3}, Window{1, 2}, 1, padding::same},  // Conv1D's shape
  };
  for (const auto& s : shapes)
    for (std::size_t work_rows : {1u, 7u, 1000u}) {
      CAPTURE(s.f);
      CAPTURE(work_rows);
      compare_with_reference(geometry(s.in, 3, s.f, s.kernel, s.strides, s.dilation, s.pad),
                             work_rows, k::activation::relu);
    }
  // Large enough for the packed GEMM's blocking and both worker threads.
  compare_with_reference(geometry(dims<16, 16, 32>, 8, 64, 3, 1, 1, padding::same), 300,
                         k::activation::identity);
}

TEST_CASE("conv: Conv2D's gradients match central differences for every option") {
  SUBCASE("valid, stride 1") {
    nn::Conv2D<3, 3>::bind<dims<5, 6, 2>> layer;
    const auto r = check(layer, 2, 11);
    CHECK(r.passed(1e-6));
  }
  SUBCASE("same, stride 2") {
    nn::Conv2D<3, 3, 2, padding::same>::bind<dims<5, 6, 2>> layer;
    CHECK(check(layer, 2, 12).passed(1e-6));
  }
  SUBCASE("dilation 2, no bias") {
    nn::Conv2D<2, 2, 1, padding::valid, 2, false>::bind<dims<6, 5, 3>> layer;
    CHECK(check(layer, 2, 13).passed(1e-6));
  }
  SUBCASE("rectangular window and strides, same") {
    nn::Conv2D<4, Window{3, 2}, Window{2, 1}, padding::same>::bind<dims<5, 4, 2>> layer;
    CHECK(check(layer, 3, 14).passed(1e-6));
  }
  SUBCASE("pointwise") {
    nn::Conv2D<3, 1>::bind<dims<3, 3, 4>> layer;
    CHECK(check(layer, 2, 15).passed(1e-6));
  }
  SUBCASE("Conv1D, same, dilation 2") {
    nn::Conv1D<3, 3, 1, padding::same, 2>::bind<dims<7, 2>> layer;
    CHECK(check(layer, 2, 16).passed(1e-6));
  }
}

TEST_CASE("conv: pooling gradients match central differences") {
  // Inputs at least 0.05 apart from 0 are not enough for max: the check perturbs by 1e-6, so
  // only a tie closer than that could flip the maximum, which random doubles never give.
  SUBCASE("max 2x2") {
    nn::MaxPooling2D<>::bind<dims<5, 4, 3>> layer;
    CHECK(check(layer, 2, 21).passed(1e-6));
  }
  SUBCASE("max 2x2 tiling the input (every dx written once, none zeroed first)") {
    nn::MaxPooling2D<>::bind<dims<4, 6, 3>> layer;
    CHECK(check(layer, 2, 20).passed(1e-6));
  }
  SUBCASE("max 3x3 stride 2 same") {
    nn::MaxPooling2D<3, 2, padding::same>::bind<dims<5, 5, 2>> layer;
    CHECK(check(layer, 2, 22).passed(1e-6));
  }
  SUBCASE("average 2x2 valid") {
    nn::AveragePooling2D<>::bind<dims<4, 5, 3>> layer;
    CHECK(check(layer, 2, 23).passed(1e-6));
  }
  SUBCASE("average 3x3 stride 1 same (border windows average fewer values)") {
    nn::AveragePooling2D<3, 1, padding::same>::bind<dims<4, 4, 2>> layer;
    CHECK(check(layer, 2, 24).passed(1e-6));
  }
  SUBCASE("global average and max, 2-D and 1-D") {
    nn::GlobalAveragePooling2D::bind<dims<3, 4, 5>> a;
    nn::GlobalMaxPooling2D::bind<dims<3, 4, 5>> b;
    nn::GlobalAveragePooling1D::bind<dims<6, 3>> c;
    nn::GlobalMaxPooling1D::bind<dims<6, 3>> d;
    CHECK(check(a, 2, 25).passed(1e-6));
    CHECK(check(b, 2, 26).passed(1e-6));
    CHECK(check(c, 2, 27).passed(1e-6));
    CHECK(check(d, 2, 28).passed(1e-6));
  }
  SUBCASE("1-D max and average") {
    nn::MaxPooling1D<3, 2, padding::same>::bind<dims<8, 3>> a;
    nn::AveragePooling1D<2>::bind<dims<8, 3>> b;
    CHECK(check(a, 2, 29).passed(1e-6));
    CHECK(check(b, 2, 30).passed(1e-6));
  }
}

TEST_CASE("conv: pooling values, ties and same-padding averages") {
  nn::MaxPooling2D<>::bind<dims<2, 2, 1>> mp;
  // A tie: the gradient goes to the first maximal element only (PyTorch, TensorFlow).
  const std::vector<float> x{3, 1, 3, 2};
  std::vector<float> y(1), dx(4, 9.0f);
  mp.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::training);
  CHECK(y[0] == 3.0f);
  const float dy = 1.5f;
  mp.backward(static_cast<const float*>(nullptr), x.data(), y.data(), &dy, dx.data(),
              static_cast<float*>(nullptr), 1);
  CHECK(dx == std::vector<float>{1.5f, 0, 0, 0});
  // same padding: the corner window of a 3x3 average over a 2x2 image holds 4 values, not 9.
  nn::AveragePooling2D<3, 1, padding::same>::bind<dims<2, 2, 1>> ap;
  std::vector<float> ya(4);
  ap.forward(static_cast<const float*>(nullptr), x.data(), ya.data(), 1, nn::mode::inference);
  CHECK(ya[0] == doctest::Approx(9.0 / 4));
}

TEST_CASE("conv: BatchNormalization's gradients match central differences") {
  SUBCASE("training, image channels") {
    nn::BatchNormalization<>::bind<dims<3, 2, 4>> layer;
    CHECK(check(layer, 3, 31).passed(1e-6));
  }
  SUBCASE("training, vector units") {
    nn::BatchNormalization<>::bind<dims<5>> layer;
    CHECK(check(layer, 4, 32).passed(1e-6));
  }
  SUBCASE("inference") {
    nn::BatchNormalization<>::bind<dims<3, 2, 4>> layer;
    CHECK(check(layer, 3, 33, nn::mode::inference).passed(1e-6));
  }
}

TEST_CASE("conv: BatchNormalization standardises per channel and follows Keras' moving rule") {
  using B = nn::BatchNormalization<std::ratio<9, 10>, std::ratio<1, 1000>>::bind<dims<1, 2, 2>>;
  static_assert(B::param_count == 4 && B::state_count == 4 && nn::stateful_layer<B>);
  B layer;
  const std::vector<float> p{1, 1, 0, 0};
  // Channel 0 holds 1, 3, 5, 7 (mean 4, biased variance 5), channel 1 holds 10 four times.
  const std::vector<float> x{1, 10, 3, 10, 5, 10, 7, 10};
  const auto y = fc::test::forward_values(layer, x, 2, nn::mode::training, p);
  CHECK(y[0] == doctest::Approx(-3 / std::sqrt(5.001)));
  CHECK(y[1] == doctest::Approx(0.0));
  CHECK(layer.moving_mean()[0] == doctest::Approx(0.1 * 4));
  CHECK(layer.moving_variance()[0] == doctest::Approx(0.9 + 0.1 * 5));
  CHECK(layer.moving_variance()[1] == doctest::Approx(0.9));
  // Inference uses the moving statistics, and state round-trips.
  const auto yi = fc::test::forward_values(layer, x, 2, nn::mode::inference, p);
  CHECK(yi[0] == doctest::Approx((1 - 0.4) / std::sqrt(1.4 + 0.001)));
  std::vector<double> state(B::state_count);
  layer.save_state(state);
  B other;
  other.load_state(state);
  CHECK(fc::test::forward_values(other, x, 2, nn::mode::inference, p) == yi);
  state[2] = -1;  // channel 0's variance
  std::string what;
  try {
    other.load_state(state);
  } catch (const fc::data_error& e) {
    what = e.what();
  }
  CHECK(what.find("BatchNormalization: the saved moving statistics of channel 0 are mean 0.4") ==
        0);
  CHECK(what.find("and variance -1") != std::string::npos);
  CHECK(what.find("Fix: means must be finite and variances finite and >= 0") != std::string::npos);
  CHECK(fc::test::forward_values(other, x, 2, nn::mode::inference, p) == yi);
}

TEST_CASE("conv: ZeroPadding2D and Reshape move values, and their gradients back") {
  nn::ZeroPadding2D<1, 0, 2, 1>::bind<dims<2, 2, 1>> pad;
  const auto y = fc::test::forward_values(pad, {1, 2, 3, 4}, 1);
  // 3 rows x 5 columns: a zero row on top, 2 zero columns left, 1 right.
  CHECK(y == std::vector<float>{0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3, 4, 0});
  CHECK(check(pad, 2, 41).passed(1e-9));
  nn::Reshape<2, 3>::bind<dims<6>> reshape;
  CHECK(check(reshape, 2, 42).passed(1e-9));
}

TEST_CASE("conv: a Conv2D + ReLU pair fused by Sequential equals the two layers run apart") {
  // LeakyReLU with slope 0 is ReLU without a kernel, so Sequential runs it as a layer of its
  // own: same parameters, same values, computed the unfused way.
  using Fused = nn::Sequential<nn::Input<6, 6, 2>, nn::Conv2D<4, 3, 1, padding::same>, nn::ReLU,
                               nn::Conv2D<3, 3>, nn::Flatten, nn::Dense<2>>;
  using Apart = nn::Sequential<nn::Input<6, 6, 2>, nn::Conv2D<4, 3, 1, padding::same>,
                               nn::LeakyReLU<std::ratio<0>>, nn::Conv2D<3, 3>, nn::Flatten,
                               nn::Dense<2>>;
  static_assert(Fused::fused_forward<0> && Fused::fused_backward<2>);
  static_assert(!Apart::fused_forward<0> && !Apart::fused_backward<2>);
  const std::size_t batch = 3;
  std::vector<float> params(Fused::param_count);
  fc::Rng rng(5);
  Fused fused;
  fused.init(params, rng);
  Apart apart;
  const auto x = random_floats(batch * Fused::input_size, 6);
  auto run = [&](auto& net, std::vector<float>& out, std::vector<float>& grads) {
    using Net = std::remove_cvref_t<decltype(net)>;
    net.reserve(batch);
    std::vector<std::vector<float>> acts;
    for (std::size_t w : Net::widths) acts.emplace_back(batch * w, 0.0f);
    acts[0] = x;
    std::vector<float*> ptrs;
    for (auto& a : acts) ptrs.push_back(a.data());
    net.forward(params.data(), ptrs.data(), batch, nn::mode::training);
    out = acts.back();
    std::vector<float> dy(batch * Net::max_width, 0.0f), scratch(batch * Net::max_width);
    for (std::size_t i = 0; i < batch * Net::output_size; ++i) dy[i] = float(i % 3) - 1.0f;
    grads.assign(Net::param_count, 0.0f);
    net.backward(params.data(), ptrs.data(), dy.data(), scratch.data(), grads.data(), batch);
  };
  std::vector<float> y1, g1, y2, g2;
  run(fused, y1, g1);
  run(apart, y2, g2);
  CHECK(max_difference(y1, y2) < 1e-6);
  CHECK(max_difference(g1, g2) < 1e-5);
  double norm = 0;
  for (std::size_t i = 0; i < Fused::param_offsets[1]; ++i) norm += double(g1[i]) * g1[i];
  CHECK(norm > 0);  // the first convolution's kernel gets a gradient through the ReLU
}

}  // namespace nn_conv_test
