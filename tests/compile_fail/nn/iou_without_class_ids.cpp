// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' IoU needs target_class_ids; with none the mean is over nothing, always 0.
// expected-error: IoU: no target class ids, so it averages nothing
// expected-error: Fix: IoU<1> \(the classes to average, as Keras. target_class_ids\), or MeanIoU for all classes
#include <fitcheck/fitcheck.hpp>

namespace fm = fitcheck::metrics;

#ifdef FITCHECK_EXPECT_PASS
fm::IoU<0> iou;
#else
fm::IoU<> iou;
#endif
