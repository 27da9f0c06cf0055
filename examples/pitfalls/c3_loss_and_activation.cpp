// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [C3]: a loss that disagrees with the output activation trains silently to garbage.
// Each does not compile in fitcheck:
//   Softmax + BinaryCrossentropy:      tests/compile_fail/nn/c3_softmax_binary_crossentropy.cpp
//   CategoricalCE after Sigmoid:       tests/compile_fail/nn/c3_categorical_ce_after_sigmoid.cpp
//   FromLogits after Sigmoid (twice):  tests/compile_fail/nn/c3_from_logits_after_sigmoid.cpp
//   BinaryCE without any Sigmoid:      tests/compile_fail/nn/c3_binary_crossentropy_without_sigmoid.cpp
//   Softmax over one unit (always 1):  tests/compile_fail/nn/softmax_single_unit.cpp
// The fixes below: a plain Dense<1> with FromLogits<BinaryCrossentropy> (Keras'
// from_logits=True), and sigmoid + binary cross-entropy over K units, which is VALID for
// multi-label data (the rule looks at the label kind, not only the unit count).
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;

int main() {
  using Logits = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<1>>;
  fc::Model<Logits, fl::FromLogits<fl::BinaryCrossentropy>> logits(
      fc::optim::Adam{.learning_rate = 0.05f});
  auto binary = tiny::source(100) | fd::batch<10>();
  std::printf("fix 1: Dense<1> (no Sigmoid) + FromLogits<BinaryCrossentropy>\n");
  tiny::trained(logits.fit(binary, fc::Epochs{3}, fc::Verbose{0}));

  // Two independent yes/no labels per sample: x0 > 0, x1 > 0.
  const tiny::Blobs b = tiny::blobs(100);
  xt::xtensor<float, 2> y = xt::zeros<float>({std::size_t{100}, std::size_t{2}});
  for (std::size_t i = 0; i < 100; ++i) y(i, 0) = b.x(i, 0) > 0, y(i, 1) = b.x(i, 1) > 0;
  auto multi = fd::from_tensor_slices<fc::Features<2>, fc::MultiLabel<2>>(b.x, y) | fd::batch<10>();
  using Tagger = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<2>, fc::Sigmoid>;
  fc::Model<Tagger, fl::BinaryCrossentropy> tagger(fc::optim::Adam{.learning_rate = 0.05f});
  std::printf("fix 2: MultiLabel<2> with Dense<2>, Sigmoid + BinaryCrossentropy\n");
  tiny::trained(tagger.fit(multi, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
