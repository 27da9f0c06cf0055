// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <span>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/train/callback.hpp>

namespace fitcheck::callbacks {

/// Keras' `SwapEMAWeights`: with an optimizer that keeps a moving average of the weights
/// (`use_ema = true`), fit's validation scores the average instead of the weights being trained:
/// the callback swaps the two before the validation pass and back after it, so training goes on
/// from the weights it left. With `.swap_on_epoch = true` the average also stays in the weights
/// from the end of each epoch until the next begins, so callbacks after this one
/// (ModelCheckpoint, EarlyStopping's restore_best_weights) see and keep the average. The swap is
/// an exchange, with no third copy of the weights kept. fit ends with the average in the weights,
/// as with use_ema alone. A run without use_ema is refused before the first step.
struct SwapEMAWeights {
  /// Also keep the average in the weights between epochs (Keras' swap_on_epoch).
  bool swap_on_epoch = false;

  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState& s) {
    require_average(s);
    in_weights_ = false;
  }
  /// Callback hook: the weights being trained go back before the epoch's first step.
  void on_epoch_begin(TrainingState& s) {
    if (swap_on_epoch && in_weights_) swap(s);
  }
  /// Callback hook: the average is validated (in fit) or evaluated (evaluate given this
  /// callback, as Keras' `evaluate(..., callbacks=[SwapEMAWeights()])`).
  void on_test_begin(TrainingState& s) {
    require_average(s);
    if (!in_weights_) swap(s);
  }
  /// Callback hook: the weights being trained go back after validation.
  void on_test_end(TrainingState& s) {
    if (in_weights_) swap(s);
  }
  /// Callback hook: with swap_on_epoch, the average stays in the weights until the next epoch.
  void on_epoch_end(TrainingState& s, Logs&) {
    if (swap_on_epoch && !in_weights_) swap(s);
  }

  /// Whether the weights hold the average now, for a training backup: a run resumed after an
  /// epoch end with swap_on_epoch swaps the trained weights back before its first step.
  [[nodiscard]] std::vector<double> backup_state() const { return {in_weights_ ? 1.0 : 0.0}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) {
    if (v.size() == 1 && v[0] != 0.0) in_weights_ = true;
  }

  /// The run's own state: leave it out of the initializer.
  bool in_weights_ = false;

private:
  static void require_average(const TrainingState& s) {
    if (!s.average)
      throw argument_error("SwapEMAWeights: the optimizer keeps no moving average of the "
                           "weights, so there is nothing to swap in",
                           "set .use_ema = true in the optimizer's options (Keras' use_ema=True), "
                           "or leave SwapEMAWeights out");
  }
  // The fit's flag follows this callback's: a resumed run's fit learns from it that its
  // weights hold the average.
  void swap(TrainingState& s) {
    s.average.in_weights = in_weights_;
    s.average.swap();
    in_weights_ = s.average.in_weights;
  }
};

}  // namespace fitcheck::callbacks
