// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// repeat() with no count, then fit with no steps per epoch: "stuck at epoch 1".
// expected-error: fit: the pipeline is infinite \(repeat\(\) with no count\), so an epoch would never end: training is stuck at epoch 1 \[A1\]. Fix: pass StepsPerEpoch\{n\}
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source) {
  auto pipeline = source | fd::shuffle(1000) | fd::repeat() | fd::batch<32>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::Epochs{5}, fc::StepsPerEpoch{31});
#else
  return model.fit(pipeline, fc::Epochs{5});
#endif
}
