// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// predict reads the whole pipeline: ValidationSteps (evaluate's) would be ignored by it, so it
// does not compile.
// expected-error: predict: an argument is neither an option nor a callback with a hook predict calls
// expected-error: predict takes Verbose\{...\} and callbacks
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t outputs(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.predict(data, fc::Verbose{0}).size();
#else
  return model.predict(data, fc::ValidationSteps{1}).size();
#endif
}
