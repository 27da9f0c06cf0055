// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>

#include <fitcheck/core/warnings.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>

namespace fitcheck::callbacks {

/// Stops training at the first batch whose (running mean) loss is NaN or infinite, or whose
/// gradients are (their global norm, which every optimizer step measures): a NaN input behind a
/// ReLU leaves the loss finite while it turns weights into NaN. Says so once through the warning
/// channel [D3]. Training stops after that step.
class TerminateOnNaN {
public:
  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState&) noexcept { triggered_ = false; }

  /// Callback hook: after every training step, with the running mean loss of the epoch.
  void on_train_batch_end(TrainingState& s, double loss) {
    const double norm = s.optimizer != nullptr ? s.optimizer->last_gradient_norm() : 0.0;
    if ((std::isfinite(loss) && std::isfinite(norm)) || triggered_) return;
    triggered_ = true;
    gradient_norm_ = norm;
    epoch_ = s.epoch;
    step_ = s.step;
    loss_ = loss;
    learning_rate_ =
        s.optimizer != nullptr ? std::optional<float>(s.optimizer->learning_rate()) : std::nullopt;
    s.stop_training = true;
    warn("D3", reason(),
         "lower the learning rate (e.g. 10x), check the data for NaN or infinite values, or "
         "scale the inputs");
  }

  /// Whether training was stopped, and at which 0-based epoch and 1-based step.
  [[nodiscard]] bool triggered() const noexcept { return triggered_; }
  /// The 0-based epoch it stopped at.
  [[nodiscard]] std::size_t epoch() const noexcept { return epoch_; }
  /// The 1-based step it stopped at.
  [[nodiscard]] std::size_t step() const noexcept { return step_; }
  /// The loss at the step it stopped (finite when the gradients were not).
  [[nodiscard]] double loss() const noexcept { return loss_; }
  /// Why training stopped ("" if it did not).
  [[nodiscard]] std::string reason() const {
    if (!triggered_) return {};
    std::string r = std::isfinite(loss_)
                        ? "TerminateOnNaN: the gradients are not finite (global norm " +
                              format_python(gradient_norm_) + "), so the weights are no longer " +
                              "finite, though the loss is " + format_python(loss_) + ","
                        : "TerminateOnNaN: the loss is " + format_python(loss_);
    r += " at epoch " + std::to_string(epoch_ + 1) + ", step " + std::to_string(step_);
    if (learning_rate_) r += " (learning rate " + format_python(*learning_rate_) + ")";
    return r + "; training stops";
  }

private:
  bool triggered_ = false;
  std::size_t epoch_ = 0;
  std::size_t step_ = 0;
  double loss_ = 0;
  double gradient_norm_ = 0;
  std::optional<float> learning_rate_;
};

}  // namespace fitcheck::callbacks
