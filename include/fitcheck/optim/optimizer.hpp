// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
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

#include <fitcheck/config.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/update.hpp>
#include <fitcheck/optim/clipping.hpp>
#include <fitcheck/optim/schedules.hpp>

// Optimizers: a plain aggregate of hyperparameters (`Adam{.learning_rate = 1e-3f}`), fields in
// Keras' argument order. The options every optimizer has (clipping, the weights' moving average,
// gradient accumulation) are written out in each type, after its own: a designated initializer
// cannot name a base class's fields, and Keras puts them last. A type holds configuration only:
// which of the three per-parameter state buffers ("slots") it uses, and how it calls its update kernel (kernels/update.hpp, where
// each formula is written once for every backend). The slots live with the parameters, in the
// training engine's memory (host_state on the host). A model holds one `Optimizer` (a variant:
// no virtual call), which checks the hyperparameters when it is built, evaluates the learning
// rate schedule, counts the steps, and runs one step on any backend: clipping, then the update.
//
// The update formulas are PyTorch's documented algorithms (torch.optim.SGD, Adam, AdamW,
// RMSprop, Adagrad, Adamax, Adadelta, NAdam; Lion as Keras 3 has it), because fitcheck is tested against
// PyTorch reference runs; the defaults are Keras' where the formula leaves them meaningful. Every
// difference from Keras is noted at its type.

