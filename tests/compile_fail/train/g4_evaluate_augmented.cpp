// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// evaluate on an augmented pipeline: the scores would change from call to call.
// expected-error: evaluate / predict: the pipeline augments its images.*\[G4\]
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<4, 4>, fc::nn::Flatten, fc::nn::Dense<1>,
                                           fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

double score(std::span<const float> x, std::span<const int> y) {
#ifdef FITCHECK_EXPECT_PASS
  auto test = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y) | fd::batch<4>();
#else
  auto test = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y) |
              fd::augment({.rotation_range = 10}, fc::Seed{1}) | fd::batch<4>();
#endif
  Model model;
  return model.evaluate(test).at("loss");
}
