// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A metric that cannot say what it counted: its counts could not be summed over the processes.
// expected-error: fit with DataParallel: a metric cannot say what it has counted \(backup_state\(\) / restore_state\(\)\), so its counts cannot be summed over the processes\. Fix: give the metric the two members
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

// A metric of one's own, with no backup_state() / restore_state().
struct Positives {
  static constexpr const char* name = "positives";
  std::size_t seen = 0;
  void reset() { seen = 0; }
  template <fc::label_kind L, class Y>
  void update(const float* out, const Y*, std::size_t n, std::size_t) {
    for (std::size_t i = 0; i < n; ++i) seen += out[i] > 0.5f;
  }
  double result() const { return double(seen); }
#ifdef FITCHECK_EXPECT_PASS
  std::vector<double> backup_state() const { return {double(seen)}; }
  void restore_state(std::span<const double> v) { seen = std::size_t(v[0]); }
#endif
};

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source, Group world) {
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<Positives>> model;
  auto pipeline = source | fd::shard(world) | fd::batch<32>();
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world});
}
