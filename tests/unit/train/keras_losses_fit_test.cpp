// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Every loss of Keras' that fitcheck has trains a model through fit: the loss of the last epoch
// falls well below the first's on a problem the model can learn (the reference runs against
// PyTorch, tests/unit/train/loss_reference_test.cpp, check the steps exactly; this checks that
// each loss, with its label kind and output layer, is wired through Model, the rules and fit).
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace train_keras_losses_fit_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
using std::ratio;

namespace {
constexpr std::size_t n = 256;

// 4 standard-normal-ish features per sample (a fixed linear congruential sequence).
std::vector<float> features() {
  std::vector<float> x(n * 4);
  std::uint32_t s = 12345;
  for (auto& v : x) {
    float sum = 0;
    for (int i = 0; i < 4; ++i) {
      s = s * 1664525u + 1013904223u;
      sum += float(s >> 8) / float(1u << 24);
    }
    v = (sum - 2.0f) * 1.7f;
  }
  return x;
}

// The targets each loss family learns, from the features.
template <class Label>
std::vector<typename Label::value_type> targets(const std::vector<float>& x,
                                                const std::string& kind) {
  std::vector<typename Label::value_type> y;
  for (std::size_t i = 0; i < n; ++i) {
    const float* xi = &x[i * 4];
    if (kind == "bits") {  // three independent yes/no answers
      for (int j = 0; j < 3; ++j) y.push_back(xi[j] > 0 ? 1 : 0);
    } else if (kind == "onehot") {  // the class of the largest of the first three features
      const int c = xi[0] > xi[1] ? (xi[0] > xi[2] ? 0 : 2) : (xi[1] > xi[2] ? 1 : 2);
      for (int j = 0; j < 3; ++j) y.push_back(j == c ? 1 : 0);
    } else if (kind == "positive") {  // rates of 1.5 to 5, multiplicative in the features
      for (int j = 0; j < 3; ++j) y.push_back(std::exp(0.4f * xi[j]) + 1.5f);
    } else {  // "real": an unbounded linear map
      for (int j = 0; j < 3; ++j) y.push_back(xi[j] - 0.5f * xi[3]);
    }
  }
  return y;
}

// The model's last layers: an activation, or none (raw outputs).
template <class... Last>
struct ending {};

template <class Loss, class Label, class... Last>
void check_learns(ending<Last...>, const std::string& kind, double below = 0.8) {
  using Net = fc::Sequential<fc::Input<4>, fc::Dense<16>, fc::Tanh, fc::Dense<3>, Last...>;
  const auto x = features();
  const auto y = targets<Label>(x, kind);
  auto train = fd::from_tensor_slices<fc::Features<4>, Label>(
                   std::span<const float>(x), std::span<const typename Label::value_type>(y)) |
               fd::batch<32>();
  fc::Model<Net, Loss> model(fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{7});
  const auto history = model.fit(train, fc::Epochs{12}, fc::Verbose{0});
  const auto& loss = history["loss"];
  INFO(std::string(Loss::name));
  MESSAGE(std::string(Loss::name) << ": epoch 1 " << loss.front() << ", epoch 12 " << loss.back());
  for (const double l : loss) CHECK(std::isfinite(l));
  // A loss that can be negative (cosine similarity) must fall by the same margin below its start.
  CHECK(loss.back() < loss.front() - (1 - below) * std::abs(loss.front()));
}
}  // namespace

TEST_CASE("Keras' losses train through fit: the focal cross-entropies and label smoothing") {
  check_learns<fl::BinaryFocalCrossentropy<>, fc::MultiLabel<3>>(ending<fc::Sigmoid>{}, "bits");
  check_learns<fl::LabelSmoothing<fl::BinaryCrossentropy, ratio<1, 10>>, fc::MultiLabel<3>>(
      ending<fc::Sigmoid>{}, "bits");
  check_learns<fl::CategoricalFocalCrossentropy<>, fc::OneHotLabel<3>>(ending<fc::Softmax>{},
                                                                       "onehot");
  check_learns<fl::FromLogits<fl::LabelSmoothing<fl::CategoricalCrossentropy, ratio<1, 10>>>,
               fc::OneHotLabel<3>>(ending<>{}, "onehot");
}

TEST_CASE("Keras' losses train through fit: the margin losses") {
  check_learns<fl::Hinge, fc::MultiLabel<3>>(ending<>{}, "bits");
  check_learns<fl::SquaredHinge, fc::MultiLabel<3>>(ending<fc::Tanh>{}, "bits");
  check_learns<fl::CategoricalHinge, fc::OneHotLabel<3>>(ending<>{}, "onehot");
}

TEST_CASE("Keras' losses train through fit: the overlap losses") {
  check_learns<fl::Dice, fc::MultiLabel<3>>(ending<fc::Sigmoid>{}, "bits");
  check_learns<fl::Tversky<ratio<3, 10>, ratio<7, 10>>, fc::MultiLabel<3>>(ending<fc::Sigmoid>{},
                                                                          "bits");
  check_learns<fl::Dice, fc::OneHotLabel<3>>(ending<fc::Softmax>{}, "onehot");
}

TEST_CASE("Keras' losses train through fit: the regression losses") {
  check_learns<fl::LogCosh, fc::RegressionTarget<3>>(ending<>{}, "real");
  check_learns<fl::CosineSimilarity, fc::RegressionTarget<3>>(ending<>{}, "real");
  check_learns<fl::MeanSquaredLogarithmicError, fc::RegressionTarget<3>>(ending<fc::Softplus>{},
                                                                         "positive");
  check_learns<fl::MeanAbsolutePercentageError, fc::RegressionTarget<3>>(ending<fc::Softplus>{},
                                                                         "positive");
}

}  // namespace train_keras_losses_fit_test
