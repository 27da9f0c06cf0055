// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Keras' convolutional denoising autoencoder on Fashion-MNIST: Gaussian noise is added to each
// image, and a network learns to give the clean image back. The encoder halves the image twice
// with convolutions and max pooling; the decoder doubles it twice with transposed convolutions
// (Conv2DTranspose, stride 2, same padding); a last convolution with a sigmoid gives the pixels.
// The loss is the mean squared error against the clean image (regression targets of the image's
// own shape). At the end it compares, on the test set, how far the noisy images are from the
// clean ones and how far the denoised ones are.
//
//   fashion_mnist_denoise [dir] [epochs=5] [train images]
//       dir: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist package,
//       scripts/deps --tests); train images: how many of the 60,000 to train on.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using same = fc::padding;
using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<32, 3, 1, same::same>, fc::ReLU,
                           fc::MaxPooling2D<2>, fc::Conv2D<32, 3, 1, same::same>, fc::ReLU,
                           fc::MaxPooling2D<2>, fc::Conv2DTranspose<32, 3, 2, same::same>,
                           fc::ReLU,                                             // 7 -> 14
                           fc::Conv2DTranspose<32, 3, 2, same::same>, fc::ReLU,  // 14 -> 28
                           fc::Conv2D<1, 3, 1, same::same>, fc::Sigmoid>;
using Image = fc::Features<28, 28, 1>;
using Clean = fc::RegressionTarget<28, 28, 1>;

// The first `limit` images of an IDX file scaled to [0, 1], and the same images with Gaussian
// noise of standard deviation 0.4 added and clipped to [0, 1] (Keras' example's noise factor).
struct Images {
  xt::xtensor<float, 4> clean, noisy;
};
Images load(const std::string& dir, const std::string& images, const std::string& labels,
            std::size_t limit, std::uint64_t seed) {
  auto source = fd::from_idx<Image, fc::ClassLabel<10>>(dir + "/" + images, dir + "/" + labels);
  const std::size_t n = std::min(limit, source.size());
  Images out{xt::zeros<float>({n, std::size_t{28}, std::size_t{28}, std::size_t{1}}),
             xt::zeros<float>({n, std::size_t{28}, std::size_t{28}, std::size_t{1}})};
  fc::Rng rng(seed);
  std::size_t i = 0;
  for (const auto& batch : std::move(source) | fd::take(n) | fd::batch<1000>())
    for (std::size_t k = 0; k < batch.size() * Image::size; ++k, ++i) {
      const float clean = batch.x_data()[k] / 255.0f;
      // Box-Muller: one standard normal value from two uniform ones.
      const double u = 1.0 - rng.uniform_float(), v = rng.uniform_float();
      const double z = std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
      out.clean.data()[i] = clean;
      out.noisy.data()[i] = std::clamp(clean + 0.4f * float(z), 0.0f, 1.0f);
    }
  return out;
}

// The mean squared difference of two sets of n values.
double mse(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
  return s / double(n);
}

int main(int argc, char** argv) try {
  const std::string dir = argc > 1 ? argv[1] : "/usr/share/datasets/fashion-mnist";
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::size_t n_train = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 60000;

  const Images train_images =
      load(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", n_train, 1);
  const Images test_images =
      load(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000, 2);
  const std::size_t n = train_images.clean.shape(0);
  auto train = fd::from_tensor_slices<Image, Clean>(train_images.noisy, train_images.clean) |
               fd::shuffle(n, fc::Seed{3}) | fd::batch<128>();

  fc::Model<Net, fc::loss::MeanSquaredError> model(fc::optim::Adam{.learning_rate = 1e-3f},
                                                   fc::Seed{7});
  std::printf("fashion_mnist_denoise: %zu training images, %zu parameters\n", n, Net::param_count);
  std::fputs(model.summary(fc::BatchSize{128}).c_str(), stdout);
  const auto start = std::chrono::steady_clock::now();
  model.fit(train, fc::Epochs{epochs});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const auto denoised = model.predict(test_images.noisy, 256);  // (images, 784)
  const std::size_t values = test_images.clean.size();
  const double before = mse(test_images.noisy.data(), test_images.clean.data(), values);
  const double after = mse(denoised.data(), test_images.clean.data(), values);
  std::printf("training: %d epochs in %.1f s, %.0f samples/s\n", epochs, took.count(),
              double(n) * epochs / took.count());
  std::printf("test: noisy images %.4f from the clean ones, denoised %.4f (%.1fx closer)\n", before,
              after, before / after);
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
