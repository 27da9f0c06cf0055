// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Trains an MLP on the digits data set (1797 images of 8x8 pixels with values 0..16, 10
// classes), the way a Keras user would: read the CSV into memory, hold out 20 % for the test,
// keep 10 % of the rest for validation, standardise the pixels inside the model (Normalization
// adapted on the training split: [D1]), shuffle every epoch, train with Adam, then
// report the test accuracy.
//
//   digits [path/to/digits.csv] [epochs]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "data/digits.csv";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 20;

  // 64 pixel columns, then `label`: the default column choice of from_csv.
  using Pixels = fc::Features<64>;
  using Digit = fc::ClassLabel<10>;
  auto csv = fd::from_csv<Pixels, Digit>(path);
  const std::size_t n = csv.cardinality().count;
  const std::size_t n_test = n / 5;
  const std::size_t n_val = (n - n_test) / 10;
  const std::size_t n_train = n - n_test - n_val;

  // Read the file once into memory in one fixed random order (what a Keras user does with
  // NumPy arrays), then split it: no epoch reads the file again. The data is 460 KiB; data
  // that does not fit in memory stays streamed [B3].
  std::vector<float> pixels;
  std::vector<int> digits;
  pixels.reserve(n * Pixels::size);
  digits.reserve(n);
  for (const auto& b : csv | fd::shuffle(n, fc::Seed{2026}) | fd::batch<256>()) {
    pixels.insert(pixels.end(), b.x_data(), b.x_data() + b.size() * Pixels::size);
    digits.insert(digits.end(), b.y_data(), b.y_data() + b.size());
  }
  auto part = [&](std::size_t first, std::size_t count) {
    return fd::from_tensor_slices<Pixels, Digit>(
        std::span<const float>(pixels).subspan(first * Pixels::size, count * Pixels::size),
        std::span<const int>(digits).subspan(first, count));
  };
  auto train_samples = part(0, n_train);
  auto train = train_samples | fd::shuffle(n_train, fc::Seed{1}) | fd::batch<64>();
  auto val = part(n_train, n_val) | fd::batch<64>();
  auto test = part(n_train + n_val, n_test) | fd::batch<64>();

  // Pixels are 0..16 with very different spreads per position: standardise each.
  using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<256>,
                             fc::ReLU, fc::Dense<128>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
      model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});

  fc::nn::adapt<0>(model.network_layers(), train_samples);

  std::printf("digits: %zu samples: %zu train, %zu validation, %zu test\n", n, n_train, n_val,
              n_test);
  std::fputs(model.summary(fc::BatchSize{64}).c_str(), stdout);
  const auto start = std::chrono::steady_clock::now();
  const auto history = model.fit(train, fc::Epochs{epochs}, fc::Validation{val});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("training: %d epochs in %.3f s (validation and progress output included)\n",
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
