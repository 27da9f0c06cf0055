// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of train/progress.hpp (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/train/progress.hpp>

#include <unistd.h>

namespace fitcheck {

FITCHECK_IMPL ProgressBar::ProgressBar(Verbose v, std::FILE* out)
    : out_(out), level_(v.level != Verbose::auto_ ? v.level : (isatty(fileno(out)) ? 1 : 2)) {}

FITCHECK_IMPL void ProgressBar::on_epoch_begin(TrainingState& s) {
  if (level_ == 0) return;
  std::fprintf(out_, "Epoch %zu/%zu\n", s.epoch + 1, s.epochs);
  start_ = clock::now();
  loss_sum_ = 0;
}

FITCHECK_IMPL void ProgressBar::on_train_batch_end(TrainingState& s, double loss) {
  loss_sum_ += loss;
  if (level_ != 1) return;
  const double secs = seconds();
  std::string total = s.steps_per_epoch ? std::to_string(*s.steps_per_epoch) : "?";
  std::string eta;
  if (s.steps_per_epoch && s.step > 0)
    eta = " - ETA " + fmt(secs / double(s.step) * double(*s.steps_per_epoch - s.step)) + "s";
  std::fprintf(out_, "\r%zu/%s - %ss%s - loss: %.4f   ", s.step, total.c_str(), fmt(secs).c_str(),
               eta.c_str(), loss_sum_ / double(s.step));
  std::fflush(out_);
}

FITCHECK_IMPL void ProgressBar::on_epoch_end(TrainingState& s, Logs& logs) {
  if (level_ == 0) return;
  const double secs = seconds();
  std::string line =
      std::to_string(s.step) + "/" + std::to_string(s.step) + " - " + fmt(secs) + "s - " +
      std::to_string(static_cast<long long>(double(s.step) / (secs > 0 ? secs : 1e-9))) +
      " steps/s";
  for (const auto& [name, value] : logs.entries()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " - %s: %.4f", name.c_str(), value);
    line += buf;
  }
  std::fprintf(out_, "%s%s\n", level_ == 1 ? "\r" : "", line.c_str());
  std::fflush(out_);
}

FITCHECK_IMPL double ProgressBar::seconds() const {
  return std::chrono::duration<double>(clock::now() - start_).count();
}

FITCHECK_IMPL std::string ProgressBar::fmt(double secs) {
  char buf[32];
  std::snprintf(buf, sizeof buf, secs < 10 ? "%.2f" : "%.0f", secs);
  return buf;
}

}  // namespace fitcheck
