// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Trains the digits MLP for 3 epochs with validation data, the TensorBoard callback logging epochs
// and every 10th batch, and writes the history beside the event files, for an independent reader
// (tensorboard_read.py, Google's protobuf library) to check.
//   tensorboard_export <digits.csv> <out dir>
#include <cstdio>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/callbacks.hpp>
#include <fstream>
#include <iomanip>
#include <string>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tensorboard_export <digits.csv> <out dir>\n");
    return 2;
  }
  const std::string dir = argv[2];
  std::filesystem::remove_all(dir + "/logs");  // one run's files only
  std::filesystem::create_directories(dir);
  using Net = fc::Sequential<fc::Input<64>, fc::Rescaling<std::ratio<1, 16>>, fc::Dense<32>,
                             fc::ReLU, fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{}, fc::Seed{5});
  auto csv = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(argv[1]);
  auto train = csv | fd::take(1400) | fd::shuffle(1400, fc::Seed{1}) | fd::batch<64>();
  auto held_out = csv | fd::skip(1400) | fd::batch<64>();
  fc::callbacks::TensorBoard board{.log_dir = dir + "/logs", .update_freq = 10};
  const auto history =
      model.fit(train, fc::Epochs{3}, fc::Validation{held_out}, fc::Verbose{0}, board);
  std::ofstream out(dir + "/history.txt");
  out << std::setprecision(17);
  for (const auto& [name, values] : history.all())
    for (std::size_t e = 0; e < values.size(); ++e)
      out << name << ' ' << e << ' ' << values[e] << '\n';
  std::printf("wrote %s/logs and the history of %zu epochs\n", dir.c_str(), history.epochs());
  return out ? 0 : 1;
} catch (const fitcheck::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
