// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Sparse categorical cross-entropy over 3 softmax units for 4 classes: class 3 has no output
// ([C2]; Keras fails at run time, or silently on GPU).
// expected-error: SparseCategoricalCrossentropy: the output width differs from the number of classes \[C2\]
// expected-error: Fix: end the model with Dense<K>, Softmax
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<4>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<4>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
