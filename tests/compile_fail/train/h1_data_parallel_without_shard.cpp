// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// DataParallel over a pipeline without a shard stage: every process would train on every sample.
// expected-error: fit with DataParallel: the training pipeline has no shard stage, so every process would train on the same samples: the same data N times over, no faster \[H1\]\. Fix: shard right after the source: source \| shard\(world\) \| shuffle\(n\) \| batch<32>\(\); or pass DataParallel{world, fc::sharded_by_user} when each process reads its own files
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<1>, fc::Sigmoid>;

// A process group's interface (declared only: this case is compiled, never linked).
struct Group {
  std::size_t rank() const;
  std::size_t size() const;
  void all_reduce_sum(std::span<float>) const;
  void all_reduce_sum(std::span<double>) const;
  void all_reduce_max(std::span<double>) const;
  void broadcast(std::span<std::byte>, std::size_t) const;
};

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source, Group world) {
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#ifdef FITCHECK_EXPECT_PASS
  auto pipeline = source | fd::shard(world) | fd::shuffle(100) | fd::batch<32>();
#else
  auto pipeline = source | fd::shuffle(100) | fd::batch<32>();
#endif
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world});
}
