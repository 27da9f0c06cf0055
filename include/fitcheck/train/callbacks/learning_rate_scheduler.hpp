// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <type_traits>

#include <fitcheck/core/error.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck::callbacks {

/// Sets the learning rate at the start of every epoch to `schedule(epoch, lr)` (0-based epoch,
/// the current rate), and logs it as "learning_rate" (Keras' LearningRateScheduler).
template <class Schedule>
struct LearningRateScheduler {
  static_assert(std::is_invocable_r_v<double, Schedule&, std::size_t, float>,
                "LearningRateScheduler: the schedule must be callable as schedule(epoch, lr) "
                "and return the new rate. Fix: [](std::size_t epoch, float lr) { return epoch < "
                "10 ? lr : lr * 0.9f; }");

  /// schedule(epoch, lr) -> the rate for this 0-based epoch.
  Schedule schedule;
  /// 1: print the rate set at each epoch.
  int verbose = 0;

  /// Callback hook: at the start of every epoch.
  void on_epoch_begin(TrainingState& s) {
    auto& opt = detail::optimizer_of(s, "LearningRateScheduler");
    const double lr = static_cast<double>(schedule(s.epoch, opt.learning_rate()));
    if (!std::isfinite(lr) || lr < 0)
      throw argument_error("LearningRateScheduler: the schedule returned " +
                               format_python(lr) + " for epoch " + std::to_string(s.epoch) +
                               " (0-based)",
                           "return a finite learning rate of 0 or more");
    opt.set_learning_rate(static_cast<float>(lr));
    if (verbose > 0 && s.rank == 0)
      std::printf("\nEpoch %zu: LearningRateScheduler setting learning rate to %s.\n", s.epoch + 1,
                  format_python(opt.learning_rate()).c_str());
  }
  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    logs.set("learning_rate",
             double(detail::optimizer_of(s, "LearningRateScheduler").learning_rate()));
  }
};
template <class Schedule>
LearningRateScheduler(Schedule) -> LearningRateScheduler<Schedule>;
template <class Schedule>
LearningRateScheduler(Schedule, int) -> LearningRateScheduler<Schedule>;

}  // namespace fitcheck::callbacks
