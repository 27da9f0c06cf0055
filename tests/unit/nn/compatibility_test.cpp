// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The loss / output / label rules [C2], [C3], the side that must compile: every valid
// pairing passes loss_fits, and the ones people get wrong-footed by (sigmoid + binary
// cross-entropy over K units for multi-label data) train through the public API. The rejected
// side is tests/compile_fail/nn/c2_*.cpp and c3_*.cpp.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace nn_compatibility_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
using fc::nn::loss_fits;

// Sigmoid + binary cross-entropy: one unit for BinaryLabel, K units for MultiLabel<K>.
static_assert(loss_fits<fl::BinaryCrossentropy, fc::Sigmoid, 1, fc::BinaryLabel>());
static_assert(loss_fits<fl::BinaryCrossentropy, fc::Sigmoid, 5, fc::MultiLabel<5>>());
static_assert(loss_fits<fl::BinaryCrossentropy, fc::Sigmoid, 1, fc::MultiLabel<1>>());
// Logits forms end in Dense (or any non-probability layer).
using BceLogits = fl::FromLogits<fl::BinaryCrossentropy>;
static_assert(loss_fits<BceLogits, fc::Dense<1>, 1, fc::BinaryLabel>());
static_assert(loss_fits<BceLogits, fc::Dense<4>, 4, fc::MultiLabel<4>>());
// Softmax + sparse CE for class indices (BinaryLabel as 2 classes); + CE for one-hot.
static_assert(loss_fits<fl::SparseCategoricalCrossentropy, fc::Softmax, 4, fc::ClassLabel<4>>());
static_assert(loss_fits<fl::SparseCategoricalCrossentropy, fc::Softmax, 2, fc::BinaryLabel>());
static_assert(loss_fits<fl::FromLogits<fl::SparseCategoricalCrossentropy>, fc::Dense<10>, 10,
                        fc::ClassLabel<10>>());
static_assert(loss_fits<fl::CategoricalCrossentropy, fc::Softmax, 3, fc::OneHotLabel<3>>());
static_assert(loss_fits<fl::FromLogits<fl::CategoricalCrossentropy>, fc::Dense<3>, 3,
                        fc::OneHotLabel<3>>());
// Regression losses: any last layer, the output as wide as the target.
static_assert(loss_fits<fl::MeanSquaredError, fc::Dense<1>, 1, fc::RegressionTarget<>>());
static_assert(loss_fits<fl::MeanAbsoluteError, fc::Dense<6>, 6, fc::RegressionTarget<2, 3>>());
static_assert(loss_fits<fl::Huber<>, fc::Dense<2>, 2, fc::RegressionTarget<2>>());
static_assert(loss_fits<fl::Huber<std::ratio<1, 10>>, fc::Tanh, 1, fc::RegressionTarget<>>());
// ... and on 0/1 labels, on purpose (MSE on probabilities is the Brier score).
static_assert(loss_fits<fl::MeanSquaredError, fc::Sigmoid, 1, fc::BinaryLabel>());
static_assert(loss_fits<fl::MeanSquaredError, fc::Softmax, 3, fc::OneHotLabel<3>>());
static_assert(loss_fits<fl::MeanAbsoluteError, fc::Sigmoid, 4, fc::MultiLabel<4>>());

namespace {
// Set field by field: the optimizer's option list grows, and designated initializers would then
// trip -Wmissing-field-initializers.
fc::optim::Adam adam(float learning_rate) {
  fc::optim::Adam a;
  a.learning_rate = learning_rate;
  return a;
}

// K = 3 independent labels: label j is x_j > 0.
constexpr std::size_t n = 64;
struct multi_label_data {
  std::vector<float> x, y;
  multi_label_data() : x(n * 4), y(n * 3) {
    fc::Rng rng(7);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < 4; ++j) x[i * 4 + j] = 2 * rng.uniform_float() - 1;
      for (std::size_t j = 0; j < 3; ++j) y[i * 3 + j] = x[i * 4 + j] > 0 ? 1.0f : 0.0f;
    }
  }
};
}  // namespace

