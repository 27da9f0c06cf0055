// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The sparse top-k accuracy reads one class index per sample; one-hot rows are not that.
// expected-error: SparseTopKCategoricalAccuracy needs integer class labels \(ClassLabel<K>\)
// expected-error: Fix: TopKCategoricalAccuracy for OneHotLabel<K>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<10>;
#ifdef FITCHECK_EXPECT_PASS
using Top = fm::TopKCategoricalAccuracy<3>;
#else
using Top = fm::SparseTopKCategoricalAccuracy<3>;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double accuracy(fc::Model<Net, Loss, fc::Metrics<Top>>& model,
                fd::TensorSlices<fc::Features<8>, Y> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(Top::name);
}
