// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A Model on fc::cuda_t in a build without the cuda backend: no step engine for it, said once.
// expected-error: Model<..., fc::cuda_t>: the cuda backend is not compiled in. Fix: configure with -DFITCHECK_ENABLE_CUDA=ON and compile this file with nvcc
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

#ifdef FITCHECK_EXPECT_PASS
fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#else
fc::Model<Net, fc::loss::BinaryCrossentropy, fc::cuda_t> model;
#endif
