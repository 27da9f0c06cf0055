// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Hinge with one-hot labels [C2]: it scores each unit as its own yes/no, so the classes do not
// compete; the multi-class margin is CategoricalHinge.
// expected-error: Hinge and SquaredHinge need 0/1 labels \(BinaryLabel, MultiLabel<K>\), which they score as -1/\+1 \[C2\]
// expected-error: Fix: CategoricalHinge for OneHotLabel<K>
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
using Loss = fl::SquaredHinge;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
