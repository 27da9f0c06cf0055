// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LayerNormalization: hand-computed values, each sample on its own (the batch changes nothing),
// a row far from zero, a constant row, float64 finite differences over vectors, sequences and
// images, and the layer in a model (shapes, summary names, its place among the other layers).
#include <doctest/doctest.h>

#include <cmath>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <string>
#include <type_traits>
#include <vector>

#include "gradient_check.hpp"

namespace nn_layer_normalization_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class B>
fc::test::gradient_check_result check(B& layer, std::size_t batch, std::uint64_t seed,
                                      double lo = -2.0, double hi = 2.0) {
  return fc::test::check_gradients(
      layer, fc::test::random_values(B::param_count, seed),
      fc::test::random_values(batch * B::input_shape::size, seed + 1, lo, hi), batch);
}
}  // namespace

TEST_CASE("LayerNormalization: each row standardised over its last axis, then gamma and beta") {
  using B = nn::LayerNormalization<>::bind<dims<2, 4>>;
  static_assert(B::param_count == 8 && B::channels == 4 && B::sample_rows == 2);
  static_assert(std::is_same_v<B::output_shape, fc::Shape<2, 4>>);
  static_assert(B::epsilon == 1e-3 && B::keeps_mask && !nn::stateful_layer<B>);
  // Two doubles per row kept for backward, two per channel for the parameter sums.
  static_assert(B::sample_workspace_floats == 2 * 2 * 2 && B::workspace_floats == 2 * 2 * 4);
  static_assert(B::device_workspace_floats(3) == 2 * (2 * 3 * 2 + 2 * 4));
  B layer;
  std::vector<float> p(8);
  fc::Rng rng(1);
  layer.init(p, rng);
  CHECK(p == std::vector<float>{1, 1, 1, 1, 0, 0, 0, 0});
  // Row 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25); row 1 is row 0 times 10 plus 7.
  p = {1, 2, 1, 1, 0, 0, 0.5f, 0};
  const std::vector<float> x{1, 2, 3, 4, 17, 27, 37, 47};
  const auto y = fc::test::forward_values(layer, x, 1, nn::mode::training, p);
  const double inv0 = 1 / std::sqrt(1.25 + 1e-3), inv1 = 1 / std::sqrt(125 + 1e-3);
  CHECK(y[0] == doctest::Approx(-1.5 * inv0));
  CHECK(y[1] == doctest::Approx(2 * -0.5 * inv0));
  CHECK(y[2] == doctest::Approx(0.5 * inv0 + 0.5));
  CHECK(y[4] == doctest::Approx(-15 * inv1));
  CHECK(y[7] == doctest::Approx(15 * inv1));
  // Training and inference compute the same thing.
  CHECK(fc::test::forward_values(layer, x, 1, nn::mode::inference, p) == y);
}

TEST_CASE("LayerNormalization: a sample's output does not depend on the others in its batch") {
  nn::LayerNormalization<>::bind<dims<6>> layer;
  const auto params = fc::test::random_values(12, 3);
  const std::vector<float> p(params.begin(), params.end());
  const auto xd = fc::test::random_values(5 * 6, 4, -3.0, 5.0);
  const std::vector<float> x(xd.begin(), xd.end());
  const auto all = fc::test::forward_values(layer, x, 5, nn::mode::training, p);
  for (std::size_t b = 0; b < 5; ++b) {
    CAPTURE(b);
    const std::vector<float> one(x.begin() + b * 6, x.begin() + (b + 1) * 6);
    const auto alone = fc::test::forward_values(layer, one, 1, nn::mode::training, p);
    CHECK(std::vector<float>(all.begin() + b * 6, all.begin() + (b + 1) * 6) == alone);
  }
}

TEST_CASE("LayerNormalization: a row far from zero keeps its digits, a constant row gives beta") {
  using B = nn::LayerNormalization<std::ratio<1, 100000>>::bind<dims<4>>;
  B layer;
  const std::vector<float> p{1, 1, 1, 1, 0.25f, 0.5f, 0.75f, 1};
  // 1e4 + {0, 1, 2, 3}: a one-pass variance in float (E[x^2] - E[x]^2) loses every digit here.
  const auto y =
      fc::test::forward_values(layer, {10000, 10001, 10002, 10003}, 1, nn::mode::training, p);
  const double inv = 1 / std::sqrt(1.25 + 1e-5);
  CHECK(y[0] == doctest::Approx(-1.5 * inv + 0.25).epsilon(1e-6));
  CHECK(y[3] == doctest::Approx(1.5 * inv + 1).epsilon(1e-6));
  // A constant row: xhat is 0, so y is beta; its gradients are finite (epsilon keeps 1/std).
  const std::vector<float> flat{3, 3, 3, 3};
  CHECK(fc::test::forward_values(layer, flat, 1, nn::mode::training, p) ==
        std::vector<float>{0.25f, 0.5f, 0.75f, 1});
  std::vector<float> dx(4), dp(8), y2(4);
  const std::vector<float> dy{1, -2, 0.5f, 3};
  layer.forward(p.data(), flat.data(), y2.data(), 1, nn::mode::training);
  layer.backward(p.data(), flat.data(), y2.data(), dy.data(), dx.data(), dp.data(), 1);
  for (const float v : dx) CHECK(std::isfinite(v));
  CHECK(std::vector<float>(dp.begin(), dp.begin() + 4) == std::vector<float>{0, 0, 0, 0});
  CHECK(std::vector<float>(dp.begin() + 4, dp.end()) == dy);
}

TEST_CASE("LayerNormalization: float64 finite differences match its gradients") {
  SUBCASE("vectors") {
    nn::LayerNormalization<>::bind<dims<7>> layer;
    CHECK(check(layer, 4, 11).passed(1e-6));
  }
  SUBCASE("every step of a sequence, far from zero") {
    nn::LayerNormalization<std::ratio<1, 100000>>::bind<dims<3, 5>> layer;
    CHECK(check(layer, 3, 13, 40.0, 44.0).passed(1e-6));
  }
  SUBCASE("each pixel's channels") {
    nn::LayerNormalization<>::bind<dims<2, 3, 4>> layer;
    CHECK(check(layer, 2, 15).passed(1e-6));
  }
  SUBCASE("two channels, where the variance is a single difference") {
    nn::LayerNormalization<>::bind<dims<2>> layer;
    CHECK(check(layer, 5, 17).passed(1e-6));
  }
}

TEST_CASE(
    "LayerNormalization in a model: shapes, weights named as Keras names them, fused "
    "neighbours") {
  using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::LayerNormalization<>, fc::ReLU,
                             fc::Dense<3>, fc::Softmax>;
  static_assert(Net::param_count == 10 * 16 + 16 + 32 + 16 * 3 + 3);
  // Dense and its ReLU are apart: the normalisation runs between them.
  static_assert(!Net::fused_forward<0>);
  using Seq = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6, fc::mask_zero>,
                             fc::LayerNormalization<>, fc::LSTM<8>, fc::Dense<1>, fc::Sigmoid>;
  static_assert(Seq::param_count == 120 + 12 + (6 + 8 + 1) * 32 + 9);
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{}, fc::Seed{1});
  const std::string summary = model.summary();
  CHECK(summary.find("layer_normalization (LayerNormalization)") != std::string::npos);
  // Initially gamma 1 and beta 0.
  const auto ln = model.layer_parameters<1>();
  CHECK(std::vector<float>(ln.begin(), ln.end()) == [] {
    std::vector<float> v(32, 0.0f);
    std::fill_n(v.begin(), 16, 1.0f);
    return v;
  }());
}

}  // namespace nn_layer_normalization_test
