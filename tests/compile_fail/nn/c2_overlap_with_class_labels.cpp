// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Dice with class indices [C2]: one index per sample has no per-output target to overlap.
// expected-error: Dice and Tversky compare each output with its own target, but ClassLabel<K> gives one class index per sample \[C2\]
// expected-error: Fix: OneHotLabel<K> with Softmax, or SparseCategoricalCrossentropy for class indices
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::Dice;
#ifdef FITCHECK_EXPECT_PASS
using Y = fc::OneHotLabel<3>;
#else
using Y = fc::ClassLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
