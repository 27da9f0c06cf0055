// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Smoothing a smoothed loss: the second amount would silently replace the first.
// expected-error: LabelSmoothing: the loss is already smoothed
// expected-error: Fix: keep one LabelSmoothing
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::LabelSmoothing<fl::CategoricalCrossentropy, std::ratio<1, 10>>;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::LabelSmoothing<fl::LabelSmoothing<fl::CategoricalCrossentropy, std::ratio<1, 10>>, std::ratio<1, 10>>;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
