// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Mean squared error on class indices through one unit [C2]: it treats class 4 as
// "twice class 2" and predicts values between classes.
// expected-error: a regression loss on ClassLabel<K> class indices treats the classes as ordered numbers.*\[C2\]
// expected-error: Fix: end the model with Dense<K>, Softmax and use SparseCategoricalCrossentropy
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<5>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<5>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::MeanSquaredError;
using Y = fc::ClassLabel<5>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
