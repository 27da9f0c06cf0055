// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An alpha of 0 weighs every term by nothing: the loss is 0 and nothing trains.
// expected-error: CategoricalFocalCrossentropy: alpha must be a std::ratio in \(0, 1\]
// expected-error: Fix: CategoricalFocalCrossentropy<std::ratio<1, 4>> \(Keras. alpha=0\.25\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalFocalCrossentropy<std::ratio<1, 2>>;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalFocalCrossentropy<std::ratio<0>>;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
