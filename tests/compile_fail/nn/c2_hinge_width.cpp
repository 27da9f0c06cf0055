// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two output units for one yes/no label [C2].
// expected-error: Hinge and SquaredHinge score each output unit against its own label, but the output width differs from the label width \[C2\]
// expected-error: Fix: Dense<1> for BinaryLabel, Dense<K> for MultiLabel<K>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::Hinge;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<2>>;
using Loss = fl::Hinge;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
