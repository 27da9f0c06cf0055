// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

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

field_spec parse_spec(const std::string& pattern, std::string_view spec);

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

std::string format_field(const std::string& pattern, std::string_view name,
                         const field_spec& f, std::optional<std::size_t> integer,
                         double real);

/// The checkpoint path for 1-based `epoch` and this epoch's logs.
std::string format_checkpoint_path(const std::string& pattern, std::size_t epoch,
                                   const Logs& logs);
}  // namespace fitcheck::callbacks::detail

#if !FITCHECK_SEPARATE
#include <fitcheck/train/callbacks/checkpoint_path_impl.hpp>
#endif
