// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dice pairs each output with its own target [C2]: 3 outputs for 4 labels leave one unscored.
// expected-error: Dice and Tversky compare each output with its own target, but the output width differs from the label width \[C2\]
// expected-error: Fix: make the last layer as wide as the targets
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Sigmoid>;
#endif
using Y = fc::MultiLabel<4>;

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, fl::Dice>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
