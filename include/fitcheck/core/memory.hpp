// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>


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
std::size_t read_number_file(const char* path) noexcept;

}  // namespace detail

/// Bytes of host memory free for this process: Linux's MemAvailable (/proc/meminfo), capped by
/// the cgroup v2 limit (memory.max - memory.current) when one is set, as in a container; else
/// sysconf's available pages. SIZE_MAX when nothing can be read, so that the pre-flight check
/// never refuses on a guess. Allocation-free (usable after std::bad_alloc).
[[nodiscard]] std::size_t available_host_memory() noexcept;

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
void require_memory(std::size_t bytes, const std::string& what, const std::string& fix,
                    std::size_t available = available_host_memory());
}  // namespace detail

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/memory_impl.hpp>
#endif
