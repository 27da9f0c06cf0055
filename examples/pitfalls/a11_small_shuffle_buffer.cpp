// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A11]: data sorted by label through a shuffle buffer much smaller than the data set.
// tf.data's shuffle(10) only mixes within a sliding window of 10 samples, so on sorted data
// the batches stay single-class. fitcheck warns (once) with the run length and the buffer to use.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main() {
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  {
    const fc::warning_capture warnings;
    // 200 samples, all of class 0 first (as many files are), and a 10-sample buffer.
    auto small_buffer =
        tiny::source(200, /*sorted=*/true) | fd::shuffle(10, fc::Seed{1}) | fd::batch<10>();
    (void)model.fit(small_buffer, fc::Epochs{1}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    std::printf("A11 warnings: %zu\n", warnings.count("A11"));
  }

  // The fix: a buffer as large as the data set (tf.data's advice for data that fits in memory).
  const fc::warning_capture warnings;
  auto train = tiny::source(200, true) | fd::shuffle(200, fc::Seed{1}) | fd::batch<10>();
  tiny::Model fixed(fc::optim::Adam{.learning_rate = 0.05f});
  tiny::trained(fixed.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  std::printf("warnings with shuffle(200): %zu\n", warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
