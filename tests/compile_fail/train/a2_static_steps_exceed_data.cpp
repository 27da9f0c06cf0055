// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// 100 samples in batches of 10 hold 10 batches; 5 steps x 3 epochs need 15 (no repeat).
// expected-error: fit: steps_per_epoch x epochs need more batches than the pipeline holds, so training runs out of data after the first epochs \[A2\]. Fix: add repeat\(\) before batch
#include <xtensor/xfixed.hpp>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

fc::History train(const xt::xtensor_fixed<float, xt::xshape<100, 4>>& x,
                  const xt::xtensor_fixed<int, xt::xshape<100>>& y) {
  auto pipeline = fd::from_tensor_slices<fc::Features<4>, fc::BinaryLabel>(x, y) | fd::batch<10>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::epochs<2>, fc::steps_per_epoch<5>);
#else
  return model.fit(pipeline, fc::epochs<3>, fc::steps_per_epoch<5>);
#endif
}
