// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Training advances the pipeline (its shuffle order and position): a const one is refused with
// a sentence, not an overload dump. (A temporary pipeline written in the call is accepted.)
// expected-error: fit: the pipeline is const, but training advances it
// expected-error: Fix: pass the pipeline itself, not a const reference to it
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y) {
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>(), 3,
                   fc::Verbose{0}).epochs();
#else
  const auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  return model.fit(data, 3, fc::Verbose{0}).epochs();
#endif
}
