// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dice over one output per sample [C2]: a negative sample's loss is 1 whatever the output.
// expected-error: Dice or Tversky over one output per sample: a sample labelled 0 has no overlap to score.*\[C2\]
// expected-error: Fix: BinaryCrossentropy for one yes/no per sample; Dice is for masks and label sets
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#ifdef FITCHECK_EXPECT_PASS
using Loss = fl::BinaryCrossentropy;
#else
using Loss = fl::Tversky<std::ratio<3, 10>, std::ratio<7, 10>>;
#endif
using Y = fc::BinaryLabel;

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
