// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
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
[[nodiscard]] std::string format_significant(double v);

/// A count with thousands separated, as Keras' summary prints it: "1,408", "60,000".
[[nodiscard]] std::string format_count(std::size_t n);

/// "512 B", "12 KiB", "1.5 MiB", "2.1 GiB": binary units, one decimal unless whole.
[[nodiscard]] std::string format_bytes(std::size_t bytes);

/// Text from a file, quoted for a message: 'text', at most `max` bytes ("..." after), with
/// control bytes and bytes that are not valid UTF-8 written as \xNN, so that a message is
/// always printable text whatever the file held.
[[nodiscard]] std::string quote_text(std::string_view s, std::size_t max = 40);

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/format_impl.hpp>
#endif
