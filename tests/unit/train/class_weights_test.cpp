// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// ClassWeights, Keras' class_weight: the training loss weighs each sample by its class (the
// formula is tested in nn/losses_test.cpp); here, that fit uses them for its steps only, that
// validation, evaluate and the metrics stay unweighted, the checks on the weights, and
// balanced_class_weights.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <fitcheck/fitcheck.hpp>
#include <span>
#include <string>
#include <support/errors.hpp>
#include <vector>

namespace train_class_weights_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fitcheck::test::message_of;

namespace {
// Imbalanced: y = 1 for about a quarter of the samples (x0 + x1 > 0.6).
struct blobs {
  std::vector<float> x;
  std::vector<int> y;
  explicit blobs(std::size_t n, std::uint64_t seed = 1) : x(2 * n), y(n) {
    fc::Rng rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
      x[2 * i] = 2 * rng.uniform_float() - 1;
      x[2 * i + 1] = 2 * rng.uniform_float() - 1;
      y[i] = x[2 * i] + x[2 * i + 1] > 0.6f ? 1 : 0;
    }
  }
  auto slices() const {
    return fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(x),
                                                                    std::span<const int>(y));
  }
};

using Net = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy,
                        fc::Metrics<fc::metrics::Accuracy, fc::metrics::Recall>>;
// The softmax cross-entropy runs the scalar loss loop with and without weights (the vectorised
// sigmoid one is unweighted only), so the two runs below can agree bit for bit.
using Net2 = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<2>, fc::Softmax>;
using Model2 =
    fc::Model<Net2, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;
}  // namespace

TEST_CASE(
    "ClassWeights: equal weights of 2 with SGD at rate r train exactly as none at rate 2r, "
    "the training loss doubles, validation and evaluate stay unweighted") {
  const blobs data(200), held_out(64, 9);
  // A pipeline each: a shuffle's order moves on with every pass it makes.
  auto train_w = data.slices() | fd::shuffle(200, fc::Seed{3}) | fd::batch<32>();
  auto train_p = data.slices() | fd::shuffle(200, fc::Seed{3}) | fd::batch<32>();
  auto val = held_out.slices() | fd::batch<32>();
  Model2 weighted(fc::optim::SGD{.learning_rate = 0.05f}, fc::Seed{5});
  Model2 plain(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{5});
  // Scaling every gradient by 2 (a power of two) is exact: the parameters agree bit for bit.
  const auto hw =
      weighted.fit(train_w, 4, fc::ClassWeights{2.0, 2.0}, fc::Validation{val}, fc::Verbose{0});
  const auto hp = plain.fit(train_p, 4, fc::Validation{val}, fc::Verbose{0});
  const auto pw = weighted.parameters(), pp = plain.parameters();
  CHECK(std::vector<float>(pw.begin(), pw.end()) == std::vector<float>(pp.begin(), pp.end()));
  for (std::size_t e = 0; e < 4; ++e) {
    CHECK(hw["loss"][e] == doctest::Approx(2 * hp["loss"][e]).epsilon(1e-6));
    CHECK(hw["val_loss"][e] == hp["val_loss"][e]);
    CHECK(hw["accuracy"][e] == hp["accuracy"][e]);
    CHECK(hw["val_accuracy"][e] == hp["val_accuracy"][e]);
  }
  CHECK(weighted.evaluate(val).at("loss") == plain.evaluate(val).at("loss"));
  // The weights belonged to that fit: the next one, without them and at the same rate, trains
  // as the model that never had them.
  weighted.optimizer().set_learning_rate(0.1f);
  const auto next_w = weighted.fit(train_w, 1, fc::Verbose{0});
  const auto next_p = plain.fit(train_p, 1, fc::Verbose{0});
  CHECK(next_w["loss"][0] == next_p["loss"][0]);
}

