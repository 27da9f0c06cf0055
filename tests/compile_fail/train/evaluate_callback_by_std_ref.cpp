// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// std::ref(callback) to evaluate: it takes callbacks by reference already; the wrapper is not a
// callback and would have been ignored.
// expected-error: evaluate / predict: a callback passed as std::ref\(c\): they already take their callbacks by reference
// expected-error: Fix: pass c itself
#include <functional>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

struct Batches {
  int seen = 0;
  void on_test_batch_end(fc::TrainingState&, double) { ++seen; }
};

int score(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
  Batches batches;
#ifdef FITCHECK_EXPECT_PASS
  (void)model.evaluate(data, batches);
#else
  (void)model.evaluate(data, std::ref(batches));
#endif
  return batches.seen;
}