namespace fitcheck::optim {


/// The per-parameter buffers an optimizer keeps in the engine's memory: its three state slots
/// (kernels/update.hpp names them per optimizer), the gradient accumulator and the weights'
/// moving average.
inline constexpr std::size_t slot_count = 5;
/// The slot of the gradients accumulated between updates (gradient_accumulation_steps > 1).
inline constexpr std::size_t accumulator_slot = 3;
/// The slot of the weights' exponential moving average (use_ema).
inline constexpr std::size_t ema_slot = 4;
/// The slots an optimizer reads: pointers into the engine's memory, null where unused.
using slot_pointers = std::array<float*, slot_count>;

namespace detail {
// The Adam step Adam and AdamW share: AdamW's decoupled decay is `decay`, 1 for Adam.
template <class O, class Backend>
void adam_apply(const O& o, Backend be, float* p, const float* g, std::size_t n,
                const slot_pointers& s, float lr, std::uint64_t t, double* squares,
                float decay) {
  const auto c = kernels::adam_coefficients::at(lr, o.beta_1, o.beta_2, o.epsilon, decay, t);
  if (o.amsgrad)
    kernels::amsgrad_update(be, p, g, s[0], s[1], s[2], n, c, squares);
  else
    kernels::adam_update(be, p, g, s[0], s[1], n, c, squares);
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
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 0.01f;
  /// Momentum of the velocity; 0 for none.
  float momentum = 0.0f;
  /// Nesterov momentum: the step looks ahead along the velocity.
  bool nesterov = false;
  /// L2 penalty added to the gradient (PyTorch's form): g += weight_decay p.
  float weight_decay = 0.0f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the velocity, with momentum.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {momentum != 0.0f, false, false};
  }
  /// One update at 1-based step t with rate lr; see kernels::sgd_update.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t t, double* squares) const {
    kernels::sgd_update(be, p, g, s[0], n, {lr, momentum, weight_decay, nesterov, t == 1},
                        squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Adam (Kingma and Ba), the paper's update as PyTorch computes it: bias-corrected moments,
/// epsilon added to the corrected sqrt(v). Keras differs (epsilon 1e-7 added to the uncorrected
/// sqrt(v)); this form matches the PyTorch reference run bit for bit in float64.
struct Adam {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decay of the first-moment (mean) estimate.
  float beta_1 = 0.9f;
  /// Decay of the second-moment (uncentred variance) estimate.
  float beta_2 = 0.999f;
  /// Added to the denominator so that it is never 0.
  float epsilon = 1e-8f;
  /// AMSGrad (Reddi et al.): divide by the largest second moment seen so far, so that the step
  /// never grows back when the gradients shrink (Keras' and PyTorch's `amsgrad`).
  bool amsgrad = false;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the moments m and v, and with amsgrad the largest v so far.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {true, true, amsgrad};
  }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t t, double* squares) const {
    detail::adam_apply(*this, be, p, g, n, s, lr, t, squares, 1.0f);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW:
/// p *= 1 - lr * weight_decay, then the Adam step above. Keras' AdamW decays the same way; its
/// Adam step differs as noted at Adam. weight_decay defaults to PyTorch's 0.01 (Keras: 0.004),
/// so `AdamW{}` is torch.optim.AdamW() exactly, like the Adam it is built on.
struct AdamW {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decoupled decay: p *= 1 - lr weight_decay before each step.
  float weight_decay = 0.01f;
  /// Decay of the first-moment (mean) estimate.
  float beta_1 = 0.9f;
  /// Decay of the second-moment (uncentred variance) estimate.
  float beta_2 = 0.999f;
  /// Added to the denominator so that it is never 0.
  float epsilon = 1e-8f;
  /// AMSGrad (Reddi et al.): divide by the largest second moment seen so far, so that the step
  /// never grows back when the gradients shrink (Keras' and PyTorch's `amsgrad`).
  bool amsgrad = false;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the moments m and v, and with amsgrad the largest v so far.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {true, true, amsgrad};
  }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t t, double* squares) const {
    // The decay uses this step's (scheduled) rate, as both PyTorch and Keras do.
    const auto decay = static_cast<float>(1.0 - double(lr) * double(weight_decay));
    detail::adam_apply(*this, be, p, g, n, s, lr, t, squares, decay);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
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
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decay of the running average of squared gradients.
  float rho = 0.9f;
  /// Momentum of the velocity; 0 for none.
  float momentum = 0.0f;
  /// Added to the denominator so that it is never 0.
  float epsilon = 1e-8f;
  /// Divide by the estimated variance (mean of g^2 minus the squared mean of g) instead of the mean
  /// of g^2.
  bool centered = false;
  /// L2 penalty added to the gradient (PyTorch's form): g += weight_decay p.
  float weight_decay = 0.0f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the square average, the momentum buffer (with momentum) and the
  /// gradient average (centered).
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {true, momentum > 0.0f, centered};
  }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t, double* squares) const {
    kernels::rmsprop_update(be, p, g, s[0], s[1], s[2], n,
                            {lr, rho, momentum, epsilon, weight_decay, centered}, squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Adagrad (Duchi et al.), as torch.optim.Adagrad: s += g^2; p -= lr g / (sqrt(s) + epsilon),
/// s starting at initial_accumulator_value. The defaults are Keras': learning rate 1e-3
/// (PyTorch: 1e-2), initial_accumulator_value 0.1 (PyTorch: 0) and epsilon 1e-7 (PyTorch:
/// 1e-10). Keras adds epsilon inside the square root, PyTorch after it, as here (the two differ
/// only while s is of epsilon's size). The slot holds s - initial_accumulator_value, so that it
/// starts at zero as every slot does.
struct Adagrad {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Where each parameter's sum of squared gradients starts.
  float initial_accumulator_value = 0.1f;
  /// Added to the denominator so that it is never 0.
  float epsilon = 1e-7f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the sum of the squared gradients.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {true, false, false};
  }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t, double* squares) const {
    kernels::adagrad_update(be, p, g, s[0], n, {lr, initial_accumulator_value, epsilon}, squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Adamax (Kingma and Ba: Adam with the infinity norm), as torch.optim.Adamax:
/// m = b1 m + (1 - b1) g; u = max(b2 u, |g| + epsilon); p -= lr / (1 - b1^t) m / u. Keras
/// takes u = max(b2 u, |g|) and divides by u + epsilon (1e-7); PyTorch's form and epsilon
/// (1e-8) are followed, with Keras' learning rate 1e-3 (PyTorch: 2e-3).
struct Adamax {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decay of the first-moment (mean) estimate.
  float beta_1 = 0.9f;
  /// Decay of the infinity norm's running maximum.
  float beta_2 = 0.999f;
  /// Added to |g| so that the norm is never 0.
  float epsilon = 1e-8f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the first moment m and the infinity norm u.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept { return {true, true, false}; }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t t, double* squares) const {
    const double bc1 = 1.0 - std::pow(double(beta_1), double(t));
    kernels::adamax_update(be, p, g, s[0], s[1], n,
                           {beta_1, beta_2, epsilon, static_cast<float>(double(lr) / bc1)},
                           squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Adadelta (Zeiler), as torch.optim.Adadelta and Keras: v = rho v + (1 - rho) g^2;
/// d = sqrt(a + epsilon) / sqrt(v + epsilon) g; a = rho a + (1 - rho) d^2; p -= lr d.
/// The defaults are Keras' (learning rate 1e-3, rho 0.95, epsilon 1e-7); the paper and PyTorch
/// use a learning rate of 1.0, with which the step is the method's own size.
struct Adadelta {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decay of both running averages.
  float rho = 0.95f;
  /// Added inside both square roots.
  float epsilon = 1e-7f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the average squared gradient and the average squared update.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept { return {true, true, false}; }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t, double* squares) const {
    kernels::adadelta_update(be, p, g, s[0], s[1], n, {lr, rho, epsilon}, squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms"), as Keras 3:
/// p -= lr sign(b1 m + (1 - b1) g); m = b2 m + (1 - b2) g, with a decoupled weight decay
/// p *= 1 - lr weight_decay first (as AdamW). Every parameter moves by exactly lr (or 0) per
/// step, so its rate is usually 3 to 10 times below Adam's. Keras' defaults.
struct Lion {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Weight of the momentum in the step's direction.
  float beta_1 = 0.9f;
  /// Decay of the momentum.
  float beta_2 = 0.99f;
  /// Decoupled decay: p *= 1 - lr weight_decay before each step; 0 for none.
  float weight_decay = 0.0f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;

  /// The slots it uses: the momentum.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept {
    return {true, false, false};
  }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t, double* squares) const {
    const auto decay = static_cast<float>(1.0 - double(lr) * double(weight_decay));
    kernels::lion_update(be, p, g, s[0], n, {lr, beta_1, beta_2, decay}, squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;
};

/// The running product of Nadam's momentum schedule, mu_1 ... mu_t: state derived from the step
/// count, kept so that a step multiplies in one factor instead of t.
struct nadam_schedule {
  std::uint64_t step = 0;  ///< the t of `product`
  double product = 1.0;    ///< mu_1 ... mu_t
};

/// Nadam (Dozat: Adam with Nesterov momentum), as torch.optim.NAdam and Keras' Nadam: the
/// momentum schedule mu_t = beta_1 (1 - 0.96^(t momentum_decay) / 2), m and v as Adam's, and
/// p -= lr ((1 - mu_t) / (1 - mu_1 ... mu_t) g + mu_{t+1} / (1 - mu_1 ... mu_{t+1}) m) /
/// (sqrt(v / (1 - beta_2^t)) + epsilon). momentum_decay 1 is Keras' schedule (mu reaches beta_1
/// within some hundred steps); PyTorch's default is 0.004 (some hundred thousand). The other
/// defaults are Keras' too: learning rate 1e-3 and epsilon 1e-7 (PyTorch: 2e-3 and 1e-8).
struct Nadam {
  /// A constant rate or a schedule (optim/schedules.hpp), evaluated per step.
  LearningRate learning_rate = 1e-3f;
  /// Decay of the first-moment (mean) estimate, and the momentum schedule's limit.
  float beta_1 = 0.9f;
  /// Decay of the second-moment (uncentred variance) estimate.
  float beta_2 = 0.999f;
  /// Added to the denominator so that it is never 0.
  float epsilon = 1e-7f;
  /// How fast the momentum schedule reaches beta_1: 1 Keras', 0.004 PyTorch's.
  float momentum_decay = 1.0f;
  /// Clamp every gradient to [-clipvalue, clipvalue] before the update (Keras' clipvalue).
  std::optional<float> clipvalue = std::nullopt;
  /// Rescale all gradients together so their global L2 norm is at most this (Keras'
  /// global_clipnorm).
  std::optional<float> global_clipnorm = std::nullopt;
  /// Keep an exponential moving average of the weights, which become the model's weights when
  /// fit ends (Keras' use_ema).
  bool use_ema = false;
  /// The average's momentum: average = momentum average + (1 - momentum) weights after each
  /// update (Keras' ema_momentum).
  float ema_momentum = 0.99f;
  /// Every this many updates the weights are replaced by their average; 0: only when fit ends
  /// (Keras' ema_overwrite_frequency, None there).
  std::size_t ema_overwrite_frequency = 0;
  /// Updates once every this many steps, with the mean of their gradients (Keras'
  /// gradient_accumulation_steps): the gradient of a batch this many times larger, in the memory
  /// of one. 1: every step.
  std::size_t gradient_accumulation_steps = 1;
  /// Derived from the step count (recomputed when it is not the last step's, as after a
  /// restore); not a hyperparameter.
  mutable nadam_schedule schedule{};

  /// The slots it uses: the moments m and v.
  [[nodiscard]] constexpr std::array<bool, 3> slots() const noexcept { return {true, true, false}; }
  /// One update of n parameters on backend `be` at 1-based step t with rate lr, through
  /// kernels/update.hpp; `squares` receives the sum of the squared gradients read.
  template <class Backend>
  void apply(Backend be, float* p, const float* g, std::size_t n, const slot_pointers& s,
             float lr, std::uint64_t t, double* squares) const {
    const double product = product_at(t), next = mu(t + 1);
    const double bc2 = 1.0 - std::pow(double(beta_2), double(t));
    kernels::nadam_update(be, p, g, s[0], s[1], n,
                          {beta_1, beta_2, epsilon,
                           static_cast<float>(double(lr) * (1.0 - mu(t)) / (1.0 - product)),
                           static_cast<float>(double(lr) * next / (1.0 - product * next)),
                           static_cast<float>(1.0 / std::sqrt(bc2))},
                          squares);
  }
  /// Checks the hyperparameters: argument_error naming the bad one and a valid value.
  void validate() const;

private:
  double mu(std::uint64_t t) const noexcept {
    return double(beta_1) * (1.0 - 0.5 * std::pow(0.96, double(t) * double(momentum_decay)));
  }
  // mu_1 ... mu_t, from the cached product of step t - 1 (or from scratch).
  double product_at(std::uint64_t t) const noexcept {
    if (schedule.step + 1 != t) schedule = {};
    while (schedule.step < t) schedule.product *= mu(++schedule.step);
    return schedule.product;
  }
};

class Optimizer;

/// An optimizer's slots in host memory: the host engine's, or a standalone optimizer's.
class host_state {
public:
  host_state() = default;
  /// Zeroed slots for `n` parameters, as `opt` uses them.
  host_state(const Optimizer& opt, std::size_t n);
  /// The slots, null where unused.
  [[nodiscard]] slot_pointers pointers() noexcept {
    return {data(0), data(1), data(2), data(3), data(4)};
  }
  /// Slot i, empty when unused.
  [[nodiscard]] std::span<const float> slot(std::size_t i) const noexcept { return slots_[i]; }
  /// Slot i, to write (a training backup restores it); empty when unused.
  [[nodiscard]] std::span<float> slot(std::size_t i) noexcept { return slots_[i]; }

private:
  float* data(std::size_t i) noexcept { return slots_[i].empty() ? nullptr : slots_[i].data(); }
  std::array<std::vector<float>, slot_count> slots_;
};

/// Any of the optimizers, with its learning-rate schedule, step count and gradient clipping.
class Optimizer {
public:
  /// The configuration of any of the optimizers.
  using config =
      std::variant<SGD, Adam, AdamW, RMSprop, Adagrad, Adamax, Adadelta, Lion, Nadam>;

  /// Checks the hyperparameters: argument_error ("<problem>. Fix: <fix>") for a bad one.
  template <class O>
    requires std::is_constructible_v<config, O>
  Optimizer(O o)  // NOLINT(google-explicit-constructor): Model(optim::Adam{...}) reads best
      : config_(std::move(o)) {
    validate();
  }

  /// Which slots the optimizer uses: its state (kernels/update.hpp names them per optimizer),
  /// and the gradient accumulator when it accumulates.
  [[nodiscard]] std::array<bool, slot_count> slots() const noexcept;

  /// One step on backend `be` over n parameters and gradients in its memory: evaluates this
  /// step's learning rate, counts the step, clips `g` in place if the optimizer asks for it
  /// (global_clipnorm or clipvalue), and updates `p` and the slots. `squares` (the backend's
  /// memory) receives the sum of the squared gradients before clipping; the caller reports
  /// their norm with report_gradient_norm once it has it. The one step every engine runs.
  ///
  /// With gradient_accumulation_steps = k, as Keras: the first k - 1 steps of a cycle only add
  /// `g` to the accumulator (`squares` gets their own gradients' norm, for the numeric guards);
  /// the k-th replaces `g` by the cycle's mean, (g + accumulated) / k, and updates with it:
  /// clipping, the schedule and the step count (Adam's bias correction) see updates, not steps.
  template <class Backend>
  void step(Backend be, float* p, float* g, std::size_t n, const slot_pointers& s,
            double* squares);


  /// Whether the optimizer keeps a moving average of the weights (use_ema), which fit gives the
  /// model when it ends.
  [[nodiscard]] bool keeps_average() const noexcept;

  /// One step on the host with the slots in `state`; measures the gradient norm.
  void update(host_state& state, std::span<float> params, std::span<float> grads) {
    double squares = 0.0;
    step(cpu, params.data(), grads.data(), params.size(), state.pointers(), &squares);
    report_gradient_norm(std::sqrt(squares));
  }

  /// The global norm of the gradients of the last step, before clipping (engines whose step
  /// finishes later, as the cuda backend's, report it when it has come back).
  void report_gradient_norm(double norm) noexcept { last_gradient_norm_ = norm; }

  /// The learning rate the next update will use: the schedule at the current step count.
  [[nodiscard]] float learning_rate() const noexcept;
  /// Replaces the learning rate, schedule included, by the constant `lr` from the next update
  /// on (for callbacks such as ReduceLROnPlateau). Keras refuses this when the rate is a
  /// schedule; fitcheck lets the callback take over. argument_error if lr is negative or not
  /// finite.
  void set_learning_rate(float lr);
  /// True while the learning rate is a schedule (set_learning_rate ends that).
  [[nodiscard]] bool has_schedule() const noexcept;
  /// Updates made so far (the step a schedule is evaluated at); with gradient accumulation,
  /// updates, not steps (Keras' `iterations`).
  [[nodiscard]] std::uint64_t iterations() const noexcept { return step_; }
  /// Steps whose gradients wait in the accumulator for the next update (0 without
  /// accumulation).
  [[nodiscard]] std::uint64_t accumulated_steps() const noexcept { return accumulated_; }
  /// The global L2 norm of the gradients of the last update, before clipping; 0 before any.
  [[nodiscard]] double last_gradient_norm() const noexcept { return last_gradient_norm_; }
  /// The configuration.
  [[nodiscard]] const config& settings() const noexcept { return config_; }
  /// The optimizer's name ("Adam"), for messages.
  [[nodiscard]] const char* name() const noexcept {
    constexpr std::array<const char*, std::variant_size_v<config>> names = {
        "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adamax", "Adadelta", "Lion", "Nadam"};
    return names[config_.index()];
  }
  /// Continues from a training backup: the updates made so far (where a schedule is evaluated
  /// and Adam's bias correction stands), the last gradient norm and the steps accumulated since
  /// the last update. The slots are the engine's.
  void restore(std::uint64_t iterations, double last_gradient_norm,
               std::uint64_t accumulated_steps = 0) noexcept {
    step_ = iterations;
    last_gradient_norm_ = last_gradient_norm;
    accumulated_ = accumulated_steps;
  }

private:
  // Each hyperparameter, and the options every optimizer shares: argument_error for a bad one.
  void validate() const;
  // What every optimizer type has besides its own hyperparameters.
  struct shared_options {
    std::optional<float> clipvalue, global_clipnorm;
    bool use_ema;
    float ema_momentum;
    std::size_t ema_overwrite_frequency, gradient_accumulation_steps;
  };
  // The rate or schedule, whichever optimizer holds it: the schedules' own visit is then one
  // call site, not one per optimizer type.
  [[nodiscard]] const LearningRate& rate() const noexcept {
    return std::visit([](const auto& o) -> const LearningRate& { return o.learning_rate; },
                      config_);
  }
  [[nodiscard]] shared_options shared() const noexcept {
    return std::visit(
        [](const auto& o) {
          return shared_options{
              o.clipvalue,    o.global_clipnorm,         o.use_ema,
              o.ema_momentum, o.ema_overwrite_frequency, o.gradient_accumulation_steps};
        },
        config_);
  }

  config config_;
  std::uint64_t step_ = 0;
  std::uint64_t accumulated_ = 0;
  double last_gradient_norm_ = 0.0;
};

// A template in every file that steps (never in the kernels library's separately compiled code,
// config.hpp): its kernels must run through the dispatch table, which the library's own units,
// each compiled for one level, do not use.
template <class Backend>
void Optimizer::step(Backend be, float* p, float* g, std::size_t n, const slot_pointers& s,
                     double* squares) {
  // The options every optimizer shares run outside the visit: their kernels are instantiated
  // once per backend, not once per optimizer type (a user's compile time).
  const shared_options o = shared();
  if (o.gradient_accumulation_steps > 1) {
    if (++accumulated_ < o.gradient_accumulation_steps) {
      kernels::sum_of_squares_into(be, std::span<const float>(g, n), squares);
      kernels::accumulate_gradient(be, s[accumulator_slot], g, n, accumulated_ == 1);
      return;
    }
    kernels::average_accumulated(be, g, s[accumulator_slot], n,
                                 float(o.gradient_accumulation_steps));
    accumulated_ = 0;
  }
  const float lr = learning_rate();
  ++step_;
  double* fused = squares;
  if (o.global_clipnorm || o.clipvalue) {
    // Clipping needs the norm before the update: a pass of its own.
    kernels::sum_of_squares_into(be, std::span<const float>(g, n), squares);
    if (o.global_clipnorm)
      kernels::clip_by_global_norm(be, g, n, *o.global_clipnorm, squares);
    else
      kernels::clamp(be, g, n, *o.clipvalue);
    fused = nullptr;
  }
  std::visit([&](const auto& c) { c.apply(be, p, g, n, s, lr, step_, fused); }, config_);
  if (o.use_ema) {
    // Keras: the first update sets the average to the weights.
    kernels::moving_average(be, s[ema_slot], p, n, step_ == 1 ? 0.0f : o.ema_momentum);
    if (o.ema_overwrite_frequency != 0 && step_ % o.ema_overwrite_frequency == 0)
      kernels::copy_values(be, s[ema_slot], p, n);
  }
}

}  // namespace fitcheck::optim

#if !FITCHECK_SEPARATE
#include <fitcheck/optim/optimizer_impl.hpp>
#endif
