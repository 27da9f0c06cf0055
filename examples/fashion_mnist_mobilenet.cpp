// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// A small MobileNet on Fashion-MNIST, as a Keras user writes one: a strided stem, then blocks of
// a depthwise 3x3 convolution (each channel its own filter) and a pointwise 1x1 convolution that
// mixes the channels, each followed by BatchNormalization and ReLU6 (MobileNet's), a
// SeparableConv2D (the two in one layer, as Xception writes it), global average pooling and
// softmax; an L2 penalty on every convolution's kernels (Keras' kernel_regularizer=l2(1e-4),
// which the loss reports with the data's). Without the BatchNormalizations this stack does not
// learn: Keras' glorot fans for a depthwise kernel count every input channel, so each depthwise
// layer shrinks the signal (MobileNet relies on them too).
//
//   fashion_mnist_mobilenet [dir] [epochs=10] [train images]
//       dir: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist package,
//       scripts/deps --tests); train images: how many of the first 54,000 to train on (the last
//       6,000 are held out for validation).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ratio>
#include <string>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using same = fc::padding;
using Decay = fc::L2<std::ratio<1, 10000>>;
// Momentum 0.9: the moving statistics catch up within the few hundred steps of a short run.
using BN = fc::BatchNormalization<std::ratio<9, 10>>;
using Net = fc::Sequential<
    fc::Input<28, 28, 1>, fc::Rescaling<std::ratio<1, 255>>,
    fc::Regularized<fc::Conv2D<16, 3, 2, same::same>, Decay>, BN, fc::ReLU6,    // 14 x 14 x 16
    fc::Regularized<fc::DepthwiseConv2D<3, 1, same::same>, Decay>, BN, fc::ReLU6,
    fc::Regularized<fc::Conv2D<32, 1>, Decay>, BN, fc::ReLU6,                     // 14 x 14 x 32
    fc::Regularized<fc::DepthwiseConv2D<3, 2, same::same>, Decay>, BN, fc::ReLU6, // 7 x 7 x 32
    fc::Regularized<fc::Conv2D<64, 1>, Decay>, BN, fc::ReLU6,                     // 7 x 7 x 64
    fc::Regularized<fc::SeparableConv2D<64, 3, 1, same::same>, Decay>, BN, fc::ReLU6,
    fc::GlobalAveragePooling2D, fc::Dense<10>, fc::Softmax>;

int main(int argc, char** argv) try {
  const std::string dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 10;
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
               fd::batch<32>();
  auto validation = read("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz") |
                    fd::skip(n_fit) | fd::batch<256>();
  auto test = read("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz") | fd::batch<256>();

  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 2e-3f}, fc::Seed{7});
  std::printf("fashion_mnist_mobilenet: %zu training images, %zu for validation, %zu parameters\n",
              n_train, held_out, Net::param_count);
  std::fputs(model.summary(fc::BatchSize{32}).c_str(), stdout);
  const auto start = std::chrono::steady_clock::now();
  model.fit(train, fc::Epochs{epochs}, fc::Validation{validation});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const auto scores = model.evaluate(test);
  std::printf("training: %d epochs in %.1f s, %.0f samples/s (validation included)\n", epochs,
              took.count(), double(n_train) * epochs / took.count());
  std::printf("test: loss %.4f (with the weight penalties), accuracy %.2f %%\n", scores.at("loss"),
              100.0 * scores.at("accuracy"));
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
