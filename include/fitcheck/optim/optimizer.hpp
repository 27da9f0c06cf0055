// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/kernels/update.hpp>
#include <fitcheck/optim/clipping.hpp>
#include <fitcheck/optim/schedules.hpp>

// Optimizers: a plain aggregate of hyperparameters (`Adam{.learning_rate = 1e-3f}`), fields in
// Keras' argument order, and the state it needs, sized once for the model's parameter count.
// `update(state&, params, grads, lr)` runs one pass over all parameters, allocation-free, with
// the learning rate already evaluated for this step, and returns the float sum of the squared
// gradients it read (the global norm, without a pass of its own). A model holds one `Optimizer` (a variant:
// no virtual call), which checks the hyperparameters when it is built, evaluates the learning
// rate schedule, measures and clips the gradients, then calls `update`.
//
// The update formulas are PyTorch's documented algorithms (torch.optim.SGD, Adam, AdamW,
// RMSprop), because fitcheck is tested against a PyTorch reference run; the defaults are Keras'
// where the formula leaves them meaningful. Every difference from Keras is noted at its type.

namespace fitcheck::optim {

namespace detail {
inline void require_unit(float v, std::string_view who, std::string_view field,
                         std::string_view typical) {
  require(std::isfinite(v) && v >= 0.0f && v < 1.0f, who,
          std::string(field) + " is " + show(v) + ", outside [0, 1)",
          "set ." + std::string(field) + " in [0, 1), typically " + std::string(typical));
}
inline void require_non_negative(float v, std::string_view who, std::string_view field) {
  require(std::isfinite(v) && v >= 0.0f, who,
          std::string(field) + " is " + show(v) + ", but it must be a finite number >= 0",
          "set ." + std::string(field) + " >= 0 (0 turns it off)");
}
inline void require_epsilon(float v, std::string_view who) {
  // PyTorch accepts 0, but then a parameter whose gradient stays 0 divides 0 by 0.
  require(std::isfinite(v) && v > 0.0f, who,
          "epsilon is " + show(v) + ", but it must be > 0 (it keeps the division finite)",
          "set .epsilon > 0, e.g. the default 1e-8");
}
// Keras rejects setting more than one clipping option; so does fitcheck, at build time.
inline void require_clipping(const std::optional<float>& clipvalue,
                             const std::optional<float>& global_clipnorm, std::string_view who) {
  require(!(clipvalue && global_clipnorm), who,
          "both clipvalue and global_clipnorm are set, but only one clipping may be",
          "keep one: .global_clipnorm (rescale all gradients together) or .clipvalue (clamp "
          "each)");
  if (clipvalue)
    require(std::isfinite(*clipvalue) && *clipvalue > 0.0f, who,
            "clipvalue is " + show(*clipvalue) + ", but it must be > 0",
            "set .clipvalue to the largest gradient magnitude allowed, e.g. 1.0, or leave it "
            "unset");
  if (global_clipnorm)
    require(std::isfinite(*global_clipnorm) && *global_clipnorm > 0.0f, who,
            "global_clipnorm is " + show(*global_clipnorm) + ", but it must be > 0",
            "set .global_clipnorm to the largest gradient norm allowed, e.g. 1.0, or leave it "
            "unset");
}

// One Adam step (PyTorch's form) after an optional decoupled decay factor; shared by Adam and
// AdamW. decay == 1 multiplies by 1 exactly, so Adam's arithmetic is untouched by it. Returns
// the float sum of the squared gradients, taken in the same pass.
template <class State>
float adam_step(State& s, std::span<float> p, std::span<const float> g, float lr, float beta_1,
                float beta_2, float epsilon, float decay) noexcept {
  ++s.step;
  const double t = static_cast<double>(s.step);
  const double bc1 = 1.0 - std::pow(double(beta_1), t);
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(double(beta_2), t));
  const kernels::adam_coefficients c{beta_1,
                                     beta_2,
                                     epsilon,
                                     static_cast<float>(double(lr) / bc1),
                                     static_cast<float>(bc2_sqrt),
                                     decay};
  return kernels::adam_update(cpu, p.data(), g.data(), s.m.data(), s.v.data(), p.size(), c);
}
}  // namespace detail

/// Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay, as
/// torch.optim.SGD (dampening 0): g += weight_decay * p; b = g at step 1, else momentum * b + g;
/// p -= lr * (nesterov ? g + momentum * b : b).
///
/// Keras' SGD keeps -lr inside its velocity; with a constant rate both give the same steps,
/// with a schedule PyTorch's applies each step's rate to the whole step. Keras' weight_decay is
/// decoupled (p -= lr * wd * p); this one is PyTorch's L2 term, which passes through momentum.
struct SGD {
  LearningRate learning_rate = 0.01f;
  float momentum = 0.0f;
  bool nesterov = false;
  float weight_decay = 0.0f;
  std::optional<float> clipvalue = std::nullopt;
  std::optional<float> global_clipnorm = std::nullopt;

  struct state {
    std::vector<float> velocity;  ///< empty without momentum
    std::uint64_t step = 0;
  };
  [[nodiscard]] state make_state(std::size_t n) const {
    return {momentum != 0.0f ? std::vector<float>(n, 0.0f) : std::vector<float>{}, 0};
  }
  float update(state& s, std::span<float> p, std::span<const float> g, float lr) const noexcept {
    ++s.step;
    float squares = 0.0f;
    for (std::size_t i = 0; i < p.size(); ++i) {
      squares += g[i] * g[i];
      float gi = g[i] + weight_decay * p[i];
      if (momentum != 0.0f) {
        float& v = s.velocity[i];
        v = s.step == 1 ? gi : momentum * v + gi;
        gi = nesterov ? gi + momentum * v : v;
      }
      p[i] -= lr * gi;
    }
    return squares;
  }
  void validate() const {
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
};

/// Adam (Kingma and Ba), the paper's update as PyTorch computes it: bias-corrected moments,
/// epsilon added to the corrected sqrt(v). Keras differs (epsilon 1e-7 added to the uncorrected
/// sqrt(v)); this form matches the PyTorch reference run bit for bit in float64.
struct Adam {
  LearningRate learning_rate = 1e-3f;
  float beta_1 = 0.9f;
  float beta_2 = 0.999f;
  float epsilon = 1e-8f;
  std::optional<float> clipvalue = std::nullopt;
  std::optional<float> global_clipnorm = std::nullopt;

  struct state {
    std::vector<float> m, v;
    std::uint64_t step = 0;
  };
  [[nodiscard]] state make_state(std::size_t n) const {
    return {std::vector<float>(n, 0.0f), std::vector<float>(n, 0.0f), 0};
  }
  float update(state& s, std::span<float> p, std::span<const float> g, float lr) const noexcept {
    return detail::adam_step(s, p, g, lr, beta_1, beta_2, epsilon, 1.0f);
  }
  void validate() const {
    constexpr std::string_view who = "Adam";
    learning_rate.validate(who);
    detail::require_unit(beta_1, who, "beta_1", "0.9");
    detail::require_unit(beta_2, who, "beta_2", "0.999");
    detail::require_epsilon(epsilon, who);
    detail::require_clipping(clipvalue, global_clipnorm, who);
  }
};

/// Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW:
/// p *= 1 - lr * weight_decay, then the Adam step above. Keras' AdamW decays the same way; its
/// Adam step differs as noted at Adam. weight_decay defaults to PyTorch's 0.01 (Keras: 0.004),
/// so `AdamW{}` is torch.optim.AdamW() exactly, like the Adam it is built on.
struct AdamW {
  LearningRate learning_rate = 1e-3f;
  float weight_decay = 0.01f;
  float beta_1 = 0.9f;
  float beta_2 = 0.999f;
  float epsilon = 1e-8f;
  std::optional<float> clipvalue = std::nullopt;
  std::optional<float> global_clipnorm = std::nullopt;

