// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D and SpatialDropout2D: the
// identity in inference, the noise's statistics in training (mean, standard deviation, the fraction of
// channels dropped), whole channels dropped together, backward's factors equal to forward's,
// a seed that fixes the noise, float64 finite differences with the noise held, and a model that
// trains with them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gradient_check.hpp"

namespace nn_noise_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;
using std::ratio;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

// Mean and standard deviation of v.
std::pair<double, double> moments(const std::vector<double>& v) {
  double s = 0, ss = 0;
  for (const double x : v) s += x;
  const double mean = s / double(v.size());
  for (const double x : v) ss += (x - mean) * (x - mean);
  return {mean, std::sqrt(ss / double(v.size()))};
}

// Holds a noise layer's noise still for the finite differences: every forward reseeds.
struct reseed {
  template <class B>
  void operator()(B& layer) const {
    layer.seed(42);
  }
};
}  // namespace

TEST_CASE("GaussianNoise: zero-mean noise of the given deviation in training, none in inference") {
  nn::GaussianNoise<ratio<1, 2>>::bind<dims<100>> layer;
  layer.seed(1);
  const std::size_t batch = 400;
  const std::vector<double> x(batch * 100, 3.0);
  std::vector<double> y(x.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch,
                nn::mode::inference);
  CHECK(y == x);
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch, nn::mode::training);
  std::vector<double> noise(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) noise[i] = y[i] - 3.0;
  const auto [mean, sd] = moments(noise);
  // 40,000 draws: the mean's standard error is 0.0025, the deviation's 0.0018.
  CHECK(std::abs(mean) < 0.0125);
  CHECK(std::abs(sd - 0.5) < 0.01);
  // The gradient passes unchanged.
  const std::vector<double> dy(x.size(), 1.5);
  std::vector<double> dx(x.size());
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), batch);
  CHECK(dx == dy);
  // A new draw every step; the same seed, the same draws.
  std::vector<double> again(y.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), again.data(), batch,
                nn::mode::training);
  CHECK(again != y);
  layer.seed(1);
  layer.forward(static_cast<const double*>(nullptr), x.data(), again.data(), batch,
                nn::mode::training);
  CHECK(again == y);
}

TEST_CASE("GaussianDropout: factors of mean 1 and deviation sqrt(rate / (1 - rate))") {
  nn::GaussianDropout<ratio<1, 5>>::bind<dims<50>> layer;
  layer.seed(2);
  const std::size_t batch = 800;
  const std::vector<double> x(batch * 50, 2.0);
  std::vector<double> y(x.size()), factor(x.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch, nn::mode::training);
  for (std::size_t i = 0; i < y.size(); ++i) factor[i] = y[i] / 2.0;
  const auto [mean, sd] = moments(factor);
  CHECK(std::abs(mean - 1) < 0.0125);
  CHECK(std::abs(sd - 0.5) < 0.01);  // sqrt(0.2 / 0.8)
  // Backward scales by the forward's factors.
  const std::vector<double> dy(x.size(), 3.0);
  std::vector<double> dx(x.size());
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), batch);
  for (std::size_t i = 0; i < dx.size(); i += 97) CHECK(dx[i] == doctest::Approx(3.0 * factor[i]));
}

TEST_CASE("SpatialDropout: whole channels dropped together, at the rate, the rest scaled") {
  nn::SpatialDropout2D<ratio<1, 4>>::bind<dims<3, 4, 8>> layer;  // 12 pixels of 8 channels
  layer.seed(3);
  const std::size_t batch = 500;
  std::vector<double> x(batch * 96);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 + double(i % 7);
  std::vector<double> y(x.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch, nn::mode::training);
  std::size_t dropped = 0, mixed = 0;
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t c = 0; c < 8; ++c) {
      std::size_t zeros = 0;
      for (std::size_t p = 0; p < 12; ++p) {
        const std::size_t i = b * 96 + p * 8 + c;
        if (y[i] == 0) {
          ++zeros;
        } else {
          CHECK(y[i] == doctest::Approx(x[i] / 0.75));
        }
      }
      dropped += zeros == 12;
      mixed += zeros != 0 && zeros != 12;
    }
  CHECK(mixed == 0);
  // 4,000 channels, each dropped with probability 1/4: 1,000, standard deviation 27.
  CHECK(dropped > 1000 - 110);
  CHECK(dropped < 1000 + 110);
  // Backward drops and scales the same channels.
  const std::vector<double> dy(x.size(), 1.0);
  std::vector<double> dx(x.size());
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), batch);
  for (std::size_t i = 0; i < dx.size(); ++i)
    CHECK((y[i] == 0 ? dx[i] == 0.0 : dx[i] == doctest::Approx(1 / 0.75)));
  // SpatialDropout1D: the same channel at every step.
  nn::SpatialDropout1D<ratio<1, 2>>::bind<dims<6, 5>> one;
  one.seed(4);
  const std::vector<double> ones(4 * 30, 1.0);
  std::vector<double> z(ones.size());
  one.forward(static_cast<const double*>(nullptr), ones.data(), z.data(), 4, nn::mode::training);
  for (std::size_t b = 0; b < 4; ++b)
    for (std::size_t c = 0; c < 5; ++c)
      for (std::size_t t = 1; t < 6; ++t) CHECK(z[b * 30 + t * 5 + c] == z[b * 30 + c]);
}

