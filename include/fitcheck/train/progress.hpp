// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

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

/// Prints Keras-style progress: "Epoch 3/20", then "29/29 - 0.05s - 580 steps/s - loss: 0.41".
class ProgressBar {
public:
  /// Progress output at level v, to `out`.
  explicit ProgressBar(Verbose v = {}, std::FILE* out = stdout)
      : out_(out), level_(v.level != Verbose::auto_ ? v.level : (isatty(fileno(out)) ? 1 : 2)) {}

  /// Callback hook: at the start of every epoch.
  void on_epoch_begin(TrainingState& s) {
    if (level_ == 0) return;
    std::fprintf(out_, "Epoch %zu/%zu\n", s.epoch + 1, s.epochs);
    start_ = clock::now();
    loss_sum_ = 0;
  }
  /// Callback hook: after every training step, with the running mean loss of the epoch.
  void on_train_batch_end(TrainingState& s, double loss) {
    loss_sum_ += loss;
    if (level_ != 1) return;
    const double secs = seconds();
    std::string total = s.steps_per_epoch ? std::to_string(*s.steps_per_epoch) : "?";
    std::string eta;
    if (s.steps_per_epoch && s.step > 0)
      eta = " - ETA " + fmt(secs / double(s.step) * double(*s.steps_per_epoch - s.step)) + "s";
    std::fprintf(out_, "\r%zu/%s - %ss%s - loss: %.4f   ", s.step, total.c_str(),
                 fmt(secs).c_str(), eta.c_str(), loss_sum_ / double(s.step));
    std::fflush(out_);
  }
  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    if (level_ == 0) return;
    const double secs = seconds();
    std::string line = std::to_string(s.step) + "/" + std::to_string(s.step) + " - " + fmt(secs) +
                       "s - " + std::to_string(static_cast<long long>(double(s.step) / (secs > 0 ? secs : 1e-9))) +
                       " steps/s";
    for (const auto& [name, value] : logs.entries()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " - %s: %.4f", name.c_str(), value);
      line += buf;
    }
    std::fprintf(out_, "%s%s\n", level_ == 1 ? "\r" : "", line.c_str());
    std::fflush(out_);
  }

private:
  using clock = std::chrono::steady_clock;
  double seconds() const { return std::chrono::duration<double>(clock::now() - start_).count(); }
  static std::string fmt(double secs) {
    char buf[32];
    std::snprintf(buf, sizeof buf, secs < 10 ? "%.2f" : "%.0f", secs);
    return buf;
  }

  std::FILE* out_;
  int level_;
  clock::time_point start_{};
  double loss_sum_ = 0;
};

}  // namespace fitcheck
