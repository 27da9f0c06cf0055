// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// IoU<3> with three classes (0, 1, 2): class 3 never occurs, so the score would always be 0.
// expected-error: IoU: a target class id is not one of the labels. K classes \(ids count from 0\)
// expected-error: Fix: name classes 0 to K - 1, e.g. IoU<1> for the foreground of ClassLabel<2>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
#ifdef FITCHECK_EXPECT_PASS
using IoU = fm::IoU<1, 2>;
#else
using IoU = fm::IoU<1, 3>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double iou(fc::Model<Net, fl::SparseCategoricalCrossentropy, fc::Metrics<IoU>>& model,
           fd::TensorSlices<fc::Features<8>, fc::ClassLabel<3>> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(IoU::name);
}