TEST_CASE("AlphaDropout: Keras' affine dropout keeps zero mean and unit variance") {
  nn::AlphaDropout<ratio<1, 5>>::bind<dims<50>> layer;
  layer.seed(6);
  const std::size_t batch = 800;
  // Standard normal inputs, as SELU's fixed point gives.
  std::vector<double> x(batch * 50);
  fc::Rng rng(9);
  for (double& v : x) {
    const double u1 = (double(rng() >> 11) + 1.0) * 0x1.0p-53, u2 = double(rng() >> 11) * 0x1.0p-53;
    v = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  std::vector<double> y(x.size());
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch,
                nn::mode::inference);
  CHECK(y == x);
  layer.forward(static_cast<const double*>(nullptr), x.data(), y.data(), batch, nn::mode::training);
  // Keras' formula (keras/src/layers/regularization/alpha_dropout.py), rate 0.2.
  const double floor = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946;
  const double a = 1.0 / std::sqrt(0.8 * (1 + 0.2 * floor * floor)), b = -a * floor * 0.2;
  std::size_t dropped = 0, neither = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const bool kept = std::abs(y[i] - (a * x[i] + b)) < 1e-12;
    if (!kept) {
      neither += std::abs(y[i] - (a * floor + b)) > 1e-12;
      ++dropped;
    }
  }
  CHECK(neither == 0);
  // 40,000 values, each dropped with probability 0.2: 8,000, standard deviation 80.
  CHECK(dropped > 8000 - 320);
  CHECK(dropped < 8000 + 320);
  const auto [mean, sd] = moments(y);
  CHECK(std::abs(mean) < 0.02);
  CHECK(std::abs(sd - 1) < 0.02);
  // Backward: a where kept, 0 where dropped.
  const std::vector<double> dy(x.size(), 2.0);
  std::vector<double> dx(x.size());
  layer.backward(static_cast<const double*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<double*>(nullptr), batch);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < dx.size(); ++i) {
    const bool kept = std::abs(y[i] - (a * x[i] + b)) < 1e-12;
    wrong += std::abs(dx[i] - (kept ? 2.0 * a : 0.0)) > 1e-12;
  }
  CHECK(wrong == 0);
}

TEST_CASE("noise layers: float64 central finite differences with the noise held") {
  const auto x = fc::test::random_values(3 * 24, 5);
  nn::GaussianNoise<ratio<1, 3>>::bind<dims<24>> noise;
  CHECK(fc::test::check_gradients(noise, {}, x, 3, {}, reseed{}).passed(1e-6));
  nn::GaussianDropout<ratio<1, 3>>::bind<dims<24>> gd;
  CHECK(fc::test::check_gradients(gd, {}, x, 3, {}, reseed{}).passed(1e-6));
  nn::SpatialDropout1D<ratio<1, 3>>::bind<dims<4, 6>> sd;
  CHECK(fc::test::check_gradients(sd, {}, x, 3, {}, reseed{}).passed(1e-6));
  nn::AlphaDropout<ratio<1, 3>>::bind<dims<24>> ad;
  CHECK(fc::test::check_gradients(ad, {}, x, 3, {}, reseed{}).passed(1e-6));
}

TEST_CASE("noise layers: a small CNN with them trains, and evaluates without noise") {
  constexpr std::size_t n = 96;
  std::vector<float> x(n * 8 * 8 * 1);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = int(i % 2);
    for (std::size_t p = 0; p < 64; ++p)  // class 1: a bright left half
      x[i * 64 + p] = float((y[i] == 1 && p % 8 < 4 ? 1.0 : 0.0) + 0.1 * std::sin(double(i * 64 + p)));
  }
  using Net = fc::Sequential<fc::Input<8, 8, 1>, fc::GaussianNoise<ratio<1, 10>>,
                             fc::Conv2D<4, 3>, fc::ReLU, fc::SpatialDropout2D<ratio<1, 4>>,
                             fc::Flatten, fc::GaussianDropout<ratio<1, 10>>, fc::Dense<2>,
                             fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{3});
  auto train = fd::from_tensor_slices<fc::Features<8, 8, 1>, fc::ClassLabel<2>>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto loss = model.fit(train, fc::Epochs{10}, fc::Verbose{0})["loss"];
  CHECK(loss.back() < 0.5 * loss.front());
  // Inference draws no noise: evaluating twice gives the same.
  const double a = model.evaluate(train).at("loss"), b = model.evaluate(train).at("loss");
  CHECK(a == b);
  CHECK(model.evaluate(train).at("accuracy") > 0.95);
}

}  // namespace nn_noise_test
