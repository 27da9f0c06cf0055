// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' other activation functions as layers (SiLU, Softplus, Softsign, SELU, Mish, ReLU6,
// HardSigmoid, HardSiLU; CELU, Exponential, HardShrink, HardTanh, LogSigmoid, SoftShrink,
// TanhShrink, SparsePlus, SquarePlus): values and derivatives against PyTorch's in float64 at 40 points, the
// kinks and far tails included (tests/data/ref/make_activation_reference.py), the same in float,
// float64 finite differences through each layer, and a model that trains with them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fitcheck/fitcheck.hpp>
#include <fstream>
#include <iterator>
#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include "../train/pytorch_reference.hpp"
#include "gradient_check.hpp"

namespace nn_activation_functions_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

// The layer's forward and backward (dy = 1) over the reference points, in T.
// PyTorch's HardSigmoid backward multiplies by 1/6 rounded to float even in float64 (5e-9 off);
// fitcheck's is 1/6 in the element type.
template <class Layer, class T>
void check_against_pytorch(const std::string& name, double tolerance) {
  const double derivative_tolerance =
      name == "hard_sigmoid" ? std::max(tolerance, 1e-8) : tolerance;
  const auto x64 = fc::test::ref::load_doubles("activation_x.bin");
  const auto want_y = fc::test::ref::load_doubles("activation_" + name + "_y.bin");
  const auto want_dy = fc::test::ref::load_doubles("activation_" + name + "_dy.bin");
  REQUIRE(x64.size() == 40);
  typename Layer::template bind<dims<40>> layer;
  const std::vector<T> x(x64.begin(), x64.end()), ones(40, T(1));
  std::vector<T> y(40), dx(40);
  layer.forward(static_cast<const T*>(nullptr), x.data(), y.data(), 1, nn::mode::training);
  layer.backward(static_cast<const T*>(nullptr), x.data(), y.data(), ones.data(), dx.data(),
                 static_cast<T*>(nullptr), 1);
  for (std::size_t i = 0; i < 40; ++i) {
    CAPTURE(name);
    CAPTURE(x64[i]);
    CHECK(double(y[i]) == doctest::Approx(want_y[i]).epsilon(tolerance).scale(1.0));
    CHECK(double(dx[i]) == doctest::Approx(want_dy[i]).epsilon(derivative_tolerance).scale(1.0));
  }
}

template <class Layer>
void check_layer(const std::string& name, const std::string& keras_name) {
  using B = typename Layer::template bind<dims<2, 5>>;
  static_assert(std::is_same_v<typename B::output_shape, fc::Shape<2, 5>> && B::param_count == 0);
  CHECK(std::string(B::name) == keras_name);
  check_against_pytorch<Layer, double>(name, 1e-13);
  check_against_pytorch<Layer, float>(name, 1e-6);
  // Finite differences away from the kinks (a central difference across one is meaningless).
  typename Layer::template bind<dims<6>> layer;
  auto x = fc::test::random_values(4 * 6, 53, -5, 5);
  for (double& v : x)
    for (double kink : {0.0, 0.5, 1.0, 3.0, 6.0})
      if (std::abs(std::abs(v) - kink) < 1e-3) v += 0.01;
  CHECK(fc::test::check_gradients(layer, {}, x, 4).dx_error <= 1e-6);
}
}  // namespace

TEST_CASE("activation functions: values and derivatives equal PyTorch's, kinks and tails too") {
  check_layer<nn::SiLU>("silu", "SiLU");
  check_layer<nn::Softplus>("softplus", "Softplus");
  check_layer<nn::Softsign>("softsign", "Softsign");
  check_layer<nn::SELU>("selu", "SELU");
  check_layer<nn::Mish>("mish", "Mish");
  check_layer<nn::ReLU6>("relu6", "ReLU6");
  check_layer<nn::HardSigmoid>("hard_sigmoid", "HardSigmoid");
  check_layer<nn::HardSiLU>("hard_silu", "HardSiLU");
}

