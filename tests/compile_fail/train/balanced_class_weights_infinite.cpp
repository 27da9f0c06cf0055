// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Class weights counted over an infinite pipeline: the count would never end.
// expected-error: balanced_class_weights: the pipeline is infinite \(repeat\(\) with no count\), so counting its classes would never end \[A1\]
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

fc::ClassWeights weights(fd::TensorSlices<fc::Features<10>, fc::ClassLabel<3>> source) {
#ifdef FITCHECK_EXPECT_PASS
  return fc::balanced_class_weights(source | fd::batch<32>());
#else
  return fc::balanced_class_weights(source | fd::repeat() | fd::batch<32>());
#endif
}
