// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fitcheck/core/error.hpp>

// Reading files, in one place: every reader (CSV, .npy, weights) opens through input_file, so a
// missing, unreadable or unopenable path reads the same everywhere and names the file.

namespace fitcheck::io {

/// What tells a file's contents changed without reading them: its size and modification time.
struct file_stamp {
  std::size_t size = 0;          ///< bytes
  std::int64_t modified_ns = 0;  ///< modification time, nanoseconds since the epoch
  /// The same size and modification time.
  friend bool operator==(const file_stamp&, const file_stamp&) = default;
};

/// A file open for reading, closed when destroyed; moving hands it over.
class input_file {
public:
  input_file() = default;
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  /// Takes the other's descriptor.
  input_file(input_file&& o) noexcept : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}
  /// Closes this one's descriptor and takes the other's.
  input_file& operator=(input_file&& o) noexcept {
    if (this != &o) {
      close();
      fd_ = std::exchange(o.fd_, -1);
      path_ = std::move(o.path_);
    }
    return *this;
  }
  ~input_file() { close(); }

  /// Opens `path` for reading. A data_error names the file when it does not exist ("no such
  /// file"), may not be read ("permission denied"), is not a regular file (a directory, a FIFO,
  /// a device: a FIFO without a writer would block forever) or cannot be opened for another
  /// reason; `kind` ("a CSV file") is what the fix asks for.
  static input_file open(const std::string& path, std::string_view kind) {
    input_file f;
    f.path_ = path;
    // O_NONBLOCK: opening a FIFO without a writer would block forever; it is refused below.
    do {
      f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (f.fd_ < 0 && errno == EINTR);
    if (f.fd_ < 0) {
      const int err = errno;
      if (err == ENOENT)
        throw data_error(path + ": no such file",
                         "check the path (a relative path is relative to the working directory)");
      if (err == EACCES)
        throw data_error(path + ": permission denied (the file exists, but this process may not "
                                "read it)",
                         "make the file readable (chmod a+r), or run as a user who may read it");
      throw data_error(path + ": cannot be opened: " + std::strerror(err),
                       "check that the path names " + std::string(kind) + " you may read");
    }
    const struct ::stat st = f.status();
    if (!S_ISREG(st.st_mode))
      throw data_error(path + ": is " + type_name(st.st_mode) + ", not a regular file [F3]",
                       "give the path of " + std::string(kind));
    // Regular files never block; reads must wait for the disk as usual.
    ::fcntl(f.fd_, F_SETFL, ::fcntl(f.fd_, F_GETFL) & ~O_NONBLOCK);
    return f;
  }

  /// The file's status (type, size); a failure reads as a file of no known type.
  [[nodiscard]] struct ::stat status() const noexcept {
    struct ::stat st {};
    if (::fstat(fd_, &st) != 0) st = {};
    return st;
  }
  /// The file's size and modification time now.
  [[nodiscard]] file_stamp stamp() const noexcept {
    const struct ::stat st = status();
    return {static_cast<std::size_t>(st.st_size),
            std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec};
  }
  /// Up to `n` bytes into `out`; 0 only at the end. A read error is a data_error naming the file.
  std::size_t read(char* out, std::size_t n) {
    for (;;) {
      const ::ssize_t k = ::read(fd_, out, n);
      if (k >= 0) return static_cast<std::size_t>(k);
      if (errno != EINTR)
        throw data_error(path_ + ": read failed: " + std::strerror(errno),
                         "check that the file is readable and not being replaced");
    }
  }
  /// Up to `n` bytes from byte `offset` into `out`, without moving the file position (so copies
  /// of a source may read one file from several threads); fewer only at the end of the file. A
  /// read error is a data_error naming the file.
  std::size_t read_at(void* out, std::size_t n, std::size_t offset) const {
    std::size_t got = 0;
    while (got < n) {
      const ::ssize_t k = ::pread(fd_, static_cast<char*>(out) + got, n - got,
                                  static_cast<::off_t>(offset + got));
      if (k == 0) break;
      if (k < 0) {
        if (errno == EINTR) continue;
        throw data_error(path_ + ": read failed: " + std::strerror(errno),
                         "check that the file is readable and not being replaced");
      }
      got += static_cast<std::size_t>(k);
    }
    return got;
  }
  /// The descriptor.
  [[nodiscard]] int descriptor() const noexcept { return fd_; }
  /// The path it was opened with.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  static std::string type_name(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    return "of unknown type";
  }

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  std::string path_;
};

/// The whole of `path`, read into memory; a data_error names the file when it cannot be opened
/// (as input_file::open). `check_head` sees the first `head_size` bytes (all of a shorter file)
/// and the file's size before the rest is read, so a file of the wrong kind is refused without
/// reading it whole; it throws to refuse.
template <class CheckHead>
[[nodiscard]] std::vector<std::byte> read_file(const std::string& path, std::string_view kind,
                                               std::size_t head_size, CheckHead&& check_head) {
  input_file file = input_file::open(path, kind);
  const auto size = static_cast<std::size_t>(file.status().st_size);
  std::vector<std::byte> bytes(std::min(size, head_size));
  std::size_t got = 0;
  // A file that shrank while being read ends early: what is there is checked by the caller.
  const auto fill = [&] {
    while (got < bytes.size()) {
      const std::size_t n =
          file.read(reinterpret_cast<char*>(bytes.data()) + got, bytes.size() - got);
      if (n == 0) break;
      got += n;
    }
  };
  fill();
  check_head(std::span<const std::byte>(bytes.data(), got), size);
  if (got == bytes.size()) {
    bytes.resize(size);
    fill();
  }
  bytes.resize(got);
  return bytes;
}

/// The whole of `path`, read into memory (see above), unchecked.
[[nodiscard]] std::vector<std::byte> read_file(const std::string& path,
                                               std::string_view kind);

}  // namespace fitcheck::io

#if !FITCHECK_SEPARATE
#include <fitcheck/io/file_impl.hpp>
#endif
