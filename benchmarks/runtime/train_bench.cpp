// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Training throughput through Model::fit on a fitcheck pipeline (progress output off), as a user
// trains, in samples/s, for the three workloads of the compute-core issue:
//   seed   10-128(ReLU)-1(sigmoid), BCE, Adam, batch 32
//   digits 64-256-128-10 softmax CE, Adam, batch 64
//   wide   784-512-256-10 softmax CE, Adam, batch 256
//   cnn    Keras' Fashion-MNIST CNN on 28x28x1 images (Conv2D 32 3x3, ReLU, MaxPooling 2,
//          Conv2D 64 3x3, ReLU, MaxPooling 2, Flatten, Dense 128, ReLU, Dropout 0.5, Dense 10
//          softmax), CE, Adam, batch 64
//   lstm   text classification: 80 token indices from 2000, Embedding 32, LSTM 64, Dense 1
//          sigmoid, BCE, Adam, batch 32 (only when named: bench_train 4 1 lstm,gru)
//   gru    the same with GRU 64 (only when named)
//   lstm_dropout  the lstm workload with Keras' dropout=0.2, recurrent_dropout=0.2 (only when
//          named)
//   resnet a small ResNet on 28x28x1 images: Conv2D 16 3x3 same, BatchNormalization, ReLU, a
//          Residual block (Conv2D 16, BN, ReLU, Conv2D 16, BN), ReLU, a downsampling Add (Conv2D
//          32 stride 2, BN, ReLU, Conv2D 32, BN against a strided 1x1 Conv2D 32 and BN), ReLU,
//          GlobalAveragePooling2D, Dense 10 softmax, CE, Adam, batch 64 (only when named)
//   autoencoder  Keras' convolutional denoising autoencoder on 28x28x1 images: Conv2D 32 3x3
//          same, ReLU, MaxPooling 2, Conv2D 32, ReLU, MaxPooling 2, Conv2DTranspose 32 3x3
//          stride 2 same, ReLU, the same again, Conv2D 1 3x3 same, sigmoid; MSE against the
//          image itself, Adam, batch 128 (only when named)
//   mobilenet  MobileNet-style separable blocks on 28x28x1 images: Conv2D 16 3x3 stride 2 same,
//          ReLU6, DepthwiseConv2D 3x3 same, ReLU6, Conv2D 32 1x1, ReLU6, DepthwiseConv2D 3x3
//          stride 2 same, ReLU6, Conv2D 64 1x1, ReLU6, GlobalAveragePooling2D, Dense 10 softmax,
//          CE, Adam, batch 64 (only when named)
//   transformer  KerasHub's text classifier: the same tokens, TokenAndPositionEmbedding 32,
//          TransformerEncoder (intermediate 64, 2 heads), GlobalAveragePooling1D, Dense 1 sigmoid
//          (only when named)
// Each is run with the numeric guards on (the default) and off, epochs alternating, and the
// overhead of the guards is printed (the pre-flight scan, once per fit, is off in both).
// Usage: bench_train [seconds_per_workload=2] [threads=1] [workloads, e.g. cnn or seed,wide]
// With threads > 1 and no list only the wide and cnn workloads run (the multi-threaded rows),
// after set_fitcheck_threads(threads). Each workload also prints a `result fitcheck <name> <threads>
// <guards-on samples/s> <guards-off samples/s>` line for benchmarks/run_compute_bench.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ratio>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "train_workloads.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
// The one place this benchmark sets fitcheck's thread count (run_compute_bench's 2-thread row).
void set_fitcheck_threads(int n) { fitcheck::kernels::set_max_threads(static_cast<unsigned>(n)); }
int bench_threads = 1;  // what the result lines report

using fitcheck::bench::epoch_seconds;
using fitcheck::bench::random_data;

