// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The epoch count is an integer (fit(train, 10), Epochs{10} or epochs<10>); 2.5 epochs is not.
// expected-error: fit: the second argument is the number of epochs: a positive integer, Epochs\{n\} or epochs<N>
// expected-error: Fix: fit\(train, 10, \.\.\.\) or fit\(train, Epochs\{10\}, \.\.\.\)
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(data, 3, fc::Verbose{0}).epochs();
#else
  return model.fit(data, 2.5, fc::Verbose{0}).epochs();
#endif
}
