// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Binary cross-entropy on a raw Dense output [C3]: the loss clips the scores into
// [eps, 1 - eps] as if they were probabilities. Keras' from_logits=False does the same, silently.
// expected-error: BinaryCrossentropy expects probabilities, but the model's last layer is not Sigmoid \[C3\]
// expected-error: Fix: end the model with Sigmoid, or use FromLogits<BinaryCrossentropy>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::FromLogits<fl::BinaryCrossentropy>;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
