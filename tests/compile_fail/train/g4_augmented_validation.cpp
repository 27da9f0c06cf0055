// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Validation data that is augmented: val_loss would score randomly transformed images.
// expected-error: fit: the validation pipeline augments its images.*\[G4\]
// expected-error: Fix: leave augment\(\) out of the validation pipeline
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<4, 4>, fc::nn::Flatten, fc::nn::Dense<1>,
                                           fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y) {
  const fd::Augmentation flips{.horizontal_flip = true};
  auto data = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y) |
              fd::augment(flips, fc::Seed{1}) | fd::batch<4>();
#ifdef FITCHECK_EXPECT_PASS
  auto val = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y) | fd::batch<4>();
#else
  auto val = fd::from_tensor_slices<fc::Features<4, 4>, fc::BinaryLabel>(x, y) |
             fd::augment(flips, fc::Seed{1}) | fd::batch<4>();
#endif
  Model model;
  return model.fit(data, 3, fc::Verbose{0}, fc::Validation{val}).epochs();
}
