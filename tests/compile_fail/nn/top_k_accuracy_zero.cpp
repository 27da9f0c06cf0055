// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Top-0 accuracy counts no sample as a hit: always 0.
// expected-error: TopKCategoricalAccuracy<0> counts nothing
// expected-error: Fix: K >= 1, e.g. 5
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<10>;
#ifdef FITCHECK_EXPECT_PASS
using Top = fm::TopKCategoricalAccuracy<1>;
#else
using Top = fm::TopKCategoricalAccuracy<0>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double accuracy(fc::Model<Net, Loss, fc::Metrics<Top>>& model,
                fd::TensorSlices<fc::Features<8>, Y> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(Top::name);
}
