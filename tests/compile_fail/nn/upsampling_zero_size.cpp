// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// An upsampling of size 0 along the width: every image would have no columns.
// expected-error: UpSampling1D / UpSampling2D: a size of 0 repeats each value no times.*Fix: a size of at least 1
// expected-error-count: 1
#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Up = fc::UpSampling2D<fc::Window{2, 1}>;
#else
using Up = fc::UpSampling2D<fc::Window{2, 0}>;
#endif
using Net = fc::Sequential<fc::Input<7, 7, 4>, Up, fc::Conv2D<1, 3>, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
