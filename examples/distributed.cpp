// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// The digits MLP of examples/digits.cpp, trained by several processes together (data-parallel
// over MPI): every process runs this same program on its shard of the training data, and each
// step's gradients are averaged over all of them. Run it under mpiexec:
//
//   mpiexec -n 2 distributed [path/to/digits.csv] [epochs]
//
// With 2 processes and batches of 32 each, a step sees the 64 samples a one-process run with
// batch<64>() sees. Rank 0 prints the progress and the scores; every process ends with the same
// parameters.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/mpi.hpp>
#include <span>
#include <string>
#include <vector>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) {
  fc::mpi::Environment mpi(argc, argv);
  const fc::mpi::World world = mpi.world();
  try {
    const std::string path = argc > 1 ? argv[1] : "data/digits.csv";
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 20;

    using Pixels = fc::Features<64>;
    using Digit = fc::ClassLabel<10>;
    auto csv = fd::from_csv<Pixels, Digit>(path);
    const std::size_t n = csv.cardinality().count;
    const std::size_t n_test = n / 5;
    const std::size_t n_val = (n - n_test) / 10;
    const std::size_t n_train = n - n_test - n_val;

    // The same fixed random order in every process (the same seed), so the splits agree.
    std::vector<float> pixels;
    std::vector<int> digits;
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
    // Shard first, then shuffle within the shard [A13], [H1].
    auto train =
        train_samples | fd::shard(world) | fd::shuffle(n_train, fc::Seed{1}) | fd::batch<32>();
    auto val = part(n_train, n_val) | fd::shard(world) | fd::batch<32>();
    auto test = part(n_train + n_val, n_test) | fd::batch<64>();

    using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<256>, fc::ReLU,
                               fc::Dense<128>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
        model(fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});
    // Adapted on the whole training split (fit starts every process from rank 0's state).
    fc::nn::adapt<0>(model.network_layers(), train_samples);

    const bool chief = world.rank() == 0;
    if (chief)
      std::printf("digits: %zu train samples in %zu processes, batches of 32 each\n", n_train,
                  world.size());
    const auto start = std::chrono::steady_clock::now();
    const auto history =
        model.fit(train, fc::Epochs{epochs}, fc::DataParallel{world}, fc::Validation{val});
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    // The test set is scored whole in each process (the same model everywhere); rank 0 reports.
    const auto scores = model.evaluate(test);
    if (chief) {
      std::printf("training: %d epochs in %.3f s\n", epochs, took.count());
      std::printf("test: loss %.4f, accuracy %.2f %% (%zu samples never seen in training)\n",
                  scores.at("loss"), 100.0 * scores.at("accuracy"), n_test);
      std::printf("last validation accuracy %.2f %%\n", 100.0 * history["val_accuracy"].back());
    }
    return 0;
  } catch (const fc::error& e) {
    // Every process stops with the error (docs/pitfalls.md, H2); one message is enough.
    if (world.rank() == 0) std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
