// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A callback whose only hook is misspelt (on_epoch_ended) would never be called: it is not a
// callback, and fit says which hooks it looks for.
// expected-error: fit: an argument is neither an option nor a callback
// expected-error: on_epoch_end\(TrainingState&, Logs&\)
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

struct Logger {
  int epochs = 0;
#ifdef FITCHECK_EXPECT_PASS
  void on_epoch_end(fc::TrainingState&, fc::Logs&) { ++epochs; }
#else
  void on_epoch_ended(fc::TrainingState&, fc::Logs&) { ++epochs; }
#endif
};

int train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
  Logger logger;
  model.fit(data, fc::Epochs{3}, fc::Verbose{0}, logger);
  return logger.epochs;
}
