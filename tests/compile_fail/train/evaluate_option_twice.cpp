// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two ValidationSteps to evaluate: one would be ignored.
// expected-error: evaluate / predict: an option is given twice, so one would be ignored
// expected-error: Fix: pass ValidationSteps and Verbose at most once each
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

double score(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.evaluate(data, fc::ValidationSteps{1}).at("loss");
#else
  return model.evaluate(data, fc::ValidationSteps{1}, fc::ValidationSteps{2}).at("loss");
#endif
}