TEST_CASE("activation functions: Keras 3's remaining ones equal PyTorch's (or Keras' formula)") {
  check_layer<nn::CELU<>>("celu", "CELU");
  check_layer<nn::Exponential>("exponential", "Exponential");
  check_layer<nn::HardShrink<>>("hard_shrink", "HardShrink");
  check_layer<nn::HardTanh>("hard_tanh", "HardTanh");
  check_layer<nn::LogSigmoid>("log_sigmoid", "LogSigmoid");
  check_layer<nn::SoftShrink<>>("soft_shrink", "SoftShrink");
  check_layer<nn::TanhShrink>("tanh_shrink", "TanhShrink");
  check_layer<nn::SparsePlus>("sparse_plus", "SparsePlus");
  check_layer<nn::SquarePlus<>>("squareplus", "SquarePlus");
}

TEST_CASE("activation functions: the constants of CELU, the shrinks and SquarePlus") {
  // Other constants than Keras' defaults, against the formulas by hand.
  nn::CELU<std::ratio<1, 2>>::bind<dims<3>> celu;
  nn::HardShrink<std::ratio<2>>::bind<dims<3>> hard;
  nn::SoftShrink<std::ratio<2>>::bind<dims<3>> soft;
  nn::SquarePlus<std::ratio<1>>::bind<dims<3>> square;
  const std::vector<double> x{-3.0, 1.0, 2.5};
  std::vector<double> y(3);
  const double* none = nullptr;
  celu.forward(none, x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y[0] == doctest::Approx(0.5 * std::expm1(-6.0)).epsilon(1e-15));
  CHECK(y[2] == 2.5);
  hard.forward(none, x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y == std::vector<double>{-3.0, 0.0, 2.5});
  soft.forward(none, x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y == std::vector<double>{-1.0, 0.0, 0.5});
  square.forward(none, x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y[1] == doctest::Approx((1.0 + std::sqrt(2.0)) / 2).epsilon(1e-15));
  // And their finite differences, away from the kinks.
  auto fd_error = [](auto layer) {
    auto v = fc::test::random_values(4 * 3, 7, -5, 5);
    for (double& e : v)
      if (std::abs(std::abs(e) - 2) < 1e-3 || std::abs(e) < 1e-3) e += 0.01;
    return fc::test::check_gradients(layer, {}, v, 4).dx_error;
  };
  CHECK(fd_error(celu) <= 1e-6);
  CHECK(fd_error(hard) <= 1e-6);
  CHECK(fd_error(soft) <= 1e-6);
  CHECK(fd_error(square) <= 1e-6);
}

TEST_CASE("activation functions: Softplus and Mish stay finite far out, where e^x overflows") {
  nn::Softplus::bind<dims<2>> softplus;
  nn::Mish::bind<dims<2>> mish;
  const std::vector<float> x{-200.0f, 200.0f};
  std::vector<float> y(2);
  softplus.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y[0] == 0.0f);
  CHECK(y[1] == 200.0f);
  mish.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::inference);
  CHECK(y[0] == doctest::Approx(0.0).scale(1.0));
  CHECK(y[1] == 200.0f);
}

TEST_CASE("activation functions: a model with SiLU, Mish and HardSiLU learns") {
  using Net = fc::Sequential<fc::Input<2>, fc::Dense<16>, fc::SiLU, fc::Dense<16>, fc::Mish,
                             fc::Dense<8>, fc::HardSiLU, fc::Dense<1>, fc::Sigmoid>;
  std::vector<float> x;
  std::vector<int> y;
  fc::Rng rng(3);
  for (int i = 0; i < 256; ++i) {
    const float a = 2 * rng.uniform_float() - 1, b = 2 * rng.uniform_float() - 1;
    x.push_back(a);
    x.push_back(b);
    y.push_back(a * a + b * b < 0.5f ? 1 : 0);  // a disc: not linearly separable
  }
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(x),
                                                                       std::span<const int>(y)) |
              fd::batch<32>();
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{4});
  (void)model.fit(data, 60, fc::Verbose{0});
  CHECK(model.evaluate(data).at("accuracy") > 0.9);
}

}  // namespace nn_activation_functions_test
