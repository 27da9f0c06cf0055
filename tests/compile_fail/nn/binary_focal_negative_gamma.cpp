// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A negative focusing exponent would weigh the well-classified examples most.
// expected-error: BinaryFocalCrossentropy: gamma must be a std::ratio >= 0
// expected-error: Fix: BinaryFocalCrossentropy<std::ratio<2>> \(Keras. gamma=2\.0\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryFocalCrossentropy<std::ratio<1, 2>>;
using Y = fc::BinaryLabel;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Loss = fl::BinaryFocalCrossentropy<std::ratio<-1, 2>>;
using Y = fc::BinaryLabel;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
