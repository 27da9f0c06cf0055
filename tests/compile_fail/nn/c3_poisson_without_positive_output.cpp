// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Poisson on a Dense output [C3]: a negative predicted rate makes log(rate) NaN.
// expected-error: Poisson: the predicted rate must be positive, but the model.s last layer can output negative values.*\[C3\]
// expected-error: Fix: end the model with Softplus \(or ReLU, Sigmoid\)
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<2>, fc::Softplus>;
using Loss = fl::Poisson;
using Y = fc::RegressionTarget<2>;
#else
using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<2>>;
using Loss = fl::Poisson;
using Y = fc::RegressionTarget<2>;
#endif

// The rule fires where users meet it: the first training step on a batch of their data.
double step(fc::Model<Net, Loss>& model, const fd::BatchData<fc::Features<8>, Y>& batch) {
  return model.train_step(batch);
}
