// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A const BackupAndRestore: fit records in it whether it resumed and how many backups it wrote.
// expected-error: fit: the BackupAndRestore is const, but fit records in it whether it resumed and how many backups it wrote. Fix: pass a non-const BackupAndRestore
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<1>, fc::Sigmoid>;

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source) {
  auto pipeline = source | fd::batch<32>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
#ifdef FITCHECK_EXPECT_PASS
  fc::callbacks::BackupAndRestore backup{.backup_dir = "run/backup"};
#else
  const fc::callbacks::BackupAndRestore backup{.backup_dir = "run/backup"};
#endif
  return model.fit(pipeline, fc::Epochs{5}, backup);
}
