// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>

#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck {

/// How much `fit` prints: nothing, a live bar per step on a terminal plus a line per epoch, or
/// only the line per epoch (Keras' verbose 0, 1, 2). The default (`auto_`) is 1 on a terminal
/// and 2 otherwise, so logs stay readable.
struct Verbose {
  /// 0: silent, 1: a live bar, 2: a line per epoch, -1 (auto_): 1 on a terminal, 2 otherwise.
  int level = -1;
  /// Decide from the output: a bar on a terminal, lines otherwise.
  static constexpr int auto_ = -1;
};

/// Prints Keras-style progress: "Epoch 3/20", then "29/29 - 0.05s - 580 steps/s - loss: 0.41";
/// for evaluate the same line with its results, for predict the line alone. fit makes its own
/// from its Verbose, as do evaluate and predict from theirs.
class ProgressBar {
public:
  /// Progress output at level v, to `out`.
  explicit ProgressBar(Verbose v = {}, std::FILE* out = stdout);

  /// Callback hook: at the start of every epoch.
  void on_epoch_begin(TrainingState& s);
  /// Callback hook: after every training step, with the running mean loss of the epoch.
  void on_train_batch_end(TrainingState& s, double loss);
  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs);
  /// Callback hook: before evaluate's pass.
  void on_test_begin(TrainingState& s);
  /// Callback hook: after each of its batches, with the pass's running mean loss.
  void on_test_batch_end(TrainingState& s, double loss);
  /// Callback hook: after the pass, with its results.
  void on_test_end(TrainingState& s, const Logs& logs);
  /// Callback hook: before predict's pass.
  void on_predict_begin(TrainingState& s);
  /// Callback hook: after each of its batches.
  void on_predict_batch_end(TrainingState& s, std::span<const float> outputs);
  /// Callback hook: after the pass.
  void on_predict_end(TrainingState& s);

private:
  using clock = std::chrono::steady_clock;
  double seconds() const;
  static std::string fmt(double secs);
  // The live bar of step `step` of `total` (level 1 only), with `loss` when given.
  void bar(std::size_t step, std::optional<std::size_t> total, std::optional<double> loss);
  // The closing line of `steps` steps, with `logs` when given (levels 1 and 2).
  void line(std::size_t steps, const Logs* logs);

  std::FILE* out_;
  int level_;
  clock::time_point start_{};
};
}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/train/progress_impl.hpp>
#endif