  using state = Adam::state;
  [[nodiscard]] state make_state(std::size_t n) const {
    return {std::vector<float>(n, 0.0f), std::vector<float>(n, 0.0f), 0};
  }
  float update(state& s, std::span<float> p, std::span<const float> g, float lr) const noexcept {
    // The decay uses this step's (scheduled) rate, as both PyTorch and Keras do.
    const auto decay = static_cast<float>(1.0 - double(lr) * double(weight_decay));
    return detail::adam_step(s, p, g, lr, beta_1, beta_2, epsilon, decay);
  }
  void validate() const {
    constexpr std::string_view who = "AdamW";
    learning_rate.validate(who);
    detail::require_non_negative(weight_decay, who, "weight_decay");
    detail::require_unit(beta_1, who, "beta_1", "0.9");
    detail::require_unit(beta_2, who, "beta_2", "0.999");
    detail::require_epsilon(epsilon, who);
    detail::require_clipping(clipvalue, global_clipnorm, who);
  }
};

/// RMSprop (Hinton), as torch.optim.RMSprop: g += weight_decay * p; v = rho v + (1 - rho) g^2;
/// centered: a = rho a + (1 - rho) g, v~ = v - a^2; d = sqrt(v~) + epsilon; with momentum
/// b = momentum b + g / d, p -= lr b; without, p -= lr g / d.
///
/// Defaults are Keras' rho 0.9 (PyTorch's alpha: 0.99) and learning rate 1e-3 (PyTorch: 1e-2),
/// with PyTorch's epsilon 1e-8. Keras adds epsilon (1e-7) inside the square root and keeps lr
/// inside its momentum buffer; PyTorch's form is followed so that epsilon means here what it
/// means for Adam, and a scheduled rate applies to the whole step.
struct RMSprop {
  LearningRate learning_rate = 1e-3f;
  float rho = 0.9f;
  float momentum = 0.0f;
  float epsilon = 1e-8f;
  bool centered = false;
  float weight_decay = 0.0f;
  std::optional<float> clipvalue = std::nullopt;
  std::optional<float> global_clipnorm = std::nullopt;

  struct state {
    std::vector<float> square_avg;
    std::vector<float> momentum_buffer;  ///< empty without momentum
    std::vector<float> grad_avg;         ///< empty unless centered
    std::uint64_t step = 0;
  };
  [[nodiscard]] state make_state(std::size_t n) const {
    return {std::vector<float>(n, 0.0f),
            momentum > 0.0f ? std::vector<float>(n, 0.0f) : std::vector<float>{},
            centered ? std::vector<float>(n, 0.0f) : std::vector<float>{}, 0};
  }
  float update(state& s, std::span<float> p, std::span<const float> g, float lr) const noexcept {
    ++s.step;
    float squares = 0.0f;
    for (std::size_t i = 0; i < p.size(); ++i) {
      squares += g[i] * g[i];
      const float gi = weight_decay != 0.0f ? g[i] + weight_decay * p[i] : g[i];
      float& v = s.square_avg[i];
      v = rho * v + (1.0f - rho) * gi * gi;
      float var = v;
      if (centered) {
        float& a = s.grad_avg[i];
        a = rho * a + (1.0f - rho) * gi;
        // v >= a^2 in exact arithmetic; rounding may dip below, and sqrt of that is NaN.
        var = std::max(v - a * a, 0.0f);
      }
      const float scaled = gi / (std::sqrt(var) + epsilon);
      if (momentum > 0.0f) {
        float& b = s.momentum_buffer[i];
        b = momentum * b + scaled;
        p[i] -= lr * b;
      } else {
        p[i] -= lr * scaled;
      }
    }
    return squares;
  }
  void validate() const {
    constexpr std::string_view who = "RMSprop";
    learning_rate.validate(who);
    detail::require_unit(rho, who, "rho", "0.9");
    detail::require_unit(momentum, who, "momentum", "0 or 0.9");
    detail::require_epsilon(epsilon, who);
    detail::require_non_negative(weight_decay, who, "weight_decay");
    detail::require_clipping(clipvalue, global_clipnorm, who);
  }
};

/// Any of the optimizers, with its state, learning-rate schedule and gradient clipping.
class Optimizer {
public:
  using config = std::variant<SGD, Adam, AdamW, RMSprop>;

  /// Checks the hyperparameters: argument_error ("<problem>. Fix: <fix>") for a bad one.
  template <class O>
    requires std::is_constructible_v<config, O>
  Optimizer(O o)  // NOLINT(google-explicit-constructor): Model(optim::Adam{...}) reads best
      : config_(std::move(o)) {
    std::visit(
        [&](const auto& c) {
          c.validate();
          state_ = c.make_state(0);
        },
        config_);
  }