TEST_CASE("compatibility: MultiLabel<K> with Dense<K>, Sigmoid and BinaryCrossentropy trains") {
  // [C3]'s exception: sigmoid + binary cross-entropy over K units is right for multi-label
  // data, so the rule must look at the label kind, not at the unit count alone.
  using Net = fc::Sequential<fc::Input<4>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Sigmoid>;
  using M = fc::Model<Net, fl::BinaryCrossentropy,
                      fc::Metrics<fc::metrics::BinaryAccuracy, fc::metrics::Accuracy,
                                  fc::metrics::Precision, fc::metrics::Recall, fc::metrics::AUC>>;
  static_assert(loss_fits<M::loss_type, Net::last_spec, M::output_size, fc::MultiLabel<3>>());

  const multi_label_data d;
  auto train = fd::from_tensor_slices<fc::Features<4>, fc::MultiLabel<3>>(
                   std::span<const float>(d.x), std::span<const float>(d.y)) |
               fd::batch<16>();
  M model(adam(0.05f), fc::Seed{1});

  // One step on one batch through the public entry point, as the compile-fail twins do.
  fd::BatchData<fc::Features<4>, fc::MultiLabel<3>> batch(n);
  fd::Example<fc::Features<4>, fc::MultiLabel<3>> e;
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(d.x.begin() + long(i * 4), 4, e.x.begin());
    std::copy_n(d.y.begin() + long(i * 3), 3, e.y.begin());
    batch.push(e);
  }
  const double first = model.train_step(batch);
  CHECK(std::isfinite(first));

  const auto history = model.fit(train, fc::Epochs{30}, fc::Verbose{0});
  const auto logs = model.evaluate(train);
  CAPTURE(first);
  CAPTURE(logs.at("loss"));
  CHECK(logs.at("loss") < 0.5 * first);
  CHECK(logs.at("binary_accuracy") > 0.9);
  // For multi-label data Accuracy is the per-unit binary accuracy, as Keras' "accuracy".
  CHECK(logs.at("accuracy") == logs.at("binary_accuracy"));
  CHECK(logs.at("precision") > 0.8);
  CHECK(logs.at("recall") > 0.8);
  CHECK(logs.at("auc") > 0.95);
  CHECK(history.epochs() == 30);
}

TEST_CASE("compatibility: the regression losses train a Dense output") {
  // y = x0 - 2 x1, learnable by a linear layer.
  std::vector<float> x(2 * n), y(n);
  fc::Rng rng(3);
  for (std::size_t i = 0; i < n; ++i) {
    x[2 * i] = 2 * rng.uniform_float() - 1;
    x[2 * i + 1] = 2 * rng.uniform_float() - 1;
    y[i] = x[2 * i] - 2 * x[2 * i + 1];
  }
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::RegressionTarget<>>(
                   std::span<const float>(x), std::span<const float>(y)) |
               fd::batch<16>();
  using Net = fc::Sequential<fc::Input<2>, fc::Dense<1>>;
  using Regression = fc::Metrics<fc::metrics::MeanSquaredError, fc::metrics::MeanAbsoluteError>;
  auto run = [&](auto&& model) {
    const double before = model.evaluate(train).at("mean_absolute_error");
    (void)model.fit(train, fc::Epochs{60}, fc::Verbose{0});
    const auto logs = model.evaluate(train);
    CAPTURE(before);
    CHECK(logs.at("mean_absolute_error") < 0.2 * before);
    CHECK(logs.at("mean_squared_error") >= 0.0);
  };
  run(fc::Model<Net, fl::MeanSquaredError, Regression>(adam(0.05f)));
  run(fc::Model<Net, fl::MeanAbsoluteError, Regression>(adam(0.05f)));
  run(fc::Model<Net, fl::Huber<>, Regression>(adam(0.05f)));
}

}  // namespace nn_compatibility_test
