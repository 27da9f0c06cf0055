// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The data has 10 features, the model's Input declares 12.
// expected-error: fit: the data's feature shape differs from the model's Input shape \[C1\]. Fix: declare Input<...> with the data's Features
// expected-error: Shape<10>.*Shape<12>|Shape<12>.*Shape<10>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
#ifdef FITCHECK_EXPECT_PASS
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#else
using Net = fc::Sequential<fc::Input<12>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
#endif

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source) {
  auto pipeline = source | fd::batch<32>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
  return model.fit(pipeline, fc::Epochs{5});
}
