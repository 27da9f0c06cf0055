// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// CategoricalHinge reads one-hot rows; class indices are not one [C2].
// expected-error: CategoricalHinge needs one-hot labels \(OneHotLabel<K>\) \[C2\]
// expected-error: Fix: declare OneHotLabel<K>, or use SparseCategoricalCrossentropy for ClassLabel<K>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>>;
using Loss = fl::CategoricalHinge;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>>;
using Loss = fl::CategoricalHinge;
using Y = fc::ClassLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
