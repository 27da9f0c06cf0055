// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Probabilities never exceed 1: a threshold of 3/2 predicts class 0 everywhere.
// expected-error: BinaryIoU: the threshold must be a std::ratio in \[0, 1\]
// expected-error: Fix: BinaryIoU<iou_classes::one, std::ratio<1, 2>>
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
fm::BinaryIoU<fm::iou_classes::one, std::ratio<1, 2>> iou;
#else
fm::BinaryIoU<fm::iou_classes::one, std::ratio<3, 2>> iou;
#endif
