// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// A run that survives a crash: the digits MLP with dropout, a learning rate cut on plateaus,
// early stopping that keeps the best weights, a CSV log and the best checkpoint, all in one run
// directory, with Keras' BackupAndRestore. Kill it at any moment (Ctrl-C, `kill -9`, a power
// cut) and start it again with the same directory: it resumes after the last finished epoch and
// ends with the very model, history and log the uninterrupted run ends with.
//
//   resume [path/to/digits.csv] [run dir] [epochs] [--kill-at-batch N]
//
// --kill-at-batch N kills the process (SIGKILL: no cleanup, no flush, as a crash) when the Nth
// training batch of this run has finished, to try it without waiting for a real crash.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <span>
#include <string>
#include <vector>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

// The crash, on demand.
struct kill_at_batch {
  long at = 0;  // 0: never
  long seen = 0;
  void on_train_batch_end(fc::TrainingState&, double) {
    if (at > 0 && ++seen == at) std::raise(SIGKILL);
  }
};

int main(int argc, char** argv) try {
  const std::string path = argc > 1 ? argv[1] : "data/digits.csv";
  const std::string run = argc > 2 ? argv[2] : "digits_run";
  const int epochs = argc > 3 ? std::atoi(argv[3]) : 12;
  std::filesystem::create_directories(run);
  kill_at_batch crash;
  if (argc > 5 && std::strcmp(argv[4], "--kill-at-batch") == 0) crash.at = std::atol(argv[5]);

  using Pixels = fc::Features<64>;
  using Digit = fc::ClassLabel<10>;
  // Every pipeline is seeded: a resumed run replays the batches the interrupted one drew.
  auto csv = fd::from_csv<Pixels, Digit>(path);
  const std::size_t n = csv.cardinality().count, n_test = n / 5, n_train = n - n_test;
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
  auto train = train_samples | fd::shuffle(n_train, fc::Seed{1}) | fd::batch<64>();
  auto test = part(n_train, n_test) | fd::batch<128>();

  using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<128>, fc::ReLU,
                             fc::Dropout<std::ratio<1, 5>>, fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 2e-3f}, fc::Seed{7});
  fc::nn::adapt<0>(model.network_layers(), train_samples);

  // A backup at each epoch's end and every 10 batches: a crash loses at most 10 steps. (A
  // backup of this model takes about a millisecond, ten of its steps less: a real run picks a
  // save_freq whose steps take far longer than one backup.)
  fc::callbacks::BackupAndRestore backup{.backup_dir = run + "/backup", .save_freq = 10};
  fc::callbacks::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.01};
  fc::callbacks::EarlyStopping<"loss"> early{.patience = 3, .restore_best_weights = true};
  fc::callbacks::CSVLogger log{.filename = run + "/log.csv"};
  fc::callbacks::ModelCheckpoint<"loss"> best{.filepath = run + "/best.fcw",
                                              .save_best_only = true};
  const auto history = model.fit(train, fc::Epochs{epochs}, fc::Verbose{2}, plateau, early, log,
                                 best, crash, backup);

  const auto scores = model.evaluate(test);
  std::printf("trained %zu epochs%s\n", history.epochs(),
              backup.resumed_at()
                  ? (", resumed after epoch " + std::to_string(*backup.resumed_at())).c_str()
                  : "");
  // Printed in full: a resumed run gives these digits exactly.
  std::printf("test: loss %.17g, accuracy %.2f %%\n", scores.at("loss"),
              100.0 * scores.at("accuracy"));
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
