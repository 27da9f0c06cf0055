// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Trains an MLP on Fashion-MNIST (70,000 grayscale 28x28 images of clothing, 10 classes) read
// straight from its gzip'd IDX files, as Keras' fashion_mnist.load_data() + model.fit would:
// pixels rescaled inside the model (0-255 -> 0-1: [D1]), flattened for Dense layers (Conv2D is
// the next step), shuffled every epoch, Adam, the test set as validation data.
//
//   fashion_mnist [dir] [epochs]      dir: /usr/share/datasets/fashion-mnist (Debian's
//                                     dataset-fashion-mnist package, scripts/deps --tests)
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
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;

  using Image = fc::Features<28, 28>;
  using Class = fc::ClassLabel<10>;
  auto train_images = fd::from_idx<Image, Class>(dir + "/train-images-idx3-ubyte.gz",
                                                 dir + "/train-labels-idx1-ubyte.gz");
  auto test_images = fd::from_idx<Image, Class>(dir + "/t10k-images-idx3-ubyte.gz",
                                                dir + "/t10k-labels-idx1-ubyte.gz");
  const std::size_t n_train = train_images.size();
  const std::size_t n_test = test_images.size();
  auto train = std::move(train_images) | fd::shuffle(n_train, fc::Seed{1}) | fd::batch<128>();
  auto test = std::move(test_images) | fd::batch<256>();

  using Net = fc::Sequential<fc::Input<28, 28>, fc::Rescaling<std::ratio<1, 255>>, fc::Flatten,
                             fc::Dense<256>, fc::ReLU, fc::Dense<128>, fc::ReLU, fc::Dense<10>,
                             fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
      model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});

  std::printf("fashion_mnist: %zu training images, %zu test images\n", n_train, n_test);
  const auto start = std::chrono::steady_clock::now();
  model.fit(train, fc::Epochs{epochs}, fc::Validation{test});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const auto scores = model.evaluate(test);
  std::printf("training: %d epochs in %.2f s, %.0f samples/s (validation included)\n", epochs,
              took.count(), double(n_train) * epochs / took.count());
  std::printf("test: loss %.4f, accuracy %.2f %%\n", scores.at("loss"),
              100.0 * scores.at("accuracy"));
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
