// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two ClassWeights: which would weigh a sample?
// expected-error: fit: two ClassWeights: a sample's class has one weight \[F1\]\. Fix: pass one ClassWeights
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<3>, fc::Softmax>;

fc::History train(fd::TensorSlices<fc::Features<10>, fc::ClassLabel<3>> source) {
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model;
  auto pipeline = source | fd::batch<32>();
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::Epochs{5}, fc::ClassWeights{1.0, 2.0, 1.0});
#else
  return model.fit(pipeline, fc::Epochs{5}, fc::ClassWeights{1.0, 2.0, 1.0},
                   fc::ClassWeights{1.0, 1.0, 1.0});
#endif
}
