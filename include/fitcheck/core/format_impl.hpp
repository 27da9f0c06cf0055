// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/format.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/core/format.hpp>

namespace fitcheck {

FITCHECK_IMPL std::string format_significant(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

FITCHECK_IMPL std::string format_count(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

FITCHECK_IMPL std::string format_bytes(std::size_t bytes) {
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

FITCHECK_IMPL std::string quote_text(std::string_view s, std::size_t max) {
  constexpr char hex[] = "0123456789abcdef";
  // Length of the valid UTF-8 sequence starting at s[i], or 0 (RFC 3629: no overlong forms,
  // no surrogates, nothing above U+10FFFF).
  const auto sequence = [&](std::size_t i) -> std::size_t {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
      n = 2;
    else if (c >= 0xe0 && c <= 0xef)
      n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
      n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
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
