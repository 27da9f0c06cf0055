// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: cache after shuffle.*: the first epoch.s order is frozen into the cache.*Fix: cache before shuffle: source \| cache\(\) \| shuffle\(n\)
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>>;
Src source();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return source() | fd::cache() | fd::shuffle(1000) | fd::batch<32>();
#else
  return source() | fd::shuffle(1000) | fd::cache() | fd::batch<32>();
#endif
}
