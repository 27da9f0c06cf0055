// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <fitcheck/core/error.hpp>
#include <fitcheck/train/callback.hpp>
#include <optional>
#include <string>
#include <system_error>

namespace fitcheck::callbacks {

namespace detail {
template <class Owner>
class backup_run {
  friend Owner;
  std::optional<std::size_t> resumed_at_;
  std::size_t saves_ = 0;
  std::size_t rank_ = 0, processes_ = 1;
};
}  // namespace detail

/// Keras' BackupAndRestore: a run that a crash, a kill or a power cut interrupts continues
/// where it stopped. At the end of every epoch (and every `save_freq` batches, if set) fit
/// writes the whole training state to `backup_dir` (atomically: a crash while writing keeps the
/// previous backup); a fit given the same directory finds it and resumes where it was written,
/// with the same result, bit for bit, as the uninterrupted run (docs/training.md, "Resuming an
/// interrupted run"). When training ends normally (its epochs done, or a callback stopped it)
/// the backup is deleted, unless `delete_checkpoint` is false; when fit throws, it stays for
/// the next try.
///
/// ```cpp
/// model.fit(train, fc::Epochs{50}, fc::callbacks::BackupAndRestore{.backup_dir = "run1"});
/// ```
struct BackupAndRestore {
  /// The directory the backup lives in (created if needed); give each run its own.
  std::string backup_dir;
  /// Delete the backup when training ends normally.
  bool delete_checkpoint = true;
  /// 0: back up at the end of every epoch (Keras' "epoch"). n: also after every n-th training
  /// batch of the run, so that a crash loses at most n steps of a long epoch; the resumed run
  /// continues within the epoch, at the step after the backup.
  std::size_t save_freq = 0;
  /// What happened, read after fit (fit writes it; not options).
  detail::backup_run<BackupAndRestore> run_{};

  /// The backup file: `backup_dir`/training_state.fcs; in data-parallel training, each
  /// process's own, `backup_dir`/training_state.rankR-of-N.fcs (rank R of N processes).
  [[nodiscard]] std::string file() const {
    if (run_.processes_ == 1) return backup_dir + "/training_state.fcs";
    return backup_dir + "/training_state.rank" + std::to_string(run_.rank_) + "-of-" +
           std::to_string(run_.processes_) + ".fcs";
  }
  /// In data-parallel training, a backup written but not yet committed: each process writes
  /// this, and renames it to file() once every process has written its own, so that a crash
  /// between the processes' writes leaves a point every process can resume from.
  [[nodiscard]] std::string pending_file() const { return file() + ".pending"; }

  /// Deletes the backup (and its directory, if nothing else is in it) after a run that ended
  /// normally.
  void on_train_end(TrainingState&) const {
    if (!delete_checkpoint) return;
    for (const std::string& f : {file(), pending_file()})
      if (::unlink(f.c_str()) != 0 && errno != ENOENT)
        throw resource_error(f + ": the backup of a finished run cannot be deleted: " +
                                 std::generic_category().message(errno),
                             "delete it by hand: a later fit with this backup_dir would resume "
                             "from it instead of starting over");
    ::rmdir(backup_dir.c_str());  // fails, harmlessly, when other files are there
  }

  /// The epochs the backup had finished when the last fit resumed from it; none if that fit
  /// started afresh.
  [[nodiscard]] std::optional<std::size_t> resumed_at() const noexcept { return run_.resumed_at_; }
  /// Backups written by the last fit (one per finished epoch).
  [[nodiscard]] std::size_t saves() const noexcept { return run_.saves_; }

  /// fit records that it resumed after `epochs` finished epochs.
  void note_resumed(std::size_t epochs) noexcept { run_.resumed_at_ = epochs; }
  /// fit records a backup written.
  void note_saved() noexcept { ++run_.saves_; }
  /// fit records a new run (what the last one did is forgotten).
  void note_started() noexcept { run_ = {}; }
  /// fit records that this process is `rank` of `processes` training together (DataParallel).
  void note_group(std::size_t rank, std::size_t processes) noexcept {
    run_.rank_ = rank;
    run_.processes_ = processes;
  }
};

}  // namespace fitcheck::callbacks