// Guarded and unguarded epochs alternate, so both see the same machine load; each keeps its
// best epoch over about `seconds`.
template <class Net, class Loss, class Pipeline>
void run_workload(const char* name, std::size_t n, double seconds, Pipeline train) {
  fc::Model<Net, Loss> on(fc::optim::Adam{.learning_rate = 1e-3f});
  fc::Model<Net, Loss> off(fc::optim::Adam{.learning_rate = 1e-3f});
  const fc::NumericGuards no_guards{.enabled = false};
  const fc::Preflight no_scan{.level = fc::check::off};  // once per fit: not per step
  (void)epoch_seconds(on, train, no_scan);  // warm-up: sizes the buffers
  (void)epoch_seconds(off, train, no_scan, no_guards);
  double best_on = 1e30, best_off = 1e30;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    best_on = std::min(best_on, epoch_seconds(on, train, no_scan));
    best_off = std::min(best_off, epoch_seconds(off, train, no_scan, no_guards));
  } while (std::chrono::steady_clock::now() < end);
  const double with_guards = double(n) / best_on, without = double(n) / best_off;
  std::printf("%-7s %14.0f %14.0f %9.2f %%\n", name, with_guards, without,
              100.0 * (without - with_guards) / without);
  std::printf("result fitcheck %s %d %.0f %.0f\n", name, bench_threads, with_guards, without);
}
template <class Net, class Loss, class In, std::size_t Classes, std::size_t Batch>
void workload(const char* name, std::size_t n, double seconds) {
  run_workload<Net, Loss>(name, n, seconds, random_data<In, Classes>(n) | fd::batch<Batch>());
}


