// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Keras' "classification on imbalanced data" recipe on the digits data set: is the image a 9?
// About one image in ten is, so a model can score 90 % accuracy by never saying yes. The
// training data is split by class and the two pipelines drawn 1 : 1 by sample_from_datasets
// (each repeated, with StepsPerEpoch: tf.data's oversampling), and the model is judged by
// precision, recall, ROC AUC and PR AUC on a test split that keeps the real proportions. The same model
// trained on the data as it comes is printed first, for comparison.
//
//   imbalanced [path/to/digits.csv] [epochs]
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fm = fitcheck::metrics;

namespace {
using Pixels = fc::Features<64>;
using Nine = fc::BinaryLabel;
using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<32>, fc::ReLU, fc::Dense<1>,
                           fc::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy,
                        fc::Metrics<fm::Accuracy, fm::Precision, fm::Recall, fm::AUC, fm::PRAUC>>;

void report(const char* how, Model& model, auto& test) {
  const auto s = model.evaluate(test);
  std::printf("%s: accuracy %.3f, precision %.3f, recall %.3f, AUC %.3f, PR AUC %.3f\n", how,
              s.at("accuracy"), s.at("precision"), s.at("recall"), s.at("auc"), s.at("pr_auc"));
}
}  // namespace

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "data/digits.csv";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 10;

  // The digits, shuffled once, with the label "is a 9".
  auto csv = fd::from_csv<Pixels, fc::ClassLabel<10>>(path);
  const std::size_t n = csv.cardinality().count, n_test = n / 5, n_train = n - n_test;
  std::vector<float> pixels;
  std::vector<int> nine;
  for (const auto& b : csv | fd::shuffle(n, fc::Seed{2026}) | fd::batch<256>()) {
    pixels.insert(pixels.end(), b.x_data(), b.x_data() + b.size() * Pixels::size);
    for (std::size_t i = 0; i < b.size(); ++i) nine.push_back(b.y_data()[i] == 9 ? 1 : 0);
  }
  auto part = [&](std::size_t first, std::size_t count) {
    return fd::from_tensor_slices<Pixels, Nine>(
        std::span<const float>(pixels).subspan(first * Pixels::size, count * Pixels::size),
        std::span<const int>(nine).subspan(first, count));
  };
  auto train_samples = part(0, n_train);
  auto test = part(n_train, n_test) | fd::batch<128>();
  std::size_t positives = 0;
  for (std::size_t i = 0; i < n_train; ++i) positives += nine[i];
  std::printf("imbalanced: %zu training images, %zu of them 9s (%.1f %%); %zu test images\n",
              n_train, positives, 100.0 * double(positives) / double(n_train), n_test);

  // As it comes: one pass an epoch, the 9s about one sample in ten.
  const std::size_t steps = (n_train + 63) / 64;
  {
    Model model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});
    fc::nn::adapt<0>(model.network_layers(), train_samples);
    auto plain = train_samples | fd::shuffle(n_train, fc::Seed{1}) | fd::batch<64>();
    (void)model.fit(plain, fc::Epochs{epochs}, fc::Verbose{0});
    report("as it comes ", model, test);
  }
  // Oversampled: each class its own endless pipeline, drawn 1 : 1, as many steps an epoch.
  Model model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});
  fc::nn::adapt<0>(model.network_layers(), train_samples);
  auto of_class = [&](int c) {
    return train_samples | fd::filter([c](const auto& e) { return e.y[0] == c; }) |
           fd::shuffle(n_train, fc::Seed{std::uint64_t(3 + c)}) | fd::repeat();
  };
  auto balanced =
      fd::sample_from_datasets({0.5, 0.5}, fc::Seed{5}, of_class(1), of_class(0)) |
      fd::batch<64>();
  (void)model.fit(balanced, fc::Epochs{epochs}, fc::StepsPerEpoch{steps}, fc::Verbose{0});
  report("oversampled ", model, test);
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
