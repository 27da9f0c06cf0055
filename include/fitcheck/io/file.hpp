// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fitcheck/core/error.hpp>

// Reading files, in one place: every reader (CSV, .npy, weights) opens through input_file, so a
// missing, unreadable or unopenable path reads the same everywhere and names the file.

namespace fitcheck::io {

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
  /// file"), may not be read ("permission denied") or cannot be opened for another reason;
  /// `kind` ("a CSV file") is what the fix asks for.
  static input_file open(const std::string& path, std::string_view kind) {
    input_file f;
    f.path_ = path;
    do {
      f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (f.fd_ < 0 && errno == EINTR);
    if (f.fd_ >= 0) return f;
    const int err = errno;
    if (err == ENOENT)
      throw data_error(path + ": no such file",
                       "check the path (a relative path is relative to the working directory)");
    if (err == EACCES) throw data_error(path + ": permission denied", "make the file readable");
    throw data_error(path + ": cannot be opened: " + std::strerror(err),
                     "check that the path names " + std::string(kind) + " you may read");
  }

  /// The file's status (type, size); a failure reads as a file of no known type.
  [[nodiscard]] struct ::stat status() const noexcept {
    struct ::stat st {};
    if (::fstat(fd_, &st) != 0) st = {};
    return st;
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
  /// The descriptor (for a memory map).
  [[nodiscard]] int descriptor() const noexcept { return fd_; }
  /// The path it was opened with.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  std::string path_;
};

/// A whole file mapped read-only into memory, unmapped when destroyed.
class memory_map {
public:
  /// Maps the `size` bytes of `file`; a failure is a data_error naming it. Reads are expected
  /// front to back.
  memory_map(const input_file& file, std::size_t size) : size_(size) {
    address_ = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, file.descriptor(), 0);
    if (address_ == MAP_FAILED)
      throw data_error(file.path() + ": cannot be memory-mapped: " + std::strerror(errno),
                       "check that the file is on a file system that supports mmap");
    ::madvise(address_, size, MADV_SEQUENTIAL);
  }
  memory_map(const memory_map&) = delete;
  memory_map& operator=(const memory_map&) = delete;
  ~memory_map() { ::munmap(address_, size_); }

  /// The bytes.
  [[nodiscard]] const unsigned char* data() const noexcept {
    return static_cast<const unsigned char*>(address_);
  }
  /// How many.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  void* address_;
  std::size_t size_;
};

/// The whole of `path`, read into memory: a data_error names the file when it cannot be opened
/// (as input_file::open) or is not a regular file; `kind` is what the fix asks for.
[[nodiscard]] inline std::vector<std::byte> read_file(const std::string& path,
                                                      std::string_view kind) {
  input_file file = input_file::open(path, kind);
  const struct ::stat st = file.status();
  if (!S_ISREG(st.st_mode))
    throw data_error(path + ": cannot be read: " +
                         std::strerror(S_ISDIR(st.st_mode) ? EISDIR : EINVAL),
                     "give the path of " + std::string(kind));
  std::vector<std::byte> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  // A file that shrank while being read ends early: what is there is checked by the caller.
  while (got < bytes.size()) {
    const std::size_t n =
        file.read(reinterpret_cast<char*>(bytes.data()) + got, bytes.size() - got);
    if (n == 0) break;
    got += n;
  }
  bytes.resize(got);
  return bytes;
}

}  // namespace fitcheck::io
