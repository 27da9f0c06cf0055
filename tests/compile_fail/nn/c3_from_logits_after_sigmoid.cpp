// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// from_logits=True after a Sigmoid layer [C3]: the sigmoid is applied twice, so the
// loss sees probabilities in (0.27, 0.73) and the gradients are squashed.
// expected-error: FromLogits<...> after a Sigmoid or Softmax layer applies the activation twice \[C3\]
// expected-error: Fix: end the model with Dense and keep FromLogits, or keep the activation and use the plain loss
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::FromLogits<fl::BinaryCrossentropy>;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
