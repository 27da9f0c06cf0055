// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The threshold metrics score each output unit against a 0/1 label; a class index is not one.
// expected-error: AUC, PRAUC and the rate-at-rate metrics \(PrecisionAtRecall, ...\) score each output unit against a 0/1 label
// expected-error: Fix: declare BinaryLabel, MultiLabel<K> or OneHotLabel<K> labels
#include <fitcheck/fitcheck.hpp>
#include <ratio>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
namespace fm = fitcheck::metrics;

using Net = fc::Sequential<fc::Input<8>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
#ifdef FITCHECK_EXPECT_PASS
using Loss = fl::CategoricalCrossentropy;
using Y = fc::OneHotLabel<3>;
#else
using Loss = fl::SparseCategoricalCrossentropy;
using Y = fc::ClassLabel<3>;
#endif
using M = fm::PrecisionAtRecall<std::ratio<9, 10>>;

// Metrics count where users meet them: evaluate (or fit) over their data.
double score(fc::Model<Net, Loss, fc::Metrics<M>>& model, fd::TensorSlices<fc::Features<8>, Y> source) {
  auto batches = source | fd::batch<32>();
  return model.evaluate(batches).at(M::name);
}
