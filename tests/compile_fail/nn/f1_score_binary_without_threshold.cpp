// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Without a threshold an F-score predicts each sample's largest output; with one sigmoid unit
// that is every sample (Keras reports the F1 of "always positive").
// expected-error: FBetaScore / F1Score without a threshold predicts each sample.s largest output
// expected-error: Fix: a threshold, F1Score<average::macro, std::ratio<1, 2>>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#ifdef FITCHECK_EXPECT_PASS
using F1 = fm::F1Score<fm::average::macro, std::ratio<1, 2>>;
#else
using F1 = fm::F1Score<>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double f1(fc::Model<Net, fl::BinaryCrossentropy, fc::Metrics<F1>>& model,
          fd::TensorSlices<fc::Features<8>, fc::BinaryLabel> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(F1::name);
}
