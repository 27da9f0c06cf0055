// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>

// The one warning channel. Everything fitcheck warns about (the warning rows of docs/pitfalls.md) goes
// through `warn`, so a user can route warnings (to a log, to the progress bar) or make them
// errors, in one place.

namespace fitcheck {

/// One warning: the pitfalls guide row it belongs to ("A10"), what is wrong, and the fix.
struct warning {
  /// The pitfalls guide row ("A10").
  std::string code;
  /// What is wrong, with the facts.
  std::string problem;
  /// What to do.
  std::string fix;

  /// "fitcheck warning [A10]: <problem>. Fix: <fix>"
  [[nodiscard]] std::string message() const;
};

/// Thrown by `warn` instead of printing, when warnings are errors.
class warning_error : public error {
public:
  /// The warning as an error (set_warnings_as_errors).
  explicit warning_error(const warning& w);
  /// Out of line, with the vtable (warnings_impl.hpp).
  ~warning_error() override;
  /// The warning's pitfalls guide row.
  [[nodiscard]] const std::string& code() const noexcept { return code_; }

private:
  std::string code_;
};

using warning_handler = std::function<void(const warning&)>;

namespace detail {
struct warning_channel {
  std::mutex mutex;
  warning_handler handler;  // empty: print to stderr
  bool as_errors = false;
};
inline warning_channel& channel() {
  static warning_channel c;
  return c;
}
}  // namespace detail

/// Routes every later warning to `handler` (an empty one restores printing to stderr);
/// returns the previous handler. Handlers may be called from any thread, one at a time.
inline warning_handler set_warning_handler(warning_handler handler) {
  auto& c = detail::channel();
  std::lock_guard lock(c.mutex);
  return std::exchange(c.handler, std::move(handler));
}

/// With `true`, every later warning throws `warning_error` instead; returns the previous
/// setting.
inline bool set_warnings_as_errors(bool on) {
  auto& c = detail::channel();
  std::lock_guard lock(c.mutex);
  return std::exchange(c.as_errors, on);
}

/// Sends a warning down the channel.
void warn(std::string code, std::string problem, std::string fix);

/// Collects the warnings raised during its lifetime instead of printing them (tests, tools).
class warning_capture {
public:
  warning_capture()
      : previous_(set_warning_handler([this](const warning& w) { seen_.push_back(w); })) {}
  ~warning_capture() { set_warning_handler(std::move(previous_)); }
  warning_capture(const warning_capture&) = delete;
  warning_capture& operator=(const warning_capture&) = delete;

  /// The warnings seen since construction, in order.
  [[nodiscard]] const std::vector<warning>& warnings() const noexcept { return seen_; }
  /// How many warnings with this code were seen.
  [[nodiscard]] std::size_t count(const std::string& code) const {
    std::size_t n = 0;
    for (const auto& w : seen_) n += w.code == code;
    return n;
  }

private:
  std::vector<warning> seen_;
  warning_handler previous_;
};

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/warnings_impl.hpp>
#endif
