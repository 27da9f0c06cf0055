// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Four output units for three classes: one unit has no class [C2].
// expected-error: CategoricalHinge: the output width differs from the number of classes \[C2\]
// expected-error: Fix: end the model with Dense<K>
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
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>>;
using Loss = fl::CategoricalHinge;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
