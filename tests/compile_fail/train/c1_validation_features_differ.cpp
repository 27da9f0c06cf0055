// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Validation data of another feature shape than the training data (two columns against
// three): the sentence says it is the validation data, not "the data".
// expected-error: fit: the validation data's feature shape differs from the training data.s \[C1\]
// expected-error: Fix: build the validation pipeline from the same columns
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<3>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x3, std::span<const float> x2, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<3>, fc::BinaryLabel>(x3, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  (void)x2;
  auto val = fd::from_tensor_slices<fc::Features<3>, fc::BinaryLabel>(x3, y) | fd::batch<4>();
#else
  auto val = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x2, y) | fd::batch<4>();
#endif
  return model.fit(data, 3, fc::Verbose{0}, fc::Validation{val}).epochs();
}
