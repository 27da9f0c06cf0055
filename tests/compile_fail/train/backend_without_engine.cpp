// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// fc::reference_t is a kernel backend (the tests' plain loops), not one a Model trains on: the
// sentence names the tags that have a step engine, and it is the only error.
// expected-error: Model: this backend tag has no step engine
// expected-error: Fix: name fc::cuda_t to train on the GPU, or no backend tag to train on the host CPU
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

#ifdef FITCHECK_EXPECT_PASS
fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#else
fc::Model<Net, fc::loss::BinaryCrossentropy, fc::reference_t> model;
#endif
