// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// ClassWeights on regression targets: there are no classes to weigh.
// expected-error: fit: ClassWeights weigh each sample by its class, but these labels are not classes \(multi-label or regression targets\) \[F1\]\. Fix: leave ClassWeights out, or label the data with BinaryLabel, ClassLabel<K> or OneHotLabel<K>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>>;

fc::History train(fd::TensorSlices<fc::Features<10>, fc::RegressionTarget<>> source) {
  fc::Model<Net, fc::loss::MeanSquaredError> model;
  auto pipeline = source | fd::batch<32>();
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::Epochs{5});
#else
  return model.fit(pipeline, fc::Epochs{5}, fc::ClassWeights{1.0, 2.0});
#endif
}
