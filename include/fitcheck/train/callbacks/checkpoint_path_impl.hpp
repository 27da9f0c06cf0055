// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of train/callbacks/checkpoint_path.hpp that no user type shapes (config.hpp,
// FITCHECK_SEPARATE).

#include <fitcheck/train/callbacks/checkpoint_path.hpp>

namespace fitcheck::callbacks::detail {

FITCHECK_IMPL field_spec parse_spec(const std::string& pattern, std::string_view spec) {
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

FITCHECK_IMPL std::string format_field(const std::string& pattern, std::string_view name,
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

FITCHECK_IMPL std::string format_checkpoint_path(const std::string& pattern, std::size_t epoch,
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
