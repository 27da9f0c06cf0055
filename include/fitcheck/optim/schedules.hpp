// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fitcheck/config.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>

// Learning-rate schedules with Keras' names, fields and formulas (keras.optimizers.schedules).
// A schedule maps the optimizer's step count to a learning rate; the step is the number of
// updates already made (0 for the first update), as Keras evaluates `schedule(iterations)`.
// Schedules are small values: no allocation, no virtual call. An optimizer's `learning_rate` is
// a `LearningRate`, which holds a constant or one schedule, so both `Adam{.learning_rate = 1e-3f}`
// and `Adam{.learning_rate = ExponentialDecay{...}}` compile.

namespace fitcheck::optim {

namespace detail {
// Throws the argument_error "<who>: <problem>. Fix: <fix>" unless `ok`.
void require(bool ok, std::string_view who, const std::string& problem, const std::string& fix);

// A learning rate (or a schedule's start) must be a finite number >= 0.
void require_rate(float value, std::string_view who, std::string_view field);
}  // namespace detail

/// Keras' ExponentialDecay: initial_learning_rate * decay_rate^(step / decay_steps); with
/// staircase the exponent is floored, so the rate drops by decay_rate every decay_steps (a step
/// decay).
struct ExponentialDecay {
  /// The rate at step 0.
  float initial_learning_rate = 0.0f;
  /// Steps over which the rate decays (by decay_rate, or to alpha for cosine).
  std::uint64_t decay_steps = 0;
  /// The factor applied every decay_steps.
  float decay_rate = 0.0f;
  /// Decay in steps (integer division) rather than continuously.
  bool staircase = false;

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    double p = double(step) / double(decay_steps);
    if (staircase) p = std::floor(p);
    return static_cast<float>(double(initial_learning_rate) * std::pow(double(decay_rate), p));
  }
  /// Throws argument_error for a value no training could use.
  void validate(std::string_view who = "ExponentialDecay") const;
};

/// Keras' PiecewiseConstantDecay: values[0] while step <= boundaries[0], values[i] while
/// boundaries[i-1] < step <= boundaries[i], and values.back() after the last boundary. Up to
/// `max_boundaries` boundaries, held inline so the schedule never allocates.
class PiecewiseConstantDecay {
public:
  /// The most boundaries (stored inline: evaluating the schedule allocates nothing).
  static constexpr std::size_t max_boundaries = 16;

  /// `PiecewiseConstantDecay{{1000, 2000}, {1e-2f, 1e-3f, 1e-4f}}`: one value more than
  /// boundaries, boundaries strictly increasing.
  PiecewiseConstantDecay(std::initializer_list<std::uint64_t> boundaries,
                         std::initializer_list<float> values)
      : PiecewiseConstantDecay(std::span<const std::uint64_t>(boundaries.begin(), boundaries.size()),
                               std::span<const float>(values.begin(), values.size())) {}

  /// The same from run-time sequences.
  PiecewiseConstantDecay(std::span<const std::uint64_t> boundaries, std::span<const float> values);

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    // Keras compares with <=: at step == boundaries[i] the earlier value still holds.
    std::size_t i = 0;
    while (i < count_ && step > boundaries_[i]) ++i;
    return values_[i];
  }
  /// The step boundaries.
  [[nodiscard]] std::span<const std::uint64_t> boundaries() const noexcept {
    return {boundaries_.data(), count_};
  }
  /// The rates, one more than the boundaries.
  [[nodiscard]] std::span<const float> values() const noexcept {
    return {values_.data(), count_ + 1};
  }
  /// Every check runs in the constructor; kept for the uniform schedule interface.
  void validate(std::string_view = {}) const noexcept {}

private:
  std::array<std::uint64_t, max_boundaries> boundaries_{};
  std::array<float, max_boundaries + 1> values_{};
  std::size_t count_ = 0;
};
/// The brief's name for PiecewiseConstantDecay (a step decay at chosen steps).
using PiecewiseConstant = PiecewiseConstantDecay;

/// Keras 3's CosineDecay with optional linear warm-up. Without warmup_target: the rate follows
/// initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha).
/// With warmup_target: it rises linearly from initial_learning_rate to warmup_target over
/// warmup_steps, then decays as above from warmup_target over decay_steps.
struct CosineDecay {
  /// The rate at step 0.
  float initial_learning_rate = 0.0f;
  /// Steps over which the rate decays (by decay_rate, or to alpha for cosine).
  std::uint64_t decay_steps = 0;
  float alpha = 0.0f;  ///< the final rate, as a fraction of the rate decay starts from
  /// With warm-up: the rate reached linearly from initial_learning_rate over warmup_steps, where
  /// the decay starts.
  std::optional<float> warmup_target = std::nullopt;
  /// Steps of linear warm-up.
  std::uint64_t warmup_steps = 0;

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    const double initial = initial_learning_rate;
    const double decay = double(decay_steps);
    if (!warmup_target) return static_cast<float>(initial * decayed(std::min(double(step), decay)));
    const double target = *warmup_target;
    const double warmup = double(warmup_steps);
    const double s = std::min(double(step), decay + warmup);
    if (s < warmup) return static_cast<float>(initial + (target - initial) * (s / warmup));
    return static_cast<float>(target * decayed(s - warmup));
  }
  /// Checks the settings: argument_error naming a bad one.
  void validate(std::string_view who = "CosineDecay") const;

private:
  // The cosine factor, from 1 at 0 down to alpha at decay_steps.
  [[nodiscard]] double decayed(double s) const noexcept {
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * (s / double(decay_steps))));
    return (1.0 - double(alpha)) * cosine + double(alpha);
  }
};

