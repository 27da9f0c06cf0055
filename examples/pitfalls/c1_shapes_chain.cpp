// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [C1]: layer shapes that do not chain, or data whose width differs from the model's
// input. Keras fails at the first call; fitcheck at compile time, naming both shapes.
// The mistakes: tests/compile_fail/train/c1_features_differ_from_input.cpp
//   (Features<10> data into Input<12>: fit: the data's feature shape differs from the model's
//   Input shape [C1] ...) and tests/compile_fail/nn/dense_pinned_width_mismatch.cpp
//   (Dense<Units, InputWidth>: the pinned input width differs from the width the layer before
//   gives [C1] ...).
// The fix below: Input<2> for 2 features; every Dense infers its input width (or pins the
// right one, which documents it).
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<2>, fc::Dense<16, 2>, fc::ReLU, fc::Dense<8>, fc::ReLU,
                           fc::Dense<1>, fc::Sigmoid>;

int main() {
  auto train = tiny::source(100) | fd::shuffle(100, fc::Seed{1}) | fd::batch<10>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{.learning_rate = 0.05f});
  std::printf("fix: Features<2> -> Input<2> -> Dense<16, 2> -> Dense<8> -> Dense<1> chains\n");
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
