// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' recurrent_regularizer on a layer that has no recurrence.
// expected-error: Regularized<Layer, ..., recurrent_regularizer<...>>: only LSTM, GRU, SimpleRNN and Bidirectional have a recurrent kernel.*Fix: kernel_regularizer
// expected-error-count: 1
#include <ratio>

#include <fitcheck/nn.hpp>

namespace fc = fitcheck;
#ifdef FITCHECK_EXPECT_PASS
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::kernel_regularizer<fc::L2<>>>;
#else
using Layer = fc::Regularized<fc::Conv2D<4, 1>, fc::recurrent_regularizer<fc::L2<>>>;
#endif
using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, Layer, fc::Flatten, fc::Dense<1>>;

std::size_t parameters() { return Net::param_count; }
