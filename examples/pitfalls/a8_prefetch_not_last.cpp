// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A8]: `prefetch` anywhere but last. It works, but it prefetches single samples, not
// the batches the model consumes. fitcheck warns (set_warnings_as_errors(true) makes it fail).
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  {
    const fc::warning_capture warnings;  // collect instead of printing to stderr
    auto early = tiny::source(100) | fd::prefetch(2) | fd::batch<10>();
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
  }

  // The fix: prefetch last, so the background thread prepares whole batches.
  const fc::warning_capture warnings;
  auto train = tiny::source(100) | fd::shuffle(100, fc::Seed{1}) | fd::batch<10>() | fd::prefetch(2);
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(model.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  std::printf("warnings with prefetch last: %zu\n", warnings.warnings().size());
  return 0;
}
