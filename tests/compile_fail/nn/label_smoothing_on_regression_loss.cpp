// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LabelSmoothing on a regression loss: there are no classes to smooth towards.
// expected-error: LabelSmoothing: only the cross-entropies and the focal losses smooth their labels
// expected-error: Fix: use the loss without LabelSmoothing
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::MeanSquaredError;
using Y = fc::RegressionTarget<>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::LabelSmoothing<fl::MeanSquaredError, std::ratio<1, 10>>;
using Y = fc::RegressionTarget<>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
