// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// BinaryIoU thresholds every output against its own 0/1 target; class indices have none.
// expected-error: BinaryIoU scores every output against its own 0/1 target, but ClassLabel<K> gives one class index per sample
// expected-error: Fix: Metrics<metrics::MeanIoU> for class indices
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
#ifdef FITCHECK_EXPECT_PASS
using IoU = fm::MeanIoU;
#else
using IoU = fm::BinaryIoU<>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double iou(fc::Model<Net, fl::SparseCategoricalCrossentropy, fc::Metrics<IoU>>& model,
           fd::TensorSlices<fc::Features<8>, fc::ClassLabel<3>> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(IoU::name);
}
