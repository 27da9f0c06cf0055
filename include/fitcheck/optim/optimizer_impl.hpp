// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of optim/optimizer.hpp that no user type shapes: the hyperparameter checks
// (config.hpp, FITCHECK_SEPARATE, says where they are compiled).

#include <fitcheck/optim/optimizer.hpp>

namespace fitcheck::optim {

namespace detail {
FITCHECK_IMPL void require_unit(float v, std::string_view who, std::string_view field,
                                std::string_view typical) {
  require(std::isfinite(v) && v >= 0.0f && v < 1.0f, who,
          std::string(field) + " is " + format_number(v) + ", outside [0, 1)",
          "set ." + std::string(field) + " in [0, 1), typically " + std::string(typical));
}
FITCHECK_IMPL void require_non_negative(float v, std::string_view who, std::string_view field) {
  require(std::isfinite(v) && v >= 0.0f, who,
          std::string(field) + " is " + format_number(v) + ", but it must be a finite number >= 0",
          "set ." + std::string(field) + " >= 0 (0 turns it off)");
}
FITCHECK_IMPL void require_epsilon(float v, std::string_view who) {
  // PyTorch accepts 0, but then a parameter whose gradient stays 0 divides 0 by 0.
  require(std::isfinite(v) && v > 0.0f, who,
          "epsilon is " + format_number(v) + ", but it must be > 0 (it keeps the division finite)",
          "set .epsilon > 0, e.g. the default 1e-8");
}
// Keras rejects setting more than one clipping option; so does fitcheck, at build time.
FITCHECK_IMPL void require_clipping(const std::optional<float>& clipvalue,
                                    const std::optional<float>& global_clipnorm,
                                    std::string_view who) {
  require(!(clipvalue && global_clipnorm), who,
          "both clipvalue and global_clipnorm are set, but only one clipping may be",
          "keep one: .global_clipnorm (rescale all gradients together) or .clipvalue (clamp "
          "each)");
  if (clipvalue)
    require(std::isfinite(*clipvalue) && *clipvalue > 0.0f, who,
            "clipvalue is " + format_number(*clipvalue) + ", but it must be > 0",
            "set .clipvalue to the largest gradient magnitude allowed, e.g. 1.0, or leave it "
            "unset");
  if (global_clipnorm)
    require(std::isfinite(*global_clipnorm) && *global_clipnorm > 0.0f, who,
            "global_clipnorm is " + format_number(*global_clipnorm) + ", but it must be > 0",
            "set .global_clipnorm to the largest gradient norm allowed, e.g. 1.0, or leave it "
            "unset");
}

FITCHECK_IMPL void require_accumulation(std::size_t steps, std::string_view who) {
  require(steps >= 1, who, "gradient_accumulation_steps is 0, but it must be at least 1",
          "set .gradient_accumulation_steps = k to update once every k steps (1: every step)");
}
template <class O>
void require_ema(const O& o, std::string_view who) {
  require(std::isfinite(o.ema_momentum) && o.ema_momentum >= 0.0f && o.ema_momentum <= 1.0f, who,
          "ema_momentum is " + format_number(o.ema_momentum) + ", outside [0, 1]",
          "set .ema_momentum in [0, 1], typically 0.99 (Keras' default) or 0.999");
  require(o.use_ema || o.ema_overwrite_frequency == 0, who,
          "ema_overwrite_frequency is " + std::to_string(o.ema_overwrite_frequency) +
              " but use_ema is false, so there is no average to write",
          "set .use_ema = true, or leave ema_overwrite_frequency at 0");
}

template <class O>
void validate_adam(const O& o, std::string_view who) {
  o.learning_rate.validate(who);
  require_unit(o.beta_1, who, "beta_1", "0.9");
  require_unit(o.beta_2, who, "beta_2", "0.999");
  require_epsilon(o.epsilon, who);
  require_clipping(o.clipvalue, o.global_clipnorm, who);
}
}  // namespace detail

FITCHECK_IMPL void SGD::validate() const {
  constexpr std::string_view who = "SGD";
  learning_rate.validate(who);
  detail::require_unit(momentum, who, "momentum", "0.9");
  detail::require(!nesterov || momentum > 0.0f, who,
                  "nesterov is true but momentum is 0, so there is no momentum to look ahead "
                  "with",
                  "set .momentum, e.g. 0.9, or drop .nesterov");
  detail::require_non_negative(weight_decay, who, "weight_decay");
  detail::require_clipping(clipvalue, global_clipnorm, who);
}

FITCHECK_IMPL void Adam::validate() const { detail::validate_adam(*this, "Adam"); }

FITCHECK_IMPL void AdamW::validate() const {
  detail::require_non_negative(weight_decay, "AdamW", "weight_decay");
  detail::validate_adam(*this, "AdamW");
}

FITCHECK_IMPL void RMSprop::validate() const {
  constexpr std::string_view who = "RMSprop";
  learning_rate.validate(who);
  detail::require_unit(rho, who, "rho", "0.9");
  detail::require_unit(momentum, who, "momentum", "0 or 0.9");
  detail::require_epsilon(epsilon, who);
  detail::require_non_negative(weight_decay, who, "weight_decay");
  detail::require_clipping(clipvalue, global_clipnorm, who);
}

FITCHECK_IMPL void Adagrad::validate() const {
  constexpr std::string_view who = "Adagrad";
  learning_rate.validate(who);
  detail::require_non_negative(initial_accumulator_value, who, "initial_accumulator_value");
  detail::require_epsilon(epsilon, who);
  detail::require_clipping(clipvalue, global_clipnorm, who);
}

FITCHECK_IMPL void Adamax::validate() const { detail::validate_adam(*this, "Adamax"); }

FITCHECK_IMPL void Adadelta::validate() const {
  constexpr std::string_view who = "Adadelta";
  learning_rate.validate(who);
  detail::require_unit(rho, who, "rho", "0.95");
  detail::require_epsilon(epsilon, who);
  detail::require_clipping(clipvalue, global_clipnorm, who);
}

FITCHECK_IMPL void Lion::validate() const {
  constexpr std::string_view who = "Lion";
  learning_rate.validate(who);
  detail::require_unit(beta_1, who, "beta_1", "0.9");
  detail::require_unit(beta_2, who, "beta_2", "0.99");
  detail::require_non_negative(weight_decay, who, "weight_decay");
  detail::require_clipping(clipvalue, global_clipnorm, who);
}

FITCHECK_IMPL void Nadam::validate() const {
  detail::require_non_negative(momentum_decay, "Nadam", "momentum_decay");
  detail::validate_adam(*this, "Nadam");
}

FITCHECK_IMPL void Optimizer::validate() const {
  std::visit(
      [this](const auto& c) {
        c.validate();
        detail::require_accumulation(c.gradient_accumulation_steps, name());
        detail::require_ema(c, name());
      },
      config_);
}

FITCHECK_IMPL std::array<bool, slot_count> Optimizer::slots() const noexcept {
  return std::visit(
      [](const auto& o) {
        const std::array<bool, 3> state = o.slots();
        return std::array<bool, slot_count>{state[0], state[1], state[2],
                                            o.gradient_accumulation_steps > 1, o.use_ema};
      },
      config_);
}

FITCHECK_IMPL bool Optimizer::keeps_average() const noexcept {
  return std::visit([](const auto& o) { return o.use_ema; }, config_);
}

FITCHECK_IMPL float Optimizer::learning_rate() const noexcept { return rate()(step_); }

FITCHECK_IMPL void Optimizer::set_learning_rate(float lr) {
  detail::require_rate(lr, "set_learning_rate", "lr");
  std::visit([lr](auto& o) { o.learning_rate = lr; }, config_);
}

FITCHECK_IMPL bool Optimizer::has_schedule() const noexcept { return !rate().is_constant(); }

FITCHECK_IMPL host_state::host_state(const Optimizer& opt, std::size_t n) {
  const std::array<bool, slot_count> used = opt.slots();
  for (std::size_t i = 0; i < slot_count; ++i)
    if (used[i]) slots_[i].assign(n, 0.0f);
}

}  // namespace fitcheck::optim
