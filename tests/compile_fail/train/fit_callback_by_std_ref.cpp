// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// std::ref(callback): fit takes callbacks by reference already; the wrapper is not a callback
// and would have been ignored.
// expected-error: fit: a callback passed as std::ref\(c\): fit already takes its callbacks by reference
// expected-error: Fix: pass c itself
#include <functional>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

struct Logger {
  int epochs = 0;
  void on_epoch_end(fc::TrainingState&, fc::Logs&) { ++epochs; }
};

int train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
  Logger logger;
#ifdef FITCHECK_EXPECT_PASS
  model.fit(data, fc::Epochs{3}, fc::Verbose{0}, logger);
#else
  model.fit(data, fc::Epochs{3}, fc::Verbose{0}, std::ref(logger));
#endif
  return logger.epochs;
}
