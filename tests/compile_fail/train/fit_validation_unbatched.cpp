// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A validation pipeline of single samples (batch() forgotten on it, not on the training data).
// expected-error: fit: the validation pipeline yields single samples, but the model evaluates batches
// expected-error: Fix: end the validation pipeline with batch<N>\(\) too
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
#ifdef FITCHECK_EXPECT_PASS
  auto val = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
#else
  auto val = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y);
#endif
  Model model;
  return model.fit(data, 3, fc::Verbose{0}, fc::Validation{val}).epochs();
}
