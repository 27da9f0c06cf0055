// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// KLDivergence with class indices [C2]: it compares two distributions, and a class index is
// not one.
// expected-error: KLDivergence compares distributions: its labels are OneHotLabel<K> or RegressionTarget<K> rows that sum to 1 \(soft targets\) \[C2\]
// expected-error: Fix: SparseCategoricalCrossentropy for ClassLabel<K>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::KLDivergence;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::KLDivergence;
using Y = fc::ClassLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
