// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A negative focusing exponent would weigh the well-classified examples most.
// expected-error: CategoricalFocalCrossentropy: gamma must be a std::ratio >= 0
// expected-error: Fix: CategoricalFocalCrossentropy<std::ratio<1, 4>, std::ratio<2>> \(Keras. gamma=2\.0\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalFocalCrossentropy<std::ratio<1, 4>, std::ratio<0>>;
using Y = fc::OneHotLabel<3>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalFocalCrossentropy<std::ratio<1, 4>, std::ratio<-2>>;
using Y = fc::OneHotLabel<3>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
