// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A10]: `batch(n)` with n larger than the data set: one partial batch per epoch. Legal,
// often a mistake (one step per epoch), so fitcheck warns instead of failing.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  {
    const fc::warning_capture warnings;
    auto one_batch = tiny::source(10) | fd::batch<20>();
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    tiny::print_sizes("batches per epoch", tiny::batch_sizes(one_batch));
  }

  // The fix: a batch size that gives several steps per epoch.
  const fc::warning_capture warnings;
  auto train = tiny::source(10) | fd::shuffle(10, fc::Seed{1}) | fd::batch<4>();
  tiny::print_sizes("fix: batches per epoch", tiny::batch_sizes(train));
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  return warnings.warnings().empty() ? 0 : 1;
}
