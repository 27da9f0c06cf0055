// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#if __has_include(<unistd.h>)
#include <unistd.h>  // sysconf, the fallback when /proc/meminfo cannot be read
#endif

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>

// What the machine has [E1]: the free host memory, and the check every size a user passes
// (a batch, a shuffle buffer, a prefetch depth) goes through before anything is allocated, so
// that a size too large for the machine is a resource_error with the numbers, never a bare
// std::bad_alloc or minutes of swapping.

namespace fitcheck {

namespace detail {
// Reads one unsigned number from a small file (a cgroup limit); nullopt-like: max when absent or
// "max". Uses C stdio, allocation-free, so it can run right after std::bad_alloc.
inline std::size_t read_number_file(const char* path) noexcept {
  std::FILE* f = std::fopen(path, "r");
  if (!f) return std::numeric_limits<std::size_t>::max();
  unsigned long long v = 0;
  const int n = std::fscanf(f, "%llu", &v);
  std::fclose(f);
  return n == 1 ? static_cast<std::size_t>(v) : std::numeric_limits<std::size_t>::max();
}

}  // namespace detail

/// Bytes of host memory free for this process: Linux's MemAvailable (/proc/meminfo), capped by
/// the cgroup v2 limit (memory.max - memory.current) when one is set, as in a container; else
/// sysconf's available pages. SIZE_MAX when nothing can be read, so that the pre-flight check
/// never refuses on a guess. Allocation-free (usable after std::bad_alloc).
[[nodiscard]] inline std::size_t available_host_memory() noexcept {
  constexpr std::size_t unknown = std::numeric_limits<std::size_t>::max();
  std::size_t avail = unknown;
  if (std::FILE* f = std::fopen("/proc/meminfo", "r")) {
    char key[64];
    unsigned long long kib = 0;
    while (std::fscanf(f, "%63s %llu kB\n", key, &kib) == 2) {
      if (std::string_view(key) == "MemAvailable:") {
        avail = static_cast<std::size_t>(kib) * 1024;
        break;
      }
    }
    std::fclose(f);
  }
  if (avail == unknown) {
#if __has_include(<unistd.h>) && defined(_SC_AVPHYS_PAGES) && defined(_SC_PAGESIZE)
    const long pages = ::sysconf(_SC_AVPHYS_PAGES);
    const long size = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) avail = std::size_t(pages) * std::size_t(size);
#endif
  }
  const std::size_t limit = detail::read_number_file("/sys/fs/cgroup/memory.max");
  if (limit != unknown) {
    const std::size_t used = detail::read_number_file("/sys/fs/cgroup/memory.current");
    const std::size_t room = used == unknown ? limit : (used < limit ? limit - used : 0);
    if (room < avail) avail = room;
  }
  return avail;
}

/// a * b, or SIZE_MAX when the product does not fit: sizes from user numbers (2^40 samples of
/// 2^10 bytes) must not wrap around to a small number that passes a check.
[[nodiscard]] constexpr std::size_t saturating_product(std::size_t a, std::size_t b) noexcept {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
    return std::numeric_limits<std::size_t>::max();
  return a * b;
}

namespace detail {
/// [E1] for a size a user passed: `what` ("shuffle(68719476736): a buffer of 68719476736
/// samples") needs `bytes`; a resource_error when that is more than `available`, with `fix`.
inline void require_memory(std::size_t bytes, const std::string& what, const std::string& fix,
                           std::size_t available = available_host_memory()) {
  if (bytes <= available) return;
  throw resource_error(what + " needs " +
                           (bytes == std::numeric_limits<std::size_t>::max()
                                ? std::string("more bytes than a 64-bit size can count")
                                : format_bytes(bytes)) +
                           ", but " + format_bytes(available) + " of memory is free [E1]",
                       fix);
}
}  // namespace detail

}  // namespace fitcheck
