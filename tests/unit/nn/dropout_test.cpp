// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cstddef>
#include <ratio>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/data/data.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/dropout.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/train/model.hpp>

#include "gradient_check.hpp"

namespace nn_dropout_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

using Quarter = nn::Dropout<std::ratio<1, 4>>::bind<dims<100>>;

std::vector<bool> mask_of(const Quarter& layer, std::size_t n) {
  std::vector<bool> m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = layer.kept(i);
  return m;
}
}  // namespace

TEST_CASE("dropout: shapes, no parameters, a rate as std::ratio") {
  static_assert(std::is_same_v<Quarter::output_shape, fc::Shape<100>> && Quarter::param_count == 0);
  static_assert(nn::bound_layer<Quarter>);
  using Net = nn::Sequential<nn::Input<8>, nn::Dense<16>, nn::Dropout<std::ratio<1, 2>>, nn::Dense<1>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<1>> && Net::param_count == 8 * 16 + 16 + 17);
  CHECK(std::string(Quarter::name) == "Dropout");
}

TEST_CASE("dropout: inference is the identity, forward and backward") {
  Quarter layer;  // no reserve: inference needs no mask
  std::vector<float> x(200);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i) - 50.0f;
  CHECK(fc::test::forward_values(layer, x, 2, nn::mode::inference) == x);
  std::vector<float> dx(200, -1.0f);
  layer.backward(static_cast<const float*>(nullptr), x.data(), x.data(), x.data(), dx.data(),
                 static_cast<float*>(nullptr), 2);
  CHECK(dx == x);
}

TEST_CASE("dropout: training zeroes about Rate of the units and scales the rest by 1/(1-Rate)") {
  Quarter layer;
  layer.seed(3);
  layer.reserve(100);
  const std::vector<float> x(100 * 100, 3.0f);
  const auto y = fc::test::forward_values(layer, x, 100, nn::mode::training);
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] == 0.0f) {
      ++zeros;
      CHECK_FALSE(layer.kept(i));
    } else {
      REQUIRE(y[i] == doctest::Approx(4.0));  // 3 / (1 - 1/4)
      CHECK(layer.kept(i));
    }
  }
  // 10000 units: the binomial standard deviation of the fraction is 0.0043.
  CHECK(double(zeros) / 1e4 == doctest::Approx(0.25).epsilon(0.08));
  double sum = 0;
  for (float v : y) sum += v;
  CHECK(sum / 1e4 == doctest::Approx(3.0).epsilon(0.03));  // the expectation is kept
}

TEST_CASE("dropout: backward applies the mask of the last training forward") {
  Quarter layer;
  layer.seed(4);
  layer.reserve(2);
  const std::vector<float> x(200, 1.0f);
  const auto y = fc::test::forward_values(layer, x, 2, nn::mode::training);
  std::vector<float> dy(200), dx(200, -7.0f);
  for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = float(i);
  layer.backward(static_cast<const float*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<float*>(nullptr), 2);
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < dx.size(); ++i) {
    CHECK(dx[i] == doctest::Approx(y[i] == 0.0f ? 0.0 : dy[i] * 4.0 / 3.0));
    dropped += y[i] == 0.0f;
  }
  CHECK(dropped > 0);
}

TEST_CASE("dropout: the same seed gives the same masks, each step a new one") {
  Quarter a, b, c;
  a.seed(11);
  b.seed(11);
  c.seed(12);
  for (Quarter* l : {&a, &b, &c}) l->reserve(1);
  const std::vector<float> x(100, 1.0f);
  fc::test::forward_values(a, x, 1, nn::mode::training);
  fc::test::forward_values(b, x, 1, nn::mode::training);
  fc::test::forward_values(c, x, 1, nn::mode::training);
  const auto first = mask_of(a, 100);
  CHECK(first == mask_of(b, 100));
  CHECK(first != mask_of(c, 100));
  fc::test::forward_values(a, x, 1, nn::mode::training);
  fc::test::forward_values(b, x, 1, nn::mode::training);
  CHECK(mask_of(a, 100) != first);
  CHECK(mask_of(a, 100) == mask_of(b, 100));
}

