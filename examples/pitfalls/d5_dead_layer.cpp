// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [D5]: a layer no gradient reaches. Here the first layer's biases start far below zero
// (as after a bad initialisation, or a large learning-rate step), so every ReLU after it outputs
// 0 for every sample: the layer's gradient is exactly zero and its weights never change. The
// numeric guards warn, naming the layer, after the first epoch.
#include <algorithm>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

template <class Act>
using Model = fc::Model<fc::Sequential<fc::Input<2>, fc::Dense<8>, Act, fc::Dense<1>, fc::Sigmoid>,
                        fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

// Layer 0 holds the kernel (2 x 8) then the 8 biases.
template <class M>
void sink_biases(M& model) {
  auto p = model.template layer_parameters<0>();
  std::fill(p.end() - 8, p.end(), -10.0f);
}

int main() {
  auto train = tiny::source(200) | fd::shuffle(200, fc::Seed{1}) | fd::batch<20>();
  {
    const fc::warning_capture warnings;
    Model<fc::ReLU> model(fc::optim::Adam{.learning_rate = 0.01f});
    sink_biases(model);
    const fc::History h = model.fit(train, fc::Epochs{3}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    std::printf("mistake: accuracy %.2f\n", h["accuracy"].back());
  }

  // The fix the warning suggests: LeakyReLU lets a little gradient through negative inputs, so
  // the same bad start recovers.
  const fc::warning_capture warnings;
  Model<fc::LeakyReLU<>> model(fc::optim::Adam{.learning_rate = 0.05f});
  sink_biases(model);
  const fc::History h = model.fit(train, fc::Epochs{10}, fc::Verbose{0});
  tiny::trained(h);
  std::printf("fix: LeakyReLU: accuracy %.2f, warnings %zu\n", h["accuracy"].back(),
              warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
