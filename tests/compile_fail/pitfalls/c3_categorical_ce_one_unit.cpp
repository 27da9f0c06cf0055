// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The Keras classic of [C3]: categorical cross-entropy on a 1-unit sigmoid output
// (`Dense(1, activation="sigmoid")` with `loss="categorical_crossentropy"`). The loss sums over
// one unit, so it cannot tell the classes apart. Here with two-class one-hot labels.
// expected-error: categorical cross-entropy after Sigmoid: sigmoid outputs do not sum to 1 \[C3\]
// expected-error: Fix: end the model with Softmax
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

using Y = fc::OneHotLabel<2>;
using Loss = fl::CategoricalCrossentropy;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, fc::ReLU, fc::Dense<2>, fc::Softmax>;
#else
using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#endif

double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<4>, Y>& batch) {
  return model.train_step(batch);
}
