// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// MeanIoU compares one predicted class per sample with one class; a label set has several.
// expected-error: MeanIoU and IoU compare each sample.s predicted class with its class, which needs ClassLabel<K> or OneHotLabel<K> labels
// expected-error: Fix: Metrics<metrics::BinaryIoU<>> for 0/1 targets \(BinaryLabel, MultiLabel<K>, masks\)
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Sigmoid>;
#ifdef FITCHECK_EXPECT_PASS
using IoU = fm::BinaryIoU<fm::iou_classes::one>;
#else
using IoU = fm::MeanIoU;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double iou(fc::Model<Net, fl::BinaryCrossentropy, fc::Metrics<IoU>>& model,
           fd::TensorSlices<fc::Features<8>, fc::MultiLabel<3>> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(IoU::name);
}