TEST_CASE("ClassWeights: weighing the rare class up raises its recall") {
  const blobs data(400);
  auto train = data.slices() | fd::shuffle(400, fc::Seed{3}) | fd::batch<32>();
  const auto recall_with = [&](std::vector<double> w) {
    Model model(fc::optim::SGD{.learning_rate = 0.05f}, fc::Seed{5});
    if (w.empty()) {
      (void)model.fit(train, 3, fc::Verbose{0});
    } else {
      (void)model.fit(train, 3, fc::ClassWeights(w), fc::Verbose{0});
    }
    return model.evaluate(train).at("recall");
  };
  const double plain = recall_with({}), weighted = recall_with({1.0, 4.0});
  MESSAGE("recall of the rare class after 3 epochs: " << plain << " unweighted, " << weighted
                                                      << " with ClassWeights{1, 4}");
  CHECK(weighted > plain + 0.1);
}

TEST_CASE(
    "ClassWeights: a count other than the classes', a negative, non-finite or all-zero "
    "weight is an argument_error naming it") {
  const blobs data(64);
  auto train = data.slices() | fd::batch<32>();
  Model model;
  const std::string count = message_of<fc::argument_error>([&] {
    (void)model.fit(train, 1, fc::ClassWeights{1.0, 2.0, 3.0}, fc::Verbose{0});
  });
  CHECK(count.find("fit: ClassWeights has 3 weights, but the labels have 2 classes [F1]") == 0);
  CHECK(count.find("Fix: give one weight per class, in class order (classes 0 to 1)") !=
        std::string::npos);
  CHECK(message_of<fc::argument_error>([] {
          (void)fc::ClassWeights{1.0, -0.5};
        })
            .find("ClassWeights: the weight of class 1 is -0.5, but a weight must be finite and "
                  "at least 0 [F1]") == 0);
  CHECK(message_of<fc::argument_error>([] {
          (void)fc::ClassWeights{std::numeric_limits<double>::quiet_NaN()};
        }).find("the weight of class 0 is nan") != std::string::npos);
  CHECK(message_of<fc::argument_error>([] {
          (void)fc::ClassWeights{0.0, 0.0};
        }).find("every weight is 0") != std::string::npos);
  CHECK(message_of<fc::argument_error>([] {
          (void)fc::ClassWeights(std::vector<double>{});
        }).find("ClassWeights: no weights") == 0);
  // The refused fit changed nothing: the next one trains unweighted.
  Model fresh;
  CHECK(model.fit(train, 1, fc::Verbose{0})["loss"][0] ==
        fresh.fit(train, 1, fc::Verbose{0})["loss"][0]);
}

TEST_CASE("balanced_class_weights: samples / (classes x class count), scikit-learn's 'balanced'") {
  const std::vector<float> x(8 * 2, 0.5f);
  const std::vector<int> y = {0, 0, 0, 1, 0, 0, 2, 2};
  auto three = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                          std::span<const int>(y)) |
               fd::batch<3>();
  const fc::ClassWeights w = fc::balanced_class_weights(three);
  REQUIRE(w.values.size() == 3);
  CHECK(w.values[0] == doctest::Approx(8.0 / (3 * 5)));
  CHECK(w.values[1] == doctest::Approx(8.0 / (3 * 1)));
  CHECK(w.values[2] == doctest::Approx(8.0 / (3 * 2)));
  // One-hot rows count by their 1.
  const std::vector<float> hot = {1, 0, 0, 1, 0, 1, 0, 1};
  auto onehot = fd::from_tensor_slices<fc::Features<2>, fc::OneHotLabel<2>>(
                    std::span<const float>(x.data(), 8), std::span<const float>(hot)) |
                fd::batch<2>();
  const fc::ClassWeights w2 = fc::balanced_class_weights(onehot);
  CHECK(w2.values[0] == doctest::Approx(4.0 / (2 * 1)));
  CHECK(w2.values[1] == doctest::Approx(4.0 / (2 * 3)));
  // A class with no sample has no finite weight.
  const std::vector<int> no_two = {0, 1, 0, 1, 0, 1, 1, 0};
  auto missing = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(
                     std::span<const float>(x), std::span<const int>(no_two)) |
                 fd::batch<4>();
  const std::string msg =
      message_of<fc::data_error>([&] { (void)fc::balanced_class_weights(missing); });
  CHECK(msg.find("balanced_class_weights: class 2 of 3 has no sample in the 8 samples of the "
                 "data") == 0);
}

}  // namespace train_class_weights_test
