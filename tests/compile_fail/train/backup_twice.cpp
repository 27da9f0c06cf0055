// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Two BackupAndRestore callbacks in one fit: which would a resumed run continue?
// expected-error: fit: two BackupAndRestore callbacks: a run has one training state, and a resumed fit could not tell which backup to continue. Fix: pass one BackupAndRestore
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using Net = fc::Sequential<fc::Input<10>, fc::Dense<1>, fc::Sigmoid>;

fc::History train(fd::TensorSlices<fc::Features<10>, fc::BinaryLabel> source) {
  auto pipeline = source | fd::batch<32>();
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
  fc::callbacks::BackupAndRestore backup{.backup_dir = "run/backup"};
#ifdef FITCHECK_EXPECT_PASS
  return model.fit(pipeline, fc::Epochs{5}, backup);
#else
  fc::callbacks::BackupAndRestore other{.backup_dir = "run/other"};
  return model.fit(pipeline, fc::Epochs{5}, backup, other);
#endif
}
