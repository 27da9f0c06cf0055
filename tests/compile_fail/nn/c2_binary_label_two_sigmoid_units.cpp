// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// One 0/1 label per sample scored against two sigmoid units [C2]: the label would be
// broadcast over both units, which then learn the same thing.
// expected-error: BinaryLabel needs exactly one output unit \[C2\]
// expected-error: Fix: end the model with Dense<1>, Sigmoid
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<2>, fc::Sigmoid>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
