// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A part that never ends, then another: the second is never read.
// expected-error: concatenate after an infinite pipeline: a part that never ends \(repeat\(\) with no count\) is followed by another, which is never reached \[A15\]
// expected-error: Fix: repeat after concatenating: concatenate\(a, b\) \| repeat\(\)
#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Src = fd::TensorSlices<fc::Features<4>, fc::ClassLabel<3>>;
Src train();
Src extra();

auto pipeline() {
#ifdef FITCHECK_EXPECT_PASS
  return fd::concatenate(train(), extra()) | fd::repeat() | fd::batch<32>();
#else
  return fd::concatenate(train() | fd::repeat(), extra()) | fd::batch<32>();
#endif
}
