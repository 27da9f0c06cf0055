// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// 10 samples, batch of 20 with drop_remainder: no batch at all [A9], known statically.
// expected-error: batch<N>\(drop_remainder\) on a data set smaller than N yields no batch at all, so nothing trains \[A9\].*Fix: a batch size no larger than the data set
#include <xtensor/xfixed.hpp>

#include <fitcheck/data/data.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

auto pipeline(const xt::xtensor_fixed<float, xt::xshape<10, 4>>& x,
              const xt::xtensor_fixed<int, xt::xshape<10>>& y) {
  auto source = fd::from_tensor_slices<fc::Features<4>, fc::BinaryLabel>(x, y);
#ifdef FITCHECK_EXPECT_PASS
  return source | fd::batch<10>(fd::drop_remainder);
#else
  return source | fd::batch<20>(fd::drop_remainder);
#endif
}
