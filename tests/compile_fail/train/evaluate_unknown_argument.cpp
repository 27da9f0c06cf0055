// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A stray argument to evaluate (here a batch size, as Keras' positional batch_size would be)
// would be ignored silently: it does not compile, and the sentence lists what evaluate takes.
// expected-error: evaluate: an argument is neither an option nor a callback with a hook evaluate calls, so it would be ignored
// expected-error: evaluate takes ValidationSteps\{n\}, Verbose\{...\} and callbacks
// expected-error: on_test_batch_end\(TrainingState&, double\)
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

double score(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.evaluate(data, fc::Verbose{0}).at("loss");
#else
  return model.evaluate(data, 32, fc::Verbose{0}).at("loss");
#endif
}
