// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <type_traits>

// How numbers and sizes read in fitcheck's messages, logs and file names: one place, so that the
// same value reads the same everywhere. Shapes are written by format_shape (core/shape.hpp).

namespace fitcheck {

/// The shortest text that reads back as the same value, as a user would write it: "0.001",
/// "2.5", "1e-08", "17"; "nan", "inf" and "-inf" for the non-finite.
template <class T>
  requires std::is_arithmetic_v<T>
[[nodiscard]] std::string format_number(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// As Python's str(float), which Keras' messages and logs show: format_number with ".0" added
/// to a whole value ("1.0", not "1"). A float keeps its own shortest digits ("0.1", not the
/// double's "0.10000000149011612").
template <class T>
  requires std::is_floating_point_v<T>
[[nodiscard]] std::string format_python(T v) {
  std::string s = format_number(v);
  if (std::isfinite(v) && s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

/// Six significant digits ("%.6g"), for measured facts (norms, losses, rates) in diagnostics:
/// short, and exact enough to compare runs; "NaN", "inf", "-inf" for the non-finite.
[[nodiscard]] inline std::string format_significant(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// "512 B", "12 KiB", "1.5 MiB", "2.1 GiB": binary units, one decimal unless whole.
[[nodiscard]] inline std::string format_bytes(std::size_t bytes) {
  constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = double(bytes);
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < std::size(units)) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  const double tenths = double(static_cast<std::uint64_t>(v * 10.0 + 0.5)) / 10.0;
  if (u == 0 || tenths == double(static_cast<std::uint64_t>(tenths))) {
    std::snprintf(buf, sizeof buf, "%.0f %s", tenths, units[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", tenths, units[u]);
  }
  return buf;
}

}  // namespace fitcheck
