// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An amount above 1 moves the labels past the uniform distribution, to negative targets.
// expected-error: LabelSmoothing: the amount must be a std::ratio in \[0, 1\]
// expected-error: Fix: LabelSmoothing<Loss, std::ratio<1, 10>> \(label_smoothing=0\.1\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::LabelSmoothing<fl::BinaryCrossentropy, std::ratio<1, 5>>;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::LabelSmoothing<fl::BinaryCrossentropy, std::ratio<3, 2>>;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
