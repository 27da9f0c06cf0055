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
}

FITCHECK_IMPL void ProgressBar::on_train_batch_end(TrainingState& s, double loss) {
  bar(s.step, s.steps_per_epoch, loss);
}

FITCHECK_IMPL void ProgressBar::on_epoch_end(TrainingState& s, Logs& logs) { line(s.step, &logs); }

FITCHECK_IMPL void ProgressBar::on_test_begin(TrainingState&) { start_ = clock::now(); }

FITCHECK_IMPL void ProgressBar::on_test_batch_end(TrainingState& s, double loss) {
  bar(s.test_step, s.test_steps, loss);
}

FITCHECK_IMPL void ProgressBar::on_test_end(TrainingState& s, const Logs& logs) {
  line(s.test_step, &logs);
}

FITCHECK_IMPL void ProgressBar::on_predict_begin(TrainingState&) { start_ = clock::now(); }

FITCHECK_IMPL void ProgressBar::on_predict_batch_end(TrainingState& s, std::span<const float>) {
  bar(s.test_step, s.test_steps, std::nullopt);
}

FITCHECK_IMPL void ProgressBar::on_predict_end(TrainingState& s) { line(s.test_step, nullptr); }

FITCHECK_IMPL void ProgressBar::bar(std::size_t step, std::optional<std::size_t> total,
                                    std::optional<double> loss) {
  if (level_ != 1) return;
  const double secs = seconds();
  const std::string of = total ? std::to_string(*total) : "?";
  std::string eta;
  if (total && step > 0 && step <= *total)
    eta = " - ETA " + fmt(secs / double(step) * double(*total - step)) + "s";
  char shown[48] = "";
  if (loss) std::snprintf(shown, sizeof shown, " - loss: %.4f", *loss);
  std::fprintf(out_, "\r%zu/%s - %ss%s%s   ", step, of.c_str(), fmt(secs).c_str(), eta.c_str(),
               shown);
  std::fflush(out_);
}

FITCHECK_IMPL void ProgressBar::line(std::size_t steps, const Logs* logs) {
  if (level_ == 0) return;
  const double secs = seconds();
  std::string text =
      std::to_string(steps) + "/" + std::to_string(steps) + " - " + fmt(secs) + "s - " +
      std::to_string(static_cast<long long>(double(steps) / (secs > 0 ? secs : 1e-9))) +
      " steps/s";
  if (logs != nullptr)
    for (const auto& [name, value] : logs->entries()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, " - %s: %.4f", name.c_str(), value);
      text += buf;
    }
  std::fprintf(out_, "%s%s\n", level_ == 1 ? "\r" : "", text.c_str());
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
