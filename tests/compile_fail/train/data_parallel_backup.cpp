// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// BackupAndRestore with DataParallel: resuming a group from per-process backups is not built.
// expected-error: fit: BackupAndRestore with DataParallel: a backup holds one process's training state \(its pipeline's position, its random streams\), and resuming a group from them is not built yet\. Fix: pass ModelCheckpoint \(rank 0 writes it\) and load_weights the checkpoint to continue, or train without DataParallel
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
  fc::callbacks::BackupAndRestore backup{.backup_dir = "run/backup"};
  return model.fit(pipeline, fc::Epochs{5}, fc::DataParallel{world}, backup);
#endif
}
