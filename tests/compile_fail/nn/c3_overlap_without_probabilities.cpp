// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dice on raw outputs [C3]: outputs outside [0, 1] let the "overlap" grow without bound.
// expected-error: Dice and Tversky measure the overlap of probabilities with the targets, but the model's last layer is neither Sigmoid nor Softmax.*\[C3\]
// expected-error: Fix: end the model with Sigmoid \(a mask, labels on their own\) or Softmax \(one class per output row\)
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<4>>;
#endif
using Loss = fl::Dice;
using Y = fc::MultiLabel<4>;

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
