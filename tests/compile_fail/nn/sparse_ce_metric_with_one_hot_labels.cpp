// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The sparse cross-entropy metric reads one class index per sample: a one-hot row read as one
// would be garbage.
// expected-error: metrics::SparseCategoricalCrossentropy reads class indices \(ClassLabel<K>\)
// expected-error: Fix: metrics::CategoricalCrossentropy for OneHotLabel<K>
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<3>;
#ifdef FITCHECK_EXPECT_PASS
using M = fm::CategoricalCrossentropy;
#else
using M = fm::SparseCategoricalCrossentropy;
#endif

// Metrics count where users meet them: evaluate (or fit) over their data.
double score(fc::Model<Net, Loss, fc::Metrics<M>>& model, fd::TensorSlices<fc::Features<8>, Y> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(M::name);
}
