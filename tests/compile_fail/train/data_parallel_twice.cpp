// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two DataParallel options: a fit trains in one group.
// expected-error: fit: two DataParallel options: a fit trains in one group of processes\. Fix: pass one DataParallel{world}
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
  auto pipeline = source | fd::shard(world) | fd::batch<32>();
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world});
#else
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world}, fc::DataParallel{world});
#endif
}