  /// Sizes the state for `n` parameters; called once by the model.
  void build(std::size_t n) {
    std::visit([&](const auto& o) { state_ = o.make_state(n); }, config_);
  }

  /// One step: measures the gradients' global norm, clips `grads` in place if the optimizer
  /// asks for it (global_clipnorm or clipvalue), evaluates the learning rate for this step, and
  /// updates `params`. Allocates nothing.
  void update(std::span<float> params, std::span<float> grads) noexcept {
    std::visit(
        [&](const auto& o) {
          using S = typename std::remove_cvref_t<decltype(o)>::state;
          S& s = std::get<S>(state_);
          if (o.global_clipnorm || o.clipvalue) {
            // Clipping needs the norm before the update: a pass of its own.
            last_gradient_norm_ = global_norm(grads);
            if (o.global_clipnorm)
              clip_by_global_norm(grads, double(*o.global_clipnorm), last_gradient_norm_);
            else
              clip_by_value(grads, *o.clipvalue);
            o.update(s, params, grads, o.learning_rate(s.step));
            return;
          }
          // The update pass sums the squares as it goes; only a sum that is not a plain
          // positive float (a NaN or Inf gradient, overflow, all zero) is redone exactly.
          const float squares = o.update(s, params, grads, o.learning_rate(s.step));
          last_gradient_norm_ = std::isfinite(squares) && squares > 0.0f
                                    ? std::sqrt(double(squares))
                                    : global_norm(grads);
        },
        config_);
  }

  /// One step for a backend that keeps parameters, gradients and optimizer state elsewhere (the
  /// cuda backend's device memory): evaluates this step's learning rate, counts the step, and
  /// calls `step(config, t, lr)`, which clips and updates; `config` is the SGD/Adam/AdamW/RMSprop
  /// settings, `t` the 1-based step. The backend reports the gradients' global norm before
  /// clipping with report_gradient_norm once it has it: the cuda backend queues the step without
  /// waiting and reads the norm back afterwards.
  template <class Step>
  void update_external(Step&& step) {
    std::visit(
        [&](const auto& o) {
          using S = typename std::remove_cvref_t<decltype(o)>::state;
          S& s = std::get<S>(state_);
          const float lr = o.learning_rate(s.step);
          ++s.step;
          step(o, s.step, lr);
        },
        config_);
  }
  /// The global norm of the gradients of the last update_external step, before clipping.
  void report_gradient_norm(double norm) noexcept { last_gradient_norm_ = norm; }

  /// The learning rate the next update will use: the schedule at the current step count.
  [[nodiscard]] float learning_rate() const noexcept {
    const std::uint64_t step = iterations();
    return std::visit([step](const auto& o) { return o.learning_rate(step); }, config_);
  }
  /// Replaces the learning rate, schedule included, by the constant `lr` from the next update
  /// on (for callbacks such as ReduceLROnPlateau). Keras refuses this when the rate is a
  /// schedule; fitcheck lets the callback take over. argument_error if lr is negative or not
  /// finite.
  void set_learning_rate(float lr) {
    detail::require_rate(lr, "set_learning_rate", "lr");
    std::visit([lr](auto& o) { o.learning_rate = lr; }, config_);
  }
  /// True while the learning rate is a schedule (set_learning_rate ends that).
  [[nodiscard]] bool has_schedule() const noexcept {
    return std::visit([](const auto& o) { return !o.learning_rate.is_constant(); }, config_);
  }
  /// Updates made so far (the step a schedule is evaluated at).
  [[nodiscard]] std::uint64_t iterations() const noexcept {
    return std::visit([](const auto& s) { return s.step; }, state_);
  }
  /// The global L2 norm of the gradients of the last update, before clipping; 0 before any.
  [[nodiscard]] double last_gradient_norm() const noexcept { return last_gradient_norm_; }
  [[nodiscard]] const config& settings() const noexcept { return config_; }

private:
  config config_;
  // AdamW shares Adam's state type, so the state variant names each type once.
  std::variant<SGD::state, Adam::state, RMSprop::state> state_;
  double last_gradient_norm_ = 0.0;
};

}  // namespace fitcheck::optim
