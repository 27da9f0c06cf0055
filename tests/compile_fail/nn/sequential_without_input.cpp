// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Sequential whose first entry is a layer, not Input<...>: one error with the sentence, not
// a cascade through the model and fit that use it.
// expected-error: Sequential: the first entry must be the input shape
// expected-error: Fix: Sequential<Input<N>, Dense<\.\.\.>, \.\.\.>
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#endif

std::size_t train(std::span<const float> x, std::span<const int> y) {
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
  auto data = fd::from_tensor_slices<fc::Features<10>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  return model.fit(data, 2, fc::Verbose{0}).epochs() + model.predict(data).shape(0);
}
