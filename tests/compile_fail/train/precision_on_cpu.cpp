// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: Model: Precision<precision::tf32> and Precision<precision::bf16> are the GPU backend's policies; the CPU kernels compute in float32\. Fix: add fc::cuda_t
// expected-error-count: 1
// A reduced-precision policy on a CPU model would be silently ignored; it is a compile error.
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#ifdef FITCHECK_EXPECT_PASS
using Policy = fc::Precision<fc::precision::float32>;
#else
using Policy = fc::Precision<fc::precision::bf16>;
#endif

double step(const fc::data::BatchData<fc::Features<4>, fc::BinaryLabel>& batch) {
  fc::Model<Net, fc::loss::BinaryCrossentropy, Policy> model;
  return model.train_step(batch);
}
