// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: shard after shuffle.*: each worker shuffles differently.*Fix: shard first: source \| shard\(num_workers, worker_index\) \| shuffle\(n\)
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>>;
Src source();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return source() | fd::shard(2, 0) | fd::shuffle(1000);
#else
  return source() | fd::shuffle(1000) | fd::shard(2, 0);
#endif
}
