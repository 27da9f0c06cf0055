// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' loss metrics: the values Keras' docstrings give, and in a model the same number as the
// loss it trains on.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <support/metrics.hpp>

#include <fitcheck/fitcheck.hpp>

namespace nn_loss_metrics_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fm = fitcheck::metrics;
using fitcheck::test::feed;

TEST_CASE("loss metrics: Keras' names and documented values") {
  CHECK(std::string(fm::BinaryCrossentropy::name) == "binary_crossentropy");
  CHECK(std::string(fm::SparseCategoricalCrossentropy::name) == "sparse_categorical_crossentropy");
  CHECK(std::string(fm::KLDivergence::name) == "kl_divergence");
  // y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]] (Keras' metric docstrings).
  const std::vector<float> pred = {0.6f, 0.4f, 0.4f, 0.6f};
  const std::vector<float> truth = {0, 1, 0, 0};
  fm::BinaryCrossentropy bce;
  feed<fc::MultiLabel<2>>(bce, pred, truth, 2);
  CHECK(bce.result() == doctest::Approx(0.81492424).epsilon(1e-5));
  fm::KLDivergence kld;
  feed<fc::RegressionTarget<2>>(kld, pred, truth, 2);
  CHECK(kld.result() == doctest::Approx(0.45814306).epsilon(1e-5));
  fm::Hinge hinge;
  feed<fc::MultiLabel<2>>(hinge, pred, truth, 2);
  CHECK(hinge.result() == doctest::Approx(1.3).epsilon(1e-6));
  fm::SquaredHinge squared;
  feed<fc::MultiLabel<2>>(squared, pred, truth, 2);
  CHECK(squared.result() == doctest::Approx(1.86).epsilon(1e-6));
  fm::CategoricalHinge categorical;
  feed<fc::OneHotLabel<2>>(categorical, pred, truth, 2);
  CHECK(categorical.result() == doctest::Approx(1.4).epsilon(1e-6));
  fm::Poisson poisson;
  feed<fc::RegressionTarget<2>>(poisson, {1, 1, 0, 0}, truth, 2);
  CHECK(poisson.result() == doctest::Approx(0.49999997).epsilon(1e-5));
  // [[0, 1, 0], [0, 0, 1]] against [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]: 1.1769392, one-hot or
  // as class indices.
  const std::vector<float> three = {0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f};
  fm::CategoricalCrossentropy cce;
  feed<fc::OneHotLabel<3>>(cce, three, std::vector<float>{0, 1, 0, 0, 0, 1}, 3);
  CHECK(cce.result() == doctest::Approx(1.1769392).epsilon(1e-5));
  fm::SparseCategoricalCrossentropy scce;
  feed<fc::ClassLabel<3>>(scce, three, std::vector<std::int32_t>{1, 2}, 3);
  CHECK(scce.result() == doctest::Approx(1.1769392).epsilon(1e-5));
  // Batch by batch: the mean over every term, as one batch; reset forgets.
  fm::SparseCategoricalCrossentropy split;
  split.update<fc::ClassLabel<3>>(three.data(), std::vector<std::int32_t>{1}.data(), 1, 3);
  split.update<fc::ClassLabel<3>>(three.data() + 3, std::vector<std::int32_t>{2}.data(), 1, 3);
  CHECK(split.result() == doctest::Approx(scce.result()).epsilon(1e-6));
  fm::SparseCategoricalCrossentropy again;
  again.restore_state(split.backup_state());
  CHECK(again.result() == split.result());
  split.reset();
  CHECK(split.result() == 0.0);
}

TEST_CASE("loss metrics: in a model, the metric is the loss another model trains on") {
  // The model trains on the focal loss and reports the cross-entropy; a second model trained on
  // the cross-entropy reports it as its loss: the metric equals that loss on the same weights.
  std::vector<float> x;
  std::vector<std::int32_t> y;
  fc::Rng rng(12);
  for (std::size_t i = 0; i < 64; ++i) {
    float s = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      x.push_back(2.0f * rng.uniform_float() - 1.0f);
      s += x.back() * (j % 2 ? 1.0f : -1.0f);
    }
    y.push_back(s > 0 ? 1 : 0);
  }
  using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, fc::Tanh, fc::Dense<1>, fc::Sigmoid>;
  auto data = fd::from_tensor_slices<fc::Features<4>, fc::BinaryLabel>(
                  std::span<const float>(x), std::span<const std::int32_t>(y)) |
              fd::batch<16>();
  fc::Model<Net, fc::loss::BinaryFocalCrossentropy<>, fc::Metrics<fm::BinaryCrossentropy>> focal(
      fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{3});
  const fc::History h = focal.fit(data, 5, fc::Verbose{0});
  CHECK(h["binary_crossentropy"].back() < h["binary_crossentropy"].front());
  fc::Model<Net, fc::loss::BinaryCrossentropy> plain(fc::optim::Adam{}, fc::Seed{3});
  const auto p = focal.parameters();
  std::copy(p.begin(), p.end(), plain.parameters().begin());
  const auto metric = focal.evaluate(data).at("binary_crossentropy");
  const auto loss = plain.evaluate(data).at("loss");
  CHECK(metric == doctest::Approx(loss).epsilon(1e-5));  // probabilities against logits
}

}  // namespace nn_loss_metrics_test
