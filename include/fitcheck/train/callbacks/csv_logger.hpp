// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/io/atomic_file.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck::callbacks {

namespace detail {
/// A C stdio file that closes itself; moving hands the handle over.
class csv_file {
public:
  csv_file() = default;
  csv_file(const csv_file&) = delete;
  csv_file& operator=(const csv_file&) = delete;
  csv_file(csv_file&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  csv_file& operator=(csv_file&& o) noexcept {
    if (this != &o) {
      reset();
      f_ = std::exchange(o.f_, nullptr);
    }
    return *this;
  }
  ~csv_file() { reset(); }
  void reset() noexcept {
    if (f_ != nullptr) std::fclose(std::exchange(f_, nullptr));
  }

  std::FILE* f_ = nullptr;
  std::vector<std::string> keys_;
  bool header_needed_ = true;
};
}  // namespace detail

/// Writes one row per epoch to `filename` (Keras' CSVLogger): "epoch" (0-based, as Keras) then
/// the first epoch's log names, sorted; a header first unless appending to a non-empty file;
/// "NA" for a name missing later. Each row is flushed, so a crash loses no finished epoch
/// [E2]. I/O failures are `resource_error`s.
struct CSVLogger {
  /// The CSV file.
  std::string filename;
  /// The field separator.
  char separator = ',';
  /// Append to an existing file instead of replacing it.
  bool append = false;
  /// The run's own state: leave it out of the initializer.
  detail::csv_file run_{};

  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState& s) {
    run_.keys_.clear();
    if (s.rank != 0) return;  // DataParallel: every process has the same logs; rank 0 writes them
    if (s.initial_epoch > 0) {
      // A run resumed by BackupAndRestore continues its log: the rows of the epochs it keeps
      // stay, a row of an epoch it will train again (written after the last backup) goes.
      keep_rows_before(s.initial_epoch);
      open(true);
    } else {
      open(append);
    }
  }

  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    if (s.rank != 0) return;
    // Outside fit (or after on_train_end): append, so no row already written is ever lost.
    if (run_.f_ == nullptr) open(true);
    if (run_.keys_.empty()) {
      for (const auto& [name, value] : logs.entries()) run_.keys_.push_back(name);
      std::sort(run_.keys_.begin(), run_.keys_.end());
    }
    std::string line;
    if (run_.header_needed_) {
      line += "epoch";
      for (const auto& k : run_.keys_) (line += separator) += quoted(k);
      line += '\n';
    }
    line += std::to_string(s.epoch);
    for (const auto& k : run_.keys_) {
      const auto v = logs.get(k);
      (line += separator) += v ? format_python(*v) : std::string("NA");
    }
    line += '\n';
    errno = 0;
    if (std::fputs(line.c_str(), run_.f_) == EOF || std::fflush(run_.f_) != 0)
      fail("cannot be written (rows of earlier epochs are kept)");
    run_.header_needed_ = false;
  }

  /// Callback hook: after the last epoch (stopped or not).
  void on_train_end(TrainingState&) {
    if (run_.f_ == nullptr) return;
    errno = 0;
    const int rc = std::fclose(std::exchange(run_.f_, nullptr));
    if (rc != 0) fail("cannot be closed");
  }

private:
  // Rewrites the file (atomically) without the rows at its end of epochs >= `epoch`: those the
  // interrupted run wrote after its backup. Rows before them stay, an earlier run's appended
  // ones too. A missing file is left missing. A row's first field is its 0-based epoch.
  void keep_rows_before(std::size_t epoch) const {
    std::FILE* f = std::fopen(filename.c_str(), "r");
    if (f == nullptr) return;
    std::vector<std::string> lines(1);
    for (int c; (c = std::fgetc(f)) != EOF;) {
      lines.back() += static_cast<char>(c);
      if (c == '\n') lines.emplace_back();
    }
    std::fclose(f);
    if (lines.back().empty()) lines.pop_back();
    std::size_t keep = lines.size();
    for (std::size_t row = 0; keep > 1 && std::sscanf(lines[keep - 1].c_str(), "%zu", &row) == 1 &&
                              row >= epoch;)
      --keep;
    if (keep == lines.size()) return;
    std::string kept;
    for (std::size_t i = 0; i < keep; ++i) kept += lines[i];
    io::atomic_writer out(filename);
    out.write(std::as_bytes(std::span(kept.data(), kept.size())));
    out.commit();
  }

  void open(bool at_end) {
    run_.reset();
    errno = 0;
    run_.f_ = std::fopen(filename.c_str(), at_end ? "a" : "w");
    if (run_.f_ == nullptr) fail("cannot be opened for writing");
    run_.header_needed_ = true;
    if (at_end) {
      std::fseek(run_.f_, 0, SEEK_END);
      run_.header_needed_ = std::ftell(run_.f_) == 0;
    }
  }
  [[noreturn]] void fail(const std::string& what) const {
    const int err = errno;
    throw resource_error(filename + ": " + what +
                             (err != 0 ? std::string(": ") + std::strerror(err) : std::string()),
                         "check that the directory exists and is writable, and that the disk "
                         "is not full");
  }
  std::string quoted(const std::string& field) const {
    if (field.find_first_of(std::string("\"\n\r") + separator) == std::string::npos) return field;
    std::string q = "\"";
    for (char c : field) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
};

}  // namespace fitcheck::callbacks
