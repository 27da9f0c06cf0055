// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Categorical cross-entropy over sigmoid units [C3]: the outputs do not sum to 1, so
// the loss rewards raising every unit at once.
// expected-error: categorical cross-entropy after Sigmoid: sigmoid outputs do not sum to 1 \[C3\]
// expected-error: Fix: end the model with Softmax
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Sigmoid>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
