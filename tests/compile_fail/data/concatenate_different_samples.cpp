// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Joining pipelines of different samples: one model could not read both.
// expected-error: the pipelines joined yield different samples \(another feature shape or label kind\), so one model could not read them all
// expected-error: Fix: map each to the same Features<...> and label kind before joining them
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>> train();
#ifdef FITCHECK_EXPECT_PASS
fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>> extra();
#else
fd::TensorSlices<fc::Features<5>, fc::ClassLabel<3>> extra();
#endif

auto pipeline() { return fd::concatenate(train(), extra()) | fd::batch<32>(); }
