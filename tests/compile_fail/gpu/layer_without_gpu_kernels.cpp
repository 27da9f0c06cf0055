// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: Sequential: a layer of this network has no kernels for the cuda backend.*Fix: encode categories as features before the model
// expected-error: OneHot
// A layer without GPU kernels on fc::cuda_t is a compile error naming the layer, never a host
// loop over device memory. Built by tests/gpu with Thrust's CPU system.
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<1>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<1>, fc::OneHot<4>, fc::Dense<8>, fc::ReLU, fc::Dense<1>,
                           fc::Sigmoid>;
#endif

double step(const fc::data::BatchData<fc::Features<1>, fc::BinaryLabel>& batch) {
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::cuda_t> model;
  return model.train_step(batch);
}
