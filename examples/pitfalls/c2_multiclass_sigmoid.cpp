// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [C2]: 4 classes with a 1-unit sigmoid and binary cross-entropy. Keras trains it
// without a word, to nonsense. In fitcheck the label kind ClassLabel<4> says there are 4
// classes, so it does not compile.
// The mistake: tests/compile_fail/nn/c2_multiclass_labels_binary_crossentropy.cpp
//   Dense<1>, Sigmoid + BinaryCrossentropy on ClassLabel<4>
//   -> BinaryCrossentropy with multi-class labels trains to nonsense ... [C2]
//      Fix: Dense<K>, Softmax with SparseCategoricalCrossentropy for ClassLabel<K> ...
// The fix below: 4 softmax units and sparse categorical cross-entropy.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<2>, fc::Dense<16>, fc::ReLU, fc::Dense<4>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy,
                        fc::Metrics<fc::metrics::Accuracy>>;

int main() {
  // 4 classes: the quadrant of the point.
  tiny::Blobs b = tiny::blobs(400);
  for (std::size_t i = 0; i < 400; ++i) b.y(i) = (b.x(i, 0) > 0 ? 1 : 0) + (b.x(i, 1) > 0 ? 2 : 0);
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<4>>(b.x, b.y) |
               fd::shuffle(400, fc::Seed{1}) | fd::batch<20>();

  Model model(fc::optim::Adam{.learning_rate = 0.02f});
  const auto h = model.fit(train, fc::Epochs{20}, fc::Verbose{0});
  std::printf("fix: Dense<4>, Softmax + SparseCategoricalCrossentropy: accuracy %.2f after %zu "
              "epochs\n", h["accuracy"].back(), h.epochs());
  return 0;
}
