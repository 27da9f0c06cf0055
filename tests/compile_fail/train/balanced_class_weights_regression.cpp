// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Class weights for regression targets: there are no classes to count.
// expected-error: balanced_class_weights: the labels are not classes \(multi-label or regression targets\) \[F1\]
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifdef FITCHECK_EXPECT_PASS
using Label = fc::ClassLabel<3>;
#else
using Label = fc::RegressionTarget<>;
#endif

fc::ClassWeights weights(fd::TensorSlices<fc::Features<10>, Label> source) {
  return fc::balanced_class_weights(source | fd::batch<32>());
}
