// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// sample_from_datasets is a random stage: a cache after it freezes its first order.
// expected-error: cache after shuffle \(or sample_from_datasets, also random\): the first epoch.s order is frozen into the cache
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::BinaryLabel>;
Src positives();
Src negatives();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return fd::sample_from_datasets({0.5, 0.5}, positives() | fd::cache(), negatives() | fd::cache()) |
         fd::batch<32>();
#else
  return fd::sample_from_datasets({0.5, 0.5}, positives(), negatives()) | fd::cache() |
         fd::batch<32>();
#endif
}
