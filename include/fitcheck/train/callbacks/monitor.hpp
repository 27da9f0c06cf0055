// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/logs.hpp>

// What the built-in callbacks share: the monitored name as a template argument, the direction
// in which it improves, the monitor that tracks the best value, and Python's number text.

namespace fitcheck {

/// A string usable as a template argument: `EarlyStopping<"val_loss">`.
template <std::size_t N>
struct fixed_string {
  /// The characters, with the terminating 0.
  char value[N]{};
  /// From a string literal.
  constexpr fixed_string(const char (&s)[N]) noexcept {  // NOLINT: implicit by design
    for (std::size_t i = 0; i < N; ++i) value[i] = s[i];
  }
  /// The string, without the terminating 0.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {value, N - 1}; }
  /// Its length.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return N - 1; }
};

namespace callbacks {

/// Whether a smaller or a larger monitored value is better; `auto_` decides from the name.
enum class Mode { auto_, min, max };

/// The direction `Mode::auto_` picks for a monitored name, as Keras does: larger is better for
/// accuracy-like metrics (accuracy, auc, precision, recall, f1/fbeta, iou, r2), smaller for
/// everything else (losses and errors). A "val_" prefix is ignored.
[[nodiscard]] constexpr Mode auto_mode(std::string_view monitor) noexcept {
  if (monitor.starts_with("val_")) monitor.remove_prefix(4);
  for (std::string_view up :
       {"acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2_score"})
    if (monitor.find(up) != std::string_view::npos) return Mode::max;
  return Mode::min;
}

namespace detail {
template <fixed_string Monitor>
consteval bool monitor_named() {
  static_assert(Monitor.size() > 0,
                "callbacks: the monitored name is empty. Fix: name a logged value, e.g. "
                "EarlyStopping<\"val_loss\"> or EarlyStopping<\"loss\">");
  return true;
}

[[nodiscard]] inline Mode resolve(Mode m, std::string_view monitor) noexcept {
  return m == Mode::auto_ ? auto_mode(monitor) : m;
}

[[nodiscard]] std::string names_in(const Logs& logs);

/// The monitored value of this epoch; a name that was not logged is a configuration mistake
/// (a typo, or "val_acc" for "val_accuracy"), so it stops training with the names there are.
[[nodiscard]] double monitored(const Logs& logs, std::string_view monitor, const char* who);

[[nodiscard]] optim::Optimizer& optimizer_of(TrainingState& s, const char* who);

/// Keras' MonitorCallback, shared by EarlyStopping, ModelCheckpoint and ReduceLROnPlateau: the
/// direction in which a monitored value improves, the smallest change that counts, and the best
/// value seen.
class monitor {
public:
  /// Resolves `mode` for the monitored `name`; `best` is the value to beat (none: anything
  /// improves on it).
  void reset(Mode mode, std::string_view name, double min_delta,
             std::optional<double> best = std::nullopt) noexcept {
    minimize_ = resolve(mode, name) == Mode::min;
    delta_ = std::abs(min_delta);
    best_ = best;
  }
  /// Whether `value` improves on `reference` by more than min_delta. Anything improves on no
  /// reference; a NaN never improves (Keras would take a first NaN as the best).
  [[nodiscard]] bool improves(double value, std::optional<double> reference) const noexcept {
    if (std::isnan(value)) return false;
    if (!reference) return true;
    return minimize_ ? (value + delta_) < *reference : (value - delta_) > *reference;
  }
  [[nodiscard]] bool improves(double value) const noexcept { return improves(value, best_); }
  /// The worst possible value: +inf when smaller is better, -inf otherwise.
  [[nodiscard]] double worst() const noexcept {
    return minimize_ ? std::numeric_limits<double>::infinity()
                     : -std::numeric_limits<double>::infinity();
  }
  [[nodiscard]] bool minimize() const noexcept { return minimize_; }
  [[nodiscard]] std::optional<double> best() const noexcept { return best_; }
  void set_best(double v) noexcept { best_ = v; }

private:
  bool minimize_ = true;
  double delta_ = 0;
  std::optional<double> best_;
};
}  // namespace detail
}  // namespace callbacks
}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/train/callbacks/monitor_impl.hpp>
#endif
