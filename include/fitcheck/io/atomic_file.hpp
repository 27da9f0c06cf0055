// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fitcheck/core/error.hpp>

// Whole-file writes that either complete or leave the previous file untouched ([E2]: a
// crash, a full disk or an out-of-memory kill while a checkpoint is written must not cost the
// checkpoint written before it). The bytes go to "<path>.tmp.<pid>" in the same directory, are
// flushed to disk, and only then renamed over <path>: rename within one file system is atomic
// on POSIX, so a reader sees the old file or the new one, never a mix. A writer killed mid-write
// (kill -9) leaves its temporary file behind: the next writer of the same path removes those of
// processes that no longer exist.

namespace fitcheck::io {

/// The temporary name a write to `path` goes through: same directory (rename cannot cross file
/// systems), and the process id so two processes writing one checkpoint do not collide.
[[nodiscard]] std::string temp_path_for(const std::string& path);

namespace detail {
[[noreturn]] inline void io_fail(const std::string& what, const std::string& path, int err,
                                 std::string fix) {
  throw resource_error(path + ": " + what + ": " + std::strerror(err), std::move(fix));
}

std::string parent_dir(const std::string& path);

// Removes "<path>.tmp.<pid>" files whose process is gone (kill(pid, 0) says no such process; a
// process of another user counts as alive). Best effort: a failure leaves the file, as before.
void remove_stale_temps(const std::string& path);
}  // namespace detail

/// Writes a file in pieces, atomically: nothing is visible at `path` until `commit()`, and a
/// writer destroyed without committing removes its temporary file. Every failure is a
/// `resource_error` naming the path and the system's reason.
class atomic_writer {
public:
  /// Writes to a temporary file beside `path`; commit() renames it over `path`.
  explicit atomic_writer(std::string path) : path_(std::move(path)), temp_(temp_path_for(path_)) {
    detail::remove_stale_temps(path_);
    do {
      fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) {
      const int err = errno;
      detail::io_fail("cannot create the temporary file " + temp_, path_, err,
                      "check that the directory " + detail::parent_dir(path_) +
                          " exists and is writable, and that the disk is not full");
    }
  }
  atomic_writer(const atomic_writer&) = delete;
  atomic_writer& operator=(const atomic_writer&) = delete;
  ~atomic_writer() { abandon(); }

  /// Appends bytes; retries short writes and interruptions.
  void write(std::span<const std::byte> bytes) {
    const std::byte* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ::ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        abandon();
        detail::io_fail("cannot write (the previous file, if any, is kept)", path_, err,
                        "free disk space or choose a writable location");
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }

  /// Flushes the data to disk, then renames the temporary file over `path`.
  void commit() {
    // fsync before rename: otherwise a power loss may persist the rename but not the data,
    // leaving an empty file where the previous checkpoint was.
    if (::fsync(fd_) != 0) fail_and_abandon("cannot flush to disk");
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) {
      const int err = errno;
      ::unlink(temp_.c_str());
      detail::io_fail("cannot finish writing (the previous file, if any, is kept)", path_, err,
                      "free disk space or choose a writable location");
    }
    if (::rename(temp_.c_str(), path_.c_str()) != 0) {
      const int err = errno;
      ::unlink(temp_.c_str());
      detail::io_fail(
          "cannot replace the file with " + temp_ + " (the previous file, if any, is kept)", path_,
          err, "make sure the path is not a directory and its directory is writable");
    }
    committed_ = true;
    // Persist the rename itself. Best effort: some file systems refuse fsync on a directory, and
    // the new file is complete either way.
    const int dir = ::open(detail::parent_dir(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
      (void)::fsync(dir);
      ::close(dir);
    }
  }

  /// The file written.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  void abandon() noexcept {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
    if (!committed_) ::unlink(temp_.c_str());
  }
  [[noreturn]] void fail_and_abandon(const std::string& what) {
    const int err = errno;
    abandon();
    detail::io_fail(what + " (the previous file, if any, is kept)", path_, err,
                    "free disk space or choose a writable location");
  }

  std::string path_;
  std::string temp_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Writes `bytes` to `path` atomically (see atomic_writer).
void write_file_atomically(const std::string& path, std::span<const std::byte> bytes);

}  // namespace fitcheck::io

#if !FITCHECK_SEPARATE
#include <fitcheck/io/atomic_file_impl.hpp>
#endif
