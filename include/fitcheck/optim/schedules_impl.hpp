// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of optim/schedules.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/optim/schedules.hpp>

namespace fitcheck::optim {

namespace detail {
FITCHECK_IMPL void require(bool ok, std::string_view who, const std::string& problem,
                           const std::string& fix) {
  if (!ok) throw argument_error(std::string(who) + ": " + problem, fix);
}

FITCHECK_IMPL void require_rate(float value, std::string_view who, std::string_view field) {
  require(std::isfinite(value) && value >= 0.0f, who,
          std::string(field) + " is " + format_number(value) +
              ", but a learning rate must be a finite "
              "number >= 0",
          "use a finite " + std::string(field) + " >= 0, e.g. 1e-3");
}

// A schedule's start: a learning rate, and not 0 (zero at every step is never what was meant: the
// fields were most likely left out). `example`: the schedule written with them.
FITCHECK_IMPL void require_start(float initial, std::string_view who, std::string_view example) {
  require_rate(initial, who, "initial_learning_rate");
  require(initial > 0.0f, who, "initial_learning_rate is 0, so the learning rate is 0 at every step",
          "set .initial_learning_rate, e.g. " + std::string(example));
}
}  // namespace detail

FITCHECK_IMPL PiecewiseConstantDecay::PiecewiseConstantDecay(
    std::span<const std::uint64_t> boundaries, std::span<const float> values) {
  constexpr std::string_view who = "PiecewiseConstantDecay";
  // Checked here, not later, because a size that does not fit cannot even be stored.
  detail::require(values.size() == boundaries.size() + 1, who,
                  std::to_string(boundaries.size()) + " boundaries and " +
                      std::to_string(values.size()) +
                      " values; the values must number one more than the boundaries",
                  "give one value for each interval: before the first boundary, between "
                  "boundaries, and after the last");
  detail::require(boundaries.size() <= max_boundaries, who,
                  std::to_string(boundaries.size()) + " boundaries, more than the " +
                      std::to_string(max_boundaries) + " it holds",
                  "use at most " + std::to_string(max_boundaries) +
                      " boundaries, or ExponentialDecay with staircase = true for a regular "
                      "step decay");
  for (std::size_t i = 1; i < boundaries.size(); ++i)
    detail::require(boundaries[i - 1] < boundaries[i], who,
                    "boundary " + std::to_string(i) + " (" + std::to_string(boundaries[i]) +
                        ") is not after boundary " + std::to_string(i - 1) + " (" +
                        std::to_string(boundaries[i - 1]) + ")",
                    "list the boundaries in strictly increasing step order");
  for (std::size_t i = 0; i < values.size(); ++i)
    detail::require_rate(values[i], who, "values[" + std::to_string(i) + "]");
  count_ = boundaries.size();
  std::copy(boundaries.begin(), boundaries.end(), boundaries_.begin());
  std::copy(values.begin(), values.end(), values_.begin());
}

FITCHECK_IMPL void ExponentialDecay::validate(std::string_view who) const {
  detail::require_start(initial_learning_rate, who,
                        "ExponentialDecay{.initial_learning_rate = 0.1f, .decay_steps = 1000, "
                        ".decay_rate = 0.96f}");
  detail::require(decay_steps > 0, who, "decay_steps is 0 (the step is divided by it)",
                  "set .decay_steps to the number of steps over which the rate is multiplied "
                  "by decay_rate once, e.g. 1000");
  detail::require(std::isfinite(decay_rate) && decay_rate > 0.0f, who,
                  "decay_rate is " + format_number(decay_rate) + ", but it must be > 0",
                  "set .decay_rate to the factor applied every decay_steps, e.g. 0.96 (below "
                  "1 decays, above 1 grows)");
}

FITCHECK_IMPL void CosineDecay::validate(std::string_view who) const {
  detail::require_rate(initial_learning_rate, who, "initial_learning_rate");
  detail::require(decay_steps > 0, who, "decay_steps is 0 (the step is divided by it)",
                  "set .decay_steps to the number of steps the cosine runs over, e.g. the "
                  "total training steps");
  detail::require(std::isfinite(alpha) && alpha >= 0.0f && alpha <= 1.0f, who,
                  "alpha is " + format_number(alpha) + ", outside [0, 1]",
                  "set .alpha to the final rate as a fraction of the starting one, e.g. 0 or "
                  "0.01");
  if (warmup_target) {
    detail::require_rate(*warmup_target, who, "warmup_target");
  } else {
    // Keras silently ignores warmup_steps without warmup_target; here it is an error.
    detail::require(warmup_steps == 0, who,
                    "warmup_steps is " + std::to_string(warmup_steps) +
                        " but warmup_target is not set, so there would be no warm-up",
                    "set .warmup_target to the rate reached after the warm-up (the warm-up "
                    "starts at initial_learning_rate), or drop .warmup_steps");
  }
  const float peak =
      warmup_target ? std::max(*warmup_target, initial_learning_rate) : initial_learning_rate;
  detail::require(peak > 0.0f, who,
                  "the learning rate is 0 at every step (initial_learning_rate and "
                  "warmup_target are 0 or unset)",
                  "set .initial_learning_rate, or .warmup_target with .warmup_steps for a "
                  "warm-up from 0");
}

FITCHECK_IMPL void PolynomialDecay::validate(std::string_view who) const {
  detail::require_rate(initial_learning_rate, who, "initial_learning_rate");
  detail::require_rate(end_learning_rate, who, "end_learning_rate");
  detail::require(decay_steps > 0, who, "decay_steps is 0 (the step is divided by it)",
                  "set .decay_steps to the steps over which the rate falls to "
                  "end_learning_rate, e.g. the total training steps");
  detail::require(std::isfinite(power) && power > 0.0f, who,
                  "power is " + format_number(power) + ", but it must be > 0",
                  "set .power, e.g. 1 (linear) or 0.5");
  detail::require(initial_learning_rate > 0.0f || end_learning_rate > 0.0f, who,
                  "initial_learning_rate and end_learning_rate are 0, so the learning rate is "
                  "0 at every step",
                  "set .initial_learning_rate, e.g. PolynomialDecay{.initial_learning_rate = "
                  "0.1f, .decay_steps = 10000}");
}

FITCHECK_IMPL void InverseTimeDecay::validate(std::string_view who) const {
  detail::require_start(initial_learning_rate, who,
                        "InverseTimeDecay{.initial_learning_rate = 0.1f, .decay_steps = 1, "
                        ".decay_rate = 0.5f}");
  detail::require(decay_steps > 0, who, "decay_steps is 0 (the step is divided by it)",
                  "set .decay_steps, e.g. 1 (decay per step) or the steps of an epoch");
  detail::require(std::isfinite(decay_rate) && decay_rate >= 0.0f, who,
                  "decay_rate is " + format_number(decay_rate) + ", but it must be >= 0",
                  "set .decay_rate, e.g. 0.5");
}

FITCHECK_IMPL void CosineDecayRestarts::validate(std::string_view who) const {
  detail::require_start(initial_learning_rate, who,
                        "CosineDecayRestarts{.initial_learning_rate = 0.1f, "
                        ".first_decay_steps = 1000}");
  detail::require(first_decay_steps > 0, who, "first_decay_steps is 0 (the step is divided by it)",
                  "set .first_decay_steps to the steps of the first period, e.g. an epoch's");
  detail::require(std::isfinite(t_mul) && t_mul > 0.0f, who,
                  "t_mul is " + format_number(t_mul) + ", but it must be > 0",
                  "set .t_mul, e.g. 2 (each period twice as long) or 1 (equal periods)");
  detail::require(std::isfinite(m_mul) && m_mul >= 0.0f, who,
                  "m_mul is " + format_number(m_mul) + ", but it must be >= 0",
                  "set .m_mul, e.g. 1 (every period starts at the initial rate) or 0.9");
  detail::require(std::isfinite(alpha) && alpha >= 0.0f && alpha <= 1.0f, who,
                  "alpha is " + format_number(alpha) + ", outside [0, 1]",
                  "set .alpha to the final rate as a fraction of the starting one, e.g. 0 or "
                  "0.01");
}

FITCHECK_IMPL float LearningRate::operator()(std::uint64_t step) const noexcept {
  return std::visit(
      [step](const auto& s) -> float {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(s)>, float>) {
          return s;
        } else {
          return s(step);
        }
      },
      schedule_);
}

FITCHECK_IMPL void LearningRate::validate(std::string_view who) const {
  std::visit(
      [who](const auto& s) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(s)>, float>) {
          detail::require_rate(s, who, "learning_rate");
        } else {
          s.validate(std::string(who) + ": learning_rate");
        }
      },
      schedule_);
}

}  // namespace fitcheck::optim