/// Keras' PolynomialDecay: (initial - end) * (1 - step / decay_steps)^power + end, the step held
/// at decay_steps (the rate stays at end_learning_rate after it); with cycle, decay_steps is
/// stretched to the first multiple of itself at or above the step, so the rate climbs back and
/// decays again, each cycle longer.
struct PolynomialDecay {
  /// The rate at step 0.
  float initial_learning_rate = 0.0f;
  /// Steps over which the rate falls to end_learning_rate.
  std::uint64_t decay_steps = 0;
  /// The rate reached at decay_steps (Keras' default 1e-4).
  float end_learning_rate = 1e-4f;
  /// The polynomial's power: 1 linear, 0.5 square root.
  float power = 1.0f;
  /// Restart from a longer cycle instead of staying at the end rate.
  bool cycle = false;

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    double s = double(step), d = double(decay_steps);
    if (cycle)
      d *= step == 0 ? 1.0 : std::ceil(s / d);
    else
      s = std::min(s, d);
    const double end = end_learning_rate;
    return static_cast<float>((double(initial_learning_rate) - end) *
                                  std::pow(1.0 - s / d, double(power)) +
                              end);
  }
  /// Checks the settings: argument_error naming a bad one.
  void validate(std::string_view who = "PolynomialDecay") const;
};

/// Keras' InverseTimeDecay: initial / (1 + decay_rate * step / decay_steps); with staircase the
/// quotient is floored.
struct InverseTimeDecay {
  /// The rate at step 0.
  float initial_learning_rate = 0.0f;
  /// Steps per unit of decay.
  std::uint64_t decay_steps = 0;
  /// How fast the rate falls: it halves at decay_steps / decay_rate steps.
  float decay_rate = 0.0f;
  /// Decay in steps (integer division) rather than continuously.
  bool staircase = false;

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    double p = double(step) / double(decay_steps);
    if (staircase) p = std::floor(p);
    return static_cast<float>(double(initial_learning_rate) / (1.0 + double(decay_rate) * p));
  }
  /// Checks the settings: argument_error naming a bad one.
  void validate(std::string_view who = "InverseTimeDecay") const;
};

/// Keras' CosineDecayRestarts (SGDR, Loshchilov & Hutter): a cosine from initial to alpha *
/// initial over first_decay_steps, then a restart; period i lasts first_decay_steps * t_mul^i
/// steps and starts at initial * m_mul^i. PyTorch's CosineAnnealingWarmRestarts is the case
/// m_mul = 1, eta_min = alpha * initial.
struct CosineDecayRestarts {
  /// The rate at step 0.
  float initial_learning_rate = 0.0f;
  /// Steps of the first period.
  std::uint64_t first_decay_steps = 0;
  /// Each period lasts t_mul times the one before.
  float t_mul = 2.0f;
  /// Each period starts at m_mul times the one before's starting rate.
  float m_mul = 1.0f;
  /// The rate each period ends at, as a fraction of its starting rate.
  float alpha = 0.0f;

  /// The learning rate at 0-based step `step`.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept {
    double fraction = double(step) / double(first_decay_steps);
    const double t = t_mul;
    double restart;
    if (t == 1.0) {
      restart = std::floor(fraction);
      fraction -= restart;
    } else {
      restart = std::floor(std::log(1.0 - fraction * (1.0 - t)) / std::log(t));
      const double done = (1.0 - std::pow(t, restart)) / (1.0 - t);
      fraction = (fraction - done) / std::pow(t, restart);
    }
    const double cosine =
        0.5 * std::pow(double(m_mul), restart) * (1.0 + std::cos(std::numbers::pi * fraction));
    return static_cast<float>(double(initial_learning_rate) *
                              ((1.0 - double(alpha)) * cosine + double(alpha)));
  }
  /// Checks the settings: argument_error naming a bad one.
  void validate(std::string_view who = "CosineDecayRestarts") const;
};

/// An optimizer's learning rate: a constant, or a schedule evaluated at every step. Implicit from
/// a float and from each schedule, so it reads as a plain field in designated initializers.
class LearningRate {
public:
  /// A constant rate or one of the schedules.
  using schedule = std::variant<float, ExponentialDecay, PiecewiseConstantDecay, CosineDecay,
                                PolynomialDecay, InverseTimeDecay, CosineDecayRestarts>;

  /// A constant rate.
  LearningRate(float value) noexcept : schedule_(value) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(ExponentialDecay s) noexcept : schedule_(s) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(PiecewiseConstantDecay s) noexcept
      : schedule_(s) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(CosineDecay s) noexcept : schedule_(s) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(PolynomialDecay s) noexcept
      : schedule_(s) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(InverseTimeDecay s) noexcept
      : schedule_(s) {}  // NOLINT(google-explicit-constructor)
  /// A schedule.
  LearningRate(CosineDecayRestarts s) noexcept
      : schedule_(s) {}  // NOLINT(google-explicit-constructor)

  /// The rate for the update that follows `step` earlier updates.
  [[nodiscard]] float operator()(std::uint64_t step) const noexcept;
  /// True for a plain constant, false for a schedule.
  [[nodiscard]] bool is_constant() const noexcept {
    return std::holds_alternative<float>(schedule_);
  }
  /// The rate or schedule held.
  [[nodiscard]] const schedule& get() const noexcept { return schedule_; }

  /// Throws argument_error, naming `who` (the optimizer), for a rate no training could use.
  void validate(std::string_view who) const;

private:
  schedule schedule_;
};

}  // namespace fitcheck::optim

#if !FITCHECK_SEPARATE
#include <fitcheck/optim/schedules_impl.hpp>
#endif
