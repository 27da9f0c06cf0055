// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [D4]: a learning rate far too small (Adam at 1e-8): the loss never moves and the run
// looks "stuck at epoch 1". The numeric guards compare the loss across the first epochs and
// warn with the learning rate.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  auto train = tiny::source(200) | fd::shuffle(200, fc::Seed{1}) | fd::batch<20>();
  {
    const fc::warning_capture warnings;
    tiny::Model model(fc::optim::Adam{.learning_rate = 1e-8f});
    const fc::History h = model.fit(train, fc::Epochs{3}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    std::printf("mistake: loss %.6f -> %.6f\n", h["loss"].front(), h["loss"].back());
  }

  // The fix: Keras' default, 1e-3 (here 10x that: a tiny model on tiny data).
  const fc::warning_capture warnings;
  tiny::Model model(fc::optim::Adam{.learning_rate = 1e-2f});
  tiny::trained(model.fit(train, fc::Epochs{10}, fc::Verbose{0}));
  std::printf("fix: warnings %zu\n", warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
