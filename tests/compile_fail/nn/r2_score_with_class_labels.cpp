// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// R2Score measures how much of the targets' variance a regression explains; class indices have
// none to explain.
// expected-error: R2Score compares predicted values with regression targets, but the labels name classes
// expected-error: Fix: Accuracy, AUC or F1Score for class labels
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;
using Loss = fl::MeanSquaredError;
using Y = fc::RegressionTarget<1>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<3>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double r2(fc::Model<Net, Loss, fc::Metrics<fm::R2Score<>>>& model,
          fd::TensorSlices<fc::Features<8>, Y> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(fm::R2Score<>::name);
}
