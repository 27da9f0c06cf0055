// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A hinge loss on sigmoid outputs [C3]: its margin wants scores past -1 and +1, which (0, 1)
// never reaches, so the loss never settles.
// expected-error: a hinge loss after Sigmoid or Softmax: its margins \(an output above \+1 for a 1 label and below -1 for a 0.*\[C3\]
// expected-error: Fix: end the model with Dense \(raw scores\) or Tanh, or use a cross-entropy with the activation
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
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::Hinge;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
