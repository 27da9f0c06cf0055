// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [C4]: a class label >= the output width. Keras gives NaN or an index error mid-run;
// fitcheck checks every label where the data enters, naming the sample and the value.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<2>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;

int main() {
  // 3 classes by the sign pattern of the point; one sample mislabelled 3 (say, 1-based labels
  // leaking from another file).
  tiny::Blobs b = tiny::blobs(60);
  for (std::size_t i = 0; i < 60; ++i) b.y(i) = b.x(i, 0) < 0 ? 0 : (b.x(i, 1) < 0 ? 1 : 2);
  b.y(17) = 3;
  try {
    auto bad = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(b.x, b.y);
    (void)bad;
  } catch (const fc::data_error& e) {
    tiny::caught("data_error", e);
  }

  // The fix: labels in [0, 3), as ClassLabel<3> and the 3-unit output expect.
  b.y(17) = b.x(17, 0) < 0 ? 0 : (b.x(17, 1) < 0 ? 1 : 2);
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(b.x, b.y) |
               fd::shuffle(60, fc::Seed{1}) | fd::batch<10>();
  Model model(fc::optim::Adam{.learning_rate = 0.02f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return 0;
}
