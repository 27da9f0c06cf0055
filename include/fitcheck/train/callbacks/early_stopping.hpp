// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck::callbacks {

namespace detail {
template <class Owner>
class early_stopping_run {
  friend Owner;
  std::size_t wait_ = 0;
  monitor watch_;
  std::size_t best_epoch_ = 0;
  std::optional<std::size_t> stopped_epoch_;
  std::vector<float> best_weights_;
  bool has_best_weights_ = false;
};
}  // namespace detail

/// Stops training when `Monitor` has stopped improving (Keras' EarlyStopping): after an epoch
/// that is not an improvement of more than `min_delta` on the best so far, once `patience`
/// epochs passed without one. With `restore_best_weights`, the parameters of the best epoch are
/// put back when training ends (stopped or not).
/// @tparam Monitor a logged name: "val_loss" (the default, needs Validation{...}), "loss",
///         "val_accuracy", ...
template <fixed_string Monitor = "val_loss">
struct EarlyStopping {
  static_assert(detail::monitor_named<Monitor>());
  /// The monitored log name.
  static constexpr std::string_view monitor = Monitor.view();
  /// True for a "val_" name: fit then requires Validation{...} (a compile error otherwise).
  static constexpr bool needs_validation = monitor.starts_with("val_");

  /// Epochs without improvement after which training stops.
  std::size_t patience = 0;
  /// The smallest change that counts as an improvement (its sign is ignored).
  double min_delta = 0;
  /// Whether smaller or larger is better; auto_ decides from the name, as Keras does.
  Mode mode = Mode::auto_;
  /// A value to beat: until the monitored value beats it, patience keeps running out.
  std::optional<double> baseline{};
  /// When training ends, put back the parameters of the best epoch.
  bool restore_best_weights = false;
  /// Epochs (0-based index) before this one are not watched: a warm-up.
  std::size_t start_from_epoch = 0;
  /// 1: print "Epoch N: early stopping" and the restore.
  int verbose = 0;
  /// The run's own state: leave it out of the initializer.
  detail::early_stopping_run<EarlyStopping> run_{};

  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState& s) {
    auto buffer = std::move(run_.best_weights_);
    run_ = {};
    run_.best_weights_ = std::move(buffer);
    run_.watch_.reset(mode, monitor, min_delta);
    // Sized once here, so no epoch allocates.
    if (restore_best_weights) run_.best_weights_.resize(s.parameters.size());
  }

  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    const double current = detail::monitored(logs, monitor, "EarlyStopping");
    if (s.epoch < start_from_epoch) return;
    if (restore_best_weights && !run_.has_best_weights_) {
      // Keras: until something improves, the first watched epoch's weights are the best.
      keep_weights(s);
      run_.best_epoch_ = s.epoch;
    }
    ++run_.wait_;
    if (run_.watch_.improves(current)) {
      run_.watch_.set_best(current);
      run_.best_epoch_ = s.epoch;
      if (restore_best_weights) keep_weights(s);
      // Patience restarts only when the baseline is beaten too.
      if (!baseline || run_.watch_.improves(current, baseline)) run_.wait_ = 0;
      return;
    }
    if (run_.wait_ >= patience && s.epoch > 0) {
      run_.stopped_epoch_ = s.epoch;
      s.stop_training = true;
    }
  }

  /// Callback hook: after the last epoch (stopped or not).
  void on_train_end(TrainingState& s) {
    if (verbose > 0 && s.rank == 0 && run_.stopped_epoch_)
      std::printf("Epoch %zu: early stopping\n", *run_.stopped_epoch_ + 1);
    if (restore_best_weights && run_.has_best_weights_ &&
        s.parameters.size() == run_.best_weights_.size()) {
      if (verbose > 0 && s.rank == 0)
        std::printf("Restoring model weights from the end of the best epoch: %zu.\n",
                    run_.best_epoch_ + 1);
      std::copy(run_.best_weights_.begin(), run_.best_weights_.end(), s.parameters.begin());
    }
  }

  /// What it remembers across epochs, for BackupAndRestore: the patience count, the best value
  /// and epoch, the epoch it stopped at, and with restore_best_weights the best weights.
  [[nodiscard]] std::vector<double> backup_state() const {
    const auto best = run_.watch_.best();
    std::vector<double> v = {double(run_.wait_), best ? 1.0 : 0.0, best.value_or(0.0),
                             double(run_.best_epoch_), run_.stopped_epoch_ ? 1.0 : 0.0,
                             double(run_.stopped_epoch_.value_or(0)),
                             run_.has_best_weights_ ? 1.0 : 0.0};
    v.insert(v.end(), run_.best_weights_.begin(), run_.best_weights_.end());
    return v;
  }
  /// Takes back what backup_state() gave (after on_train_begin, which sizes the weights).
  void restore_state(std::span<const double> v) {
    run_.wait_ = static_cast<std::size_t>(v[0]);
    if (v[1] != 0) run_.watch_.set_best(v[2]);
    run_.best_epoch_ = static_cast<std::size_t>(v[3]);
    if (v[4] != 0) run_.stopped_epoch_ = static_cast<std::size_t>(v[5]);
    run_.has_best_weights_ = v[6] != 0;
    std::copy(v.begin() + 7, v.end(), run_.best_weights_.begin());
  }

  /// The best monitored value seen (none before the first watched epoch).
  [[nodiscard]] std::optional<double> best() const noexcept { return run_.watch_.best(); }
  /// The 0-based epoch of the best value.
  [[nodiscard]] std::size_t best_epoch() const noexcept { return run_.best_epoch_; }
  /// The 0-based epoch at which it stopped training, if it did.
  [[nodiscard]] std::optional<std::size_t> stopped_epoch() const noexcept {
    return run_.stopped_epoch_;
  }
  /// Epochs since the last improvement.
  [[nodiscard]] std::size_t wait() const noexcept { return run_.wait_; }

private:
  void keep_weights(const TrainingState& s) {
    if (s.parameters.size() != run_.best_weights_.size()) return;
    std::copy(s.parameters.begin(), s.parameters.end(), run_.best_weights_.begin());
    run_.has_best_weights_ = true;
  }
};

}  // namespace fitcheck::callbacks
