// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Keras' classic Fashion-MNIST CNN: two 3x3 convolutions with ReLU and 2x2 max pooling, a
// 128-unit hidden layer with dropout, softmax over the 10 classes, Adam, batches of 128. The
// images come straight from the gzip'd IDX files as (28, 28, 1) samples; the last 6,000
// training images are held out for validation (Keras' validation_split=0.1), the test set
// scores the trained model (20 epochs: 91.4 %, benchmarks/README.md).
//
//   fashion_mnist_cnn [dir] [epochs=20] [train images]
//       dir: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist package,
//       scripts/deps --tests); train images: how many of the first 54,000 to train on.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ratio>
#include <string>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) try {
  const std::string dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 20;
  constexpr std::size_t held_out = 6000;

  using Image = fc::Features<28, 28, 1>;
  using Class = fc::ClassLabel<10>;
  auto read = [&](const char* images, const char* labels) {
    return fd::from_idx<Image, Class>(dir + "/" + images, dir + "/" + labels);
  };
  auto all_train = read("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
  const std::size_t n_fit = all_train.size() - held_out;
  const std::size_t n_train =
      argc > 3 ? std::min<std::size_t>(n_fit, std::strtoul(argv[3], nullptr, 10)) : n_fit;
  auto train = std::move(all_train) | fd::take(n_train) | fd::shuffle(n_train, fc::Seed{1}) |
               fd::batch<128>();
  auto validation = read("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz") |
                    fd::skip(n_fit) | fd::batch<256>();
  auto test = read("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz") | fd::batch<256>();

  using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Rescaling<std::ratio<1, 255>>,
                             fc::Conv2D<32, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                             fc::Conv2D<64, 3>, fc::ReLU, fc::MaxPooling2D<2>, fc::Flatten,
                             fc::Dense<128>, fc::ReLU, fc::Dropout<std::ratio<1, 2>>,
                             fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
      model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});

  std::printf("fashion_mnist_cnn: %zu training images, %zu for validation, %zu parameters\n",
              n_train, held_out, Net::param_count);
  std::fputs(model.summary(fc::BatchSize{128}).c_str(), stdout);
  const auto start = std::chrono::steady_clock::now();
  model.fit(train, fc::Epochs{epochs}, fc::Validation{validation});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const auto scores = model.evaluate(test);
  std::printf("training: %d epochs in %.1f s, %.0f samples/s (validation included)\n", epochs,
              took.count(), double(n_train) * epochs / took.count());
  std::printf("test: loss %.4f, accuracy %.2f %%\n", scores.at("loss"),
              100.0 * scores.at("accuracy"));
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
