// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/warnings.hpp that hold no state of their own (config.hpp,
// FITCHECK_SEPARATE): the channel itself stays inline in the header.

#include <fitcheck/core/warnings.hpp>

namespace fitcheck {

FITCHECK_IMPL std::string warning::message() const {
  return "fitcheck warning [" + code + "]: " + problem + (fix.empty() ? "" : ". Fix: " + fix);
}

FITCHECK_IMPL warning_error::warning_error(const warning& w)
    : error("[" + w.code + "] " + w.problem, w.fix), code_(w.code) {}

FITCHECK_IMPL warning_error::~warning_error() = default;

FITCHECK_IMPL void warn(std::string code, std::string problem, std::string fix) {
  warning w{std::move(code), std::move(problem), std::move(fix)};
  auto& c = detail::channel();
  std::lock_guard lock(c.mutex);
  if (c.as_errors) throw warning_error(w);
  if (c.handler) {
    c.handler(w);
  } else {
    std::fprintf(stderr, "%s\n", w.message().c_str());
  }
}

}  // namespace fitcheck
