// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck::callbacks {

namespace detail {
template <class Owner>
class plateau_run {
  friend Owner;
  std::size_t wait_ = 0;
  std::size_t cooldown_counter_ = 0;
  monitor watch_;
  std::size_t reductions_ = 0;
};
}  // namespace detail

/// Multiplies the learning rate by `factor` when `Monitor` has not improved by more than
/// `min_delta` for `patience` epochs, then waits `cooldown` epochs before watching again, never
/// going below `min_lr` (Keras' ReduceLROnPlateau, with its defaults). Logs "learning_rate",
/// the rate the epoch trained with.
template <fixed_string Monitor = "val_loss">
struct ReduceLROnPlateau {
  static_assert(detail::monitor_named<Monitor>());
  /// The monitored log name.
  static constexpr std::string_view monitor = Monitor.view();
  /// True for a "val_" name: fit then requires Validation{...} (a compile error otherwise).
  static constexpr bool needs_validation = monitor.starts_with("val_");

  /// New rate = rate x factor; in (0, 1).
  double factor = 0.1;
  /// Epochs without improvement before a reduction.
  std::size_t patience = 10;
  /// The smallest change that counts as an improvement.
  double min_delta = 1e-4;
  /// Epochs after a reduction before watching again.
  std::size_t cooldown = 0;
  /// The rate never goes below this.
  double min_lr = 0.0;
  /// Whether smaller or larger is better; auto_ decides from the name, as Keras does.
  Mode mode = Mode::auto_;
  /// 1: print each reduction.
  int verbose = 0;
  /// The run's own state: leave it out of the initializer.
  detail::plateau_run<ReduceLROnPlateau> run_{};

  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState&) {
    if (!(factor > 0.0 && factor < 1.0))
      throw argument_error("ReduceLROnPlateau: factor " + format_python(factor) +
                               " would not reduce the learning rate",
                           "use a factor between 0 and 1 (exclusive), e.g. 0.1 or 0.5");
    run_ = {};
    run_.watch_.reset(mode, monitor, min_delta);
    run_.watch_.set_best(run_.watch_.worst());
  }

  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    auto& opt = detail::optimizer_of(s, "ReduceLROnPlateau");
    logs.set("learning_rate", double(opt.learning_rate()));
    const double current = detail::monitored(logs, monitor, "ReduceLROnPlateau");
    if (run_.cooldown_counter_ > 0) {
      --run_.cooldown_counter_;
      run_.wait_ = 0;
    }
    if (run_.watch_.improves(current)) {
      run_.watch_.set_best(current);
      run_.wait_ = 0;
    } else if (run_.cooldown_counter_ == 0) {
      ++run_.wait_;
      if (run_.wait_ >= patience) {
        const float old_lr = opt.learning_rate();
        if (old_lr > static_cast<float>(min_lr)) {
          const double new_lr = std::max(double(old_lr) * factor, min_lr);
          opt.set_learning_rate(static_cast<float>(new_lr));
          ++run_.reductions_;
          if (verbose > 0 && s.rank == 0)
            std::printf("\nEpoch %zu: ReduceLROnPlateau reducing learning rate to %s.\n",
                        s.epoch + 1, format_python(opt.learning_rate()).c_str());
          run_.cooldown_counter_ = cooldown;
          run_.wait_ = 0;
        }
      }
    }
  }

  /// What it remembers across epochs, for BackupAndRestore: the patience count, the cooldown
  /// left, the best value and the reductions made.
  [[nodiscard]] std::vector<double> backup_state() const {
    return {double(run_.wait_), double(run_.cooldown_counter_), *run_.watch_.best(),
            double(run_.reductions_)};
  }
  /// Takes back what backup_state() gave (after on_train_begin).
  void restore_state(std::span<const double> v) noexcept {
    run_.wait_ = static_cast<std::size_t>(v[0]);
    run_.cooldown_counter_ = static_cast<std::size_t>(v[1]);
    run_.watch_.set_best(v[2]);
    run_.reductions_ = static_cast<std::size_t>(v[3]);
  }

  /// Epochs without improvement, epochs of cooldown left, reductions made, the best value.
  [[nodiscard]] std::size_t wait() const noexcept { return run_.wait_; }
  /// Epochs of cooldown left.
  [[nodiscard]] std::size_t cooldown_left() const noexcept { return run_.cooldown_counter_; }
  /// Reductions made.
  [[nodiscard]] std::size_t reductions() const noexcept { return run_.reductions_; }
  /// The best value seen.
  [[nodiscard]] double best() const noexcept { return *run_.watch_.best(); }
};

}  // namespace fitcheck::callbacks
