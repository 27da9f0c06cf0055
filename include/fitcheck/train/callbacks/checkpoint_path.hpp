// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

// Checkpoint path patterns, as Keras writes them: "ckpt-{epoch:02d}-{val_loss:.3f}.fcw".

namespace fitcheck::callbacks::detail {

/// One {field} of a path pattern, with the subset of Python's format spec Keras users write:
/// [0][width][.precision][d|f|e|g].
struct field_spec {
  bool zero = false;
  int width = 0;
  int precision = -1;
  char type = 0;
};

[[noreturn]] inline void bad_pattern(const std::string& pattern, const std::string& what) {
  throw argument_error("ModelCheckpoint: the file path pattern \"" + pattern + "\" " + what,
                       "write fields as {epoch}, {epoch:02d} or {val_loss:.4f}, and a literal "
                       "brace as {{ or }}");
}

inline field_spec parse_spec(const std::string& pattern, std::string_view spec) {
  field_spec f;
  std::size_t i = 0;
  auto digits = [&] {
    int n = 0;
    bool any = false;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') {
      n = n * 10 + (spec[i++] - '0');
      any = true;
      if (n > 100) bad_pattern(pattern, "has a width or precision over 100");
    }
    return any ? n : -1;
  };
  if (i < spec.size() && spec[i] == '0') {
    f.zero = true;
    ++i;
  }
  f.width = std::max(digits(), 0);
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    f.precision = digits();
    if (f.precision < 0) bad_pattern(pattern, "has a '.' without a precision after it");
  }
  if (i < spec.size() && std::string_view("dfeg").find(spec[i]) != std::string_view::npos)
    f.type = spec[i++];
  if (i != spec.size())
    bad_pattern(pattern,
                "has the format spec \"" + std::string(spec) + "\", which is not supported");
  return f;
}

/// Calls literal(text) and field(name, spec) along `pattern`; throws on malformed braces.
template <class Literal, class Field>
void walk_pattern(const std::string& pattern, Literal literal, Field field) {
  std::size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      literal(std::string_view(&pattern[i], 1));
      i += 2;
    } else if (c == '}') {
      bad_pattern(pattern, "has a '}' with no '{' before it");
    } else if (c == '{') {
      const auto close = pattern.find('}', i);
      if (close == std::string::npos) bad_pattern(pattern, "has a '{' that is never closed");
      std::string_view inside(&pattern[i + 1], close - i - 1);
      const auto colon = inside.find(':');
      const std::string_view name = inside.substr(0, colon);
      if (name.empty()) bad_pattern(pattern, "has a field with no name");
      field(name, parse_spec(pattern, colon == std::string_view::npos ? std::string_view()
                                                                      : inside.substr(colon + 1)));
      i = close + 1;
    } else {
      const auto next = pattern.find_first_of("{}", i);
      const auto end = next == std::string::npos ? pattern.size() : next;
      literal(std::string_view(&pattern[i], end - i));
      i = end;
    }
  }
}

inline std::string format_field(const std::string& pattern, std::string_view name,
                                const field_spec& f, std::optional<std::size_t> integer,
                                double real) {
  std::string body;
  char buf[512];
  if (integer && (f.type == 0 || f.type == 'd')) {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(*integer));
    body = buf;
  } else if (!integer && f.type == 'd') {
    bad_pattern(pattern, "formats \"" + std::string(name) +
                             "\", a real number, with 'd' (integers only); use .4f or similar");
  } else if (f.type == 0 && f.precision < 0) {
    body = format_python(real);
  } else {
    const double v = integer ? double(*integer) : real;
    const char type = f.type == 0 ? 'g' : f.type;
    const int prec = f.precision < 0 ? 6 : f.precision;
    const char fmt[] = {'%', '.', '*', type, '\0'};
    std::snprintf(buf, sizeof buf, fmt, prec, v);
    body = buf;
  }
  if (body.size() < std::size_t(f.width)) {
    // Python pads numbers on the left; '0' pads after the sign.
    const std::size_t pad = std::size_t(f.width) - body.size();
    const std::size_t at = f.zero && !body.empty() && body[0] == '-' ? 1 : 0;
    body.insert(at, pad, f.zero ? '0' : ' ');
  }
  return body;
}

/// The checkpoint path for 1-based `epoch` and this epoch's logs.
inline std::string format_checkpoint_path(const std::string& pattern, std::size_t epoch,
                                          const Logs& logs) {
  std::string out;
  walk_pattern(
      pattern, [&](std::string_view text) { out += text; },
      [&](std::string_view name, const field_spec& f) {
        if (name == "epoch") {
          out += format_field(pattern, name, f, epoch, 0.0);
          return;
        }
        const auto v = logs.get(std::string(name));
        if (!v)
          throw argument_error("ModelCheckpoint: the file path pattern \"" + pattern +
                                   "\" names {" + std::string(name) +
                                   "}, which is not among this epoch's logs (epoch, " +
                                   names_in(logs) + ")",
                               "use {epoch} or one of the logged names");
        out += format_field(pattern, name, f, std::nullopt, *v);
      });
  return out;
}
}  // namespace fitcheck::callbacks::detail
