// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' kernel_regularizer on a layer without a kernel (gamma and beta regularizers are not there).
// expected-error: Regularized<Layer, ...>: this layer has no kernel to regularize.*Fix: regularize the Dense or Conv2D layers
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::L2<>>;
#else
using Layer = fc::Regularized<fc::BatchNormalization<>, fc::L2<>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
