// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Softmax + binary cross-entropy on single-label one-hot data [C3]: Keras trains it and
// reports an inflated "accuracy", since each unit is scored as its own yes/no.
// expected-error: BinaryCrossentropy after Softmax: softmax outputs compete.*\[C3\]
// expected-error: Fix: Sigmoid for binary or multi-label outputs, or Softmax with \(Sparse\)CategoricalCrossentropy
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::BinaryCrossentropy;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
