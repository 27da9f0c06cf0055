// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Trains an MLP on the digits data set (1797 images of 8x8 pixels with values 0..16, 10
// classes), the way a Keras user would: read the CSV, hold out 20 % for the test, keep 10 % of
// the rest for validation, standardise the pixels inside the model (Normalization adapted on
// the training split: PITFALLS D1), shuffle every epoch, train with Adam, then report the test
// accuracy.
//
//   digits [path/to/digits.csv] [epochs]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "data/digits.csv";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 20;

  // 64 pixel columns, then `label`: the default column choice of from_csv.
  auto digits = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(path);
  const std::size_t n = digits.cardinality().count;
  const std::size_t n_test = n / 5;
  const std::size_t n_val = (n - n_test) / 10;
  const std::size_t n_train = n - n_test - n_val;

  // One fixed random order splits the data (reshuffle::never keeps the split the same every
  // pass); the training part is then reshuffled every epoch.
  auto fixed_order = digits | fd::shuffle(n, fc::Seed{2026}, fd::reshuffle::never);
  auto train = fixed_order | fd::take(n_train) | fd::shuffle(n_train, fc::Seed{1}) |
               fd::batch<64>();
  auto val = fixed_order | fd::skip(n_train) | fd::take(n_val) | fd::batch<256>();
  auto test = fixed_order | fd::skip(n_train + n_val) | fd::batch<256>();

  // Pixels are 0..16 with very different spreads per position: standardise each.
  using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<256>,
                             fc::ReLU, fc::Dense<128>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
      model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});

  auto train_samples = fixed_order | fd::take(n_train);
  fc::nn::adapt<0>(model.network_layers(), train_samples);

  std::printf("digits: %zu samples: %zu train, %zu validation, %zu test\n", n, n_train, n_val,
              n_test);
  const auto start = std::chrono::steady_clock::now();
  const auto history = model.fit(train, fc::Epochs{epochs}, fc::Validation{val});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("training: %d epochs in %.3f s (reading the CSV each epoch, validation and progress "
              "output included)\n",
              epochs, took.count());
  const auto scores = model.evaluate(test);
  std::printf("test: loss %.4f, accuracy %.2f %% (%zu samples never seen in training)\n",
              scores.at("loss"), 100.0 * scores.at("accuracy"), n_test);
  std::printf("best validation accuracy %.2f %%\n",
              100.0 * *std::max_element(history["val_accuracy"].begin(),
                                        history["val_accuracy"].end()));
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
