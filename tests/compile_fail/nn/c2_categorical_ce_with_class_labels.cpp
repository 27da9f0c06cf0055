// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Categorical cross-entropy needs one-hot rows, but the data holds class indices ([C2];
// Keras reports a shape mismatch, or with a (N, 1) label a wrong loss).
// expected-error: CategoricalCrossentropy needs one-hot labels \(OneHotLabel<K>\) \[C2\]
// expected-error: Fix: SparseCategoricalCrossentropy for ClassLabel<K>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::ClassLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
