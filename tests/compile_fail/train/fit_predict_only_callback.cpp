// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A callback with predict's hooks only, given to fit, would never be called there.
// expected-error: fit: an argument is neither an option nor a callback, so it would be ignored
// expected-error: on_test_batch_end\(TrainingState&, double\)
#include <span>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

struct Collect {
  std::size_t rows = 0;
  void on_predict_batch_end(fc::TrainingState&, std::span<const float> out) { rows += out.size(); }
};

std::size_t train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
  Collect collect;
#ifdef FITCHECK_EXPECT_PASS
  (void)model.predict(data, collect);
  return collect.rows;
#else
  return model.fit(data, 2, fc::Verbose{0}, collect).epochs();
#endif
}
