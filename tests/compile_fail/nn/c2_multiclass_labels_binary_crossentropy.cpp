// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The classic [C2]: 4 classes, one sigmoid unit, binary cross-entropy. Keras trains
// it without a word and the model learns nothing useful about classes 2 and 3.
// expected-error: BinaryCrossentropy with multi-class labels trains to nonsense.*\[C2\]
// expected-error: Fix: Dense<K>, Softmax with SparseCategoricalCrossentropy for ClassLabel<K>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<4>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::ClassLabel<4>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
