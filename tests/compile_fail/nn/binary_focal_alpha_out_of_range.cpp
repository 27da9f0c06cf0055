// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A class-balancing alpha above 1 would weigh the 0 labels' terms negatively.
// expected-error: BinaryFocalCrossentropy: alpha must be a std::ratio in \[0, 1\], or void for no class balancing
// expected-error: Fix: BinaryFocalCrossentropy<std::ratio<2>, std::ratio<1, 4>> \(Keras. apply_class_balancing=True, alpha=0.25\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryFocalCrossentropy<std::ratio<2>, std::ratio<1, 4>>;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryFocalCrossentropy<std::ratio<2>, std::ratio<5, 4>>;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
