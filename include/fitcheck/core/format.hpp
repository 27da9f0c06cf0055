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
[[nodiscard]] inline std::string format_significant(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

/// A count with thousands separated, as Keras' summary prints it: "1,408", "60,000".
[[nodiscard]] inline std::string format_count(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
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

/// Text from a file, quoted for a message: 'text', at most `max` bytes ("..." after), with
/// control bytes and bytes that are not valid UTF-8 written as \xNN, so that a message is
/// always printable text whatever the file held.
[[nodiscard]] inline std::string quote_text(std::string_view s, std::size_t max = 40) {
  constexpr char hex[] = "0123456789abcdef";
  // Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629: no overlong forms,
  // no surrogates, nothing above U+10FFFF).
  const auto sequence = [&](std::size_t i) -> std::size_t {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    if (n == 0 || i + n > s.size() || b(1) < lo || b(1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
      if (b(k) < 0x80 || b(k) > 0xbf) return 0;
    return n;
  };
  std::string out = "'";
  std::size_t i = 0;
  while (i < s.size() && i < max) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? (c < 0x20 || c == 0x7f ? 0 : 1) : sequence(i);
    if (n == 0) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  if (i < s.size()) out += "...";
  return out + "'";
}

}  // namespace fitcheck
