// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/memory.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/core/memory.hpp>

#include <cstdio>
#if __has_include(<unistd.h>)
#include <unistd.h>  // sysconf, the fallback when /proc/meminfo cannot be read
#endif

namespace fitcheck {

FITCHECK_IMPL std::size_t detail::read_number_file(const char* path) noexcept {
  std::FILE* f = std::fopen(path, "r");
  if (!f) return std::numeric_limits<std::size_t>::max();
  unsigned long long v = 0;
  const int n = std::fscanf(f, "%llu", &v);
  std::fclose(f);
  return n == 1 ? static_cast<std::size_t>(v) : std::numeric_limits<std::size_t>::max();
}

FITCHECK_IMPL std::size_t available_host_memory() noexcept {
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

FITCHECK_IMPL void detail::require_memory(std::size_t bytes, const std::string& what,
                                          const std::string& fix, std::size_t available) {
  if (bytes <= available) return;
  throw resource_error(what + " needs " +
                           (bytes == std::numeric_limits<std::size_t>::max()
                                ? std::string("more bytes than a 64-bit size can count")
                                : format_bytes(bytes)) +
                           ", but " + format_bytes(available) + " of memory is free [E1]",
                       fix);
}

}  // namespace fitcheck
