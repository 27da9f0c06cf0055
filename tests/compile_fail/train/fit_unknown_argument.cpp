// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A stray argument (here a number, as Keras' positional batch_size would be) would be ignored
// silently: it does not compile, and the sentence lists what fit takes.
// expected-error: fit: an argument is neither an option nor a callback, so it would be ignored
// expected-error: fit takes StepsPerEpoch\{n\}, steps_per_epoch<N>, StepsPerExecution\{n\}, Validation\{data\}
// expected-error: Fix: remove the argument, or check the spelling and signature of the callback's hooks
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(data, 5, fc::Verbose{0}).epochs();
#else
  return model.fit(data, 5, 32, fc::Verbose{0}).epochs();
#endif
}