// n sequences of `Length` token indices uniform in [0, Vocabulary), binary labels.
template <std::size_t Length, std::size_t Vocabulary>
auto random_tokens(std::size_t n) {
  fc::Rng rng(1);
  xt::xtensor<float, 2> xs = xt::zeros<float>({n, Length});
  xt::xtensor<int, 1> ys = xt::zeros<int>({n});
  for (auto& v : xs) v = float(rng.below(Vocabulary));
  for (auto& v : ys) v = int(rng.below(2));
  return fd::from_tensor_slices<fc::Features<Length>, fc::BinaryLabel>(xs, ys);
}
}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  bench_threads = argc > 2 ? std::atoi(argv[2]) : 1;
  const std::string only = argc > 3 ? argv[3] : "";
  // seed and digits are one-thread rows in the compute-core issue; wide and cnn run at any count.
  auto wanted = [&](const char* name, bool any_threads) {
    if (!only.empty()) return ("," + only + ",").find("," + std::string(name) + ",") != std::string::npos;
    return any_threads || bench_threads == 1;
  };
  set_fitcheck_threads(bench_threads);
  std::printf("%-7s %14s %14s %10s\n", "model", "guards on/s", "guards off/s", "overhead");
  if (wanted("seed", false))
    workload<fc::Sequential<fc::Input<10>, fc::Dense<128>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>,
             fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>("seed", 16384, seconds);
  if (wanted("digits", false))
    workload<fc::Sequential<fc::Input<64>, fc::Dense<256>, fc::ReLU, fc::Dense<128>, fc::ReLU,
                            fc::Dense<10>, fc::Softmax>,
             fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>("digits", 8192,
                                                                                 seconds);
  if (wanted("wide", true))
    workload<fc::Sequential<fc::Input<784>, fc::Dense<512>, fc::ReLU, fc::Dense<256>, fc::ReLU,
                            fc::Dense<10>, fc::Softmax>,
             fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 256>("wide", 4096,
                                                                                  seconds);
  if (wanted("cnn", true))
    workload<fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<32, 3>, fc::ReLU,
                            fc::MaxPooling2D<2>, fc::Conv2D<64, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                            fc::Flatten, fc::Dense<128>, fc::ReLU,
                            fc::Dropout<std::ratio<1, 2>>, fc::Dense<10>, fc::Softmax>,
             fc::loss::SparseCategoricalCrossentropy, fc::Features<28, 28, 1>, 10, 64>(
        "cnn", 2048, seconds);
  if (!only.empty() && wanted("resnet", true)) {
    using same = fc::padding;
    using BN = fc::BatchNormalization<>;
    workload<fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<16, 3, 1, same::same>, BN, fc::ReLU,
                            fc::Residual<fc::Conv2D<16, 3, 1, same::same>, BN, fc::ReLU,
                                         fc::Conv2D<16, 3, 1, same::same>, BN>,
                            fc::ReLU,
                            fc::Add<fc::Branch<fc::Conv2D<32, 3, 2, same::same>, BN, fc::ReLU,
                                               fc::Conv2D<32, 3, 1, same::same>, BN>,
                                    fc::Branch<fc::Conv2D<32, 1, 2>, BN>>,
                            fc::ReLU, fc::GlobalAveragePooling2D, fc::Dense<10>, fc::Softmax>,
             fc::loss::SparseCategoricalCrossentropy, fc::Features<28, 28, 1>, 10, 64>(
        "resnet", 1024, seconds);
  }
  if (!only.empty() && wanted("mobilenet", true)) {
    using same = fc::padding;
    workload<fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<16, 3, 2, same::same>, fc::ReLU6,
                            fc::DepthwiseConv2D<3, 1, same::same>, fc::ReLU6, fc::Conv2D<32, 1>,
                            fc::ReLU6, fc::DepthwiseConv2D<3, 2, same::same>, fc::ReLU6,
                            fc::Conv2D<64, 1>, fc::ReLU6, fc::GlobalAveragePooling2D,
                            fc::Dense<10>, fc::Softmax>,
             fc::loss::SparseCategoricalCrossentropy, fc::Features<28, 28, 1>, 10, 64>(
        "mobilenet", 1024, seconds);
  }
  if (!only.empty() && wanted("autoencoder", true)) {
    using same = fc::padding;
    using Image = fc::Features<28, 28, 1>;
    fc::Rng rng(1);
    xt::xtensor<float, 4> images =
        xt::zeros<float>({std::size_t{1024}, std::size_t{28}, std::size_t{28}, std::size_t{1}});
    for (auto& v : images) v = rng.uniform_float();
    run_workload<fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<32, 3, 1, same::same>, fc::ReLU,
                                fc::MaxPooling2D<2>, fc::Conv2D<32, 3, 1, same::same>, fc::ReLU,
                                fc::MaxPooling2D<2>, fc::Conv2DTranspose<32, 3, 2, same::same>,
                                fc::ReLU, fc::Conv2DTranspose<32, 3, 2, same::same>, fc::ReLU,
                                fc::Conv2D<1, 3, 1, same::same>, fc::Sigmoid>,
                 fc::loss::MeanSquaredError>(
        "autoencoder", 1024, seconds,
        fd::from_tensor_slices<Image, fc::RegressionTarget<28, 28, 1>>(images, images) |
            fd::batch<128>());
  }
  if (!only.empty() && wanted("lstm", false))
    run_workload<fc::Sequential<fc::Input<80>, fc::Embedding<2000, 32>, fc::LSTM<64>,
                                fc::Dense<1>, fc::Sigmoid>,
                 fc::loss::BinaryCrossentropy>("lstm", 2048, seconds,
                                               random_tokens<80, 2000>(2048) | fd::batch<32>());
  if (!only.empty() && wanted("lstm_dropout", false))
    run_workload<fc::Sequential<fc::Input<80>, fc::Embedding<2000, 32>,
                                fc::LSTM<64, fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>>,
                                fc::Dense<1>, fc::Sigmoid>,
                 fc::loss::BinaryCrossentropy>("lstm_dropout", 2048, seconds,
                                               random_tokens<80, 2000>(2048) | fd::batch<32>());
  if (!only.empty() && wanted("gru", false))
    run_workload<fc::Sequential<fc::Input<80>, fc::Embedding<2000, 32>, fc::GRU<64>, fc::Dense<1>,
                                fc::Sigmoid>,
                 fc::loss::BinaryCrossentropy>("gru", 2048, seconds,
                                               random_tokens<80, 2000>(2048) | fd::batch<32>());
  if (!only.empty() && wanted("transformer", false))
    run_workload<fc::Sequential<fc::Input<80>, fc::TokenAndPositionEmbedding<2000, 32>,
                                fc::TransformerEncoder<64, 2>, fc::GlobalAveragePooling1D,
                                fc::Dense<1>, fc::Sigmoid>,
                 fc::loss::BinaryCrossentropy>("transformer", 2048, seconds,
                                               random_tokens<80, 2000>(2048) | fd::batch<32>());
  return 0;
}
