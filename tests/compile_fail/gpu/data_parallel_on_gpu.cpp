// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// expected-error: fit: DataParallel sums the gradients of processes training on the host CPU; the GPU engine \(fc::cuda_t\) cannot sum them across processes yet\. Fix: leave fc::cuda_t out of the Model's options
// DataParallel on the GPU engine: its gradients live in device memory and are not summed across
// processes (no NCCL). Built by tests/gpu with Thrust's CPU system.
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;

// A process group's interface (declared only: this case is compiled, never linked).
struct Group {
  std::size_t rank() const;
  std::size_t size() const;
  void all_reduce_sum(std::span<float>) const;
  void all_reduce_sum(std::span<double>) const;
  void all_reduce_max(std::span<double>) const;
  void broadcast(std::span<std::byte>, std::size_t) const;
};

fc::History train(fd::TensorSlices<fc::Features<2>, fc::BinaryLabel> source, Group world) {
  auto pipeline = source | fd::shard(world) | fd::batch<32>();
#ifdef FITCHECK_EXPECT_PASS
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#else
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::cuda_t> model;
#endif
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world});
}