TEST_CASE("dropout: the model's seed reaches the mask through Sequential::init") {
  using Net = nn::Sequential<nn::Input<4>, nn::Dense<100>, nn::Dropout<std::ratio<1, 4>>>;
  auto first_mask = [](std::uint64_t seed) {
    Net net;
    std::vector<float> params(Net::param_count);
    fc::Rng rng(seed);
    net.init(params, rng);
    net.reserve(1);
    std::vector<float> a0(4, 1.0f), a1(100), a2(100);
    float* acts[] = {a0.data(), a1.data(), a2.data()};
    net.forward(params.data(), acts, 1, nn::mode::training);
    const auto& drop = std::get<1>(net.layers());
    std::vector<bool> m(100);
    for (std::size_t i = 0; i < 100; ++i) m[i] = drop.kept(i);
    return m;
  };
  CHECK(first_mask(1) == first_mask(1));
  CHECK(first_mask(1) != first_mask(2));
}

TEST_CASE("dropout: rate 0 is the identity even in training") {
  nn::Dropout<std::ratio<0>>::bind<dims<5>> layer;
  const std::vector<float> x{1, 2, 3, 4, 5};
  CHECK(fc::test::forward_values(layer, x, 1, nn::mode::training) == x);
}

TEST_CASE("dropout: a training batch larger than reserve() sized is an error, not an overflow") {
  Quarter layer;
  layer.reserve(2);
  const std::vector<float> x(300, 1.0f);
  std::vector<float> y(300);
  try {
    layer.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 3, nn::mode::training);
    FAIL("a batch of 3 must not fit a mask for 2");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem() == "Dropout: a training batch of 3 samples, but reserve() sized the mask for 2");
    CHECK(e.fix().find("reserve(max_batch)") != std::string::npos);
  }
}

TEST_CASE("dropout: gradients match central differences with a fixed mask") {
  nn::Dropout<std::ratio<1, 3>>::bind<dims<2, 5>> layer;
  // Reseeding before every forward replays one mask, so the layer is a fixed linear map.
  const auto r = fc::test::check_gradients(layer, {}, fc::test::random_values(3 * 10, 51), 3, {},
                                           [](auto& l) { l.seed(99); });
  CHECK(r.dx_error <= 1e-6);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < 30; ++i) kept += layer.kept(i);
  CHECK(kept > 0);
  CHECK(kept < 30);  // the check covered dropped units as well as kept ones
}

TEST_CASE("dropout: inside a Model with Normalization, training is reproducible and learns") {
  // Two features on a scale Dense cannot use directly [D1]: 1000 + 100 u.
  fc::Rng rng(1);
  std::vector<float> x(2 * 256);
  std::vector<int> y(256);
  for (std::size_t i = 0; i < 256; ++i) {
    const float a = 2 * rng.uniform_float() - 1, b = 2 * rng.uniform_float() - 1;
    x[2 * i] = 1000 + 100 * a;
    x[2 * i + 1] = 1000 + 100 * b;
    y[i] = a + b > 0 ? 1 : 0;
  }
  using Net = nn::Sequential<nn::Input<2>, nn::Normalization, nn::Dense<16>, nn::ReLU,
                             nn::Dropout<std::ratio<1, 5>>, nn::Dense<1>, nn::Sigmoid>;
  using M = fc::Model<Net, fc::loss::BinaryCrossentropy>;
  auto run = [&](std::uint64_t seed, std::vector<double>* outputs = nullptr) {
    auto source = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(
        std::span<const float>(x), std::span<const int>(y));
    auto train = source | fd::batch<32>();
    M model(fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{seed});
    nn::adapt<0>(model.network_layers(), source);
    auto losses = model.fit(train, fc::Epochs{8}, fc::Verbose{0})["loss"];
    if (outputs != nullptr) {
      const auto first = model.predict(train), second = model.predict(train);
      CHECK(first == second);  // inference draws no mask
      outputs->assign(first.begin(), first.end());
    }
    return losses;
  };
  std::vector<double> predictions;
  const auto losses = run(5, &predictions);
  CHECK(losses.back() < 0.5 * losses.front());
  CHECK(losses == run(5));  // one seed fixes weights and every dropout mask
  CHECK(losses != run(6));
  std::size_t right = 0;
  for (std::size_t i = 0; i < 256; ++i) right += (predictions[i] > 0.5) == (y[i] == 1);
  CHECK(right > 230);
}

}  // namespace nn_dropout_test
