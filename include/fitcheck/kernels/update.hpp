// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cfloat>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>
#include <fitcheck/kernels/reduce.hpp>

// Optimizer updates and gradient clipping. Each step's per-element formula is written once
// below (host and device); the host loops here and the cuda backend's (kernels/gpu/optim.hpp)
// apply it. The formulas are PyTorch's documented algorithms (torch.optim.SGD, Adam, AdamW,
// RMSprop, Adagrad, Adamax, Adadelta, NAdam) and Keras 3's Lion; optim/optimizer.hpp documents each
// against Keras.
//
// Every update has the same parameters on every backend and reports, through `squares` (in the
// backend's memory, may be null), the sum of the squares of the gradients it read: the global
// norm the numeric guards and clipping use. The host loops take it in the same pass.

namespace fitcheck::kernels {

/// torch.optim.SGD (dampening 0): g += weight_decay p; b = g at the first step, else
/// momentum b + g; p -= lr (nesterov ? g + momentum b : b).
struct sgd_coefficients {
  float lr, momentum, weight_decay;
  bool nesterov, first;
};

/// One Adam step's constants (PyTorch's form): p *= decay; m = b1 m + (1 - b1) g;
/// v = b2 v + (1 - b2) g^2; p -= step_size m / (sqrt(v) inv_bc2 + epsilon).
struct adam_coefficients {
  float beta_1, beta_2, epsilon;
  float step_size;  ///< lr / (1 - beta_1^t)
  float inv_bc2;    ///< 1 / sqrt(1 - beta_2^t)
  float decay;      ///< 1 - lr weight_decay (AdamW), 1 for Adam

  /// The constants of step t (1-based); the bias corrections are taken in double.
  static adam_coefficients at(float lr, float beta_1, float beta_2, float epsilon, float decay,
                              std::uint64_t t) noexcept {
    const double bc1 = 1.0 - std::pow(double(beta_1), double(t));
    const double bc2_sqrt = std::sqrt(1.0 - std::pow(double(beta_2), double(t)));
    return {beta_1, beta_2, epsilon, static_cast<float>(double(lr) / bc1),
            static_cast<float>(1.0 / bc2_sqrt), decay};
  }
};

/// torch.optim.RMSprop: g += weight_decay p; v = rho v + (1 - rho) g^2; centered:
/// a = rho a + (1 - rho) g, v~ = v - a^2; d = sqrt(v~) + epsilon; with momentum
/// b = momentum b + g / d, p -= lr b; without, p -= lr g / d.
struct rmsprop_coefficients {
  float lr, rho, momentum, epsilon, weight_decay;
  bool centered;
};

/// One parameter's SGD step; `velocity` is null without momentum.
FITCHECK_HOST_DEVICE inline void sgd_step(float& p, float g, float* velocity,
                                          const sgd_coefficients& c) noexcept {
  float gi = g + c.weight_decay * p;
  if (c.momentum != 0.0f) {
    float& b = *velocity;
    b = c.first ? gi : c.momentum * b + gi;
    gi = c.nesterov ? gi + c.momentum * b : b;
  }
  p -= c.lr * gi;
}

/// One Adam step of a parameter, or of a batch of them (V an xsimd batch).
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE void adam_step(V& p, V& m, V& v, V g,
                                                          const adam_coefficients& c) noexcept {
  p = p * V(c.decay);
  m = V(c.beta_1) * m + V(1.0f - c.beta_1) * g;
  v = V(c.beta_2) * v + V(1.0f - c.beta_2) * g * g;
  p = p - V(c.step_size) * m / (math::sqrt(v) * V(c.inv_bc2) + V(c.epsilon));
}

/// One parameter's AMSGrad step: Adam's, divided by the largest second moment so far
/// (torch.optim.Adam with amsgrad: max(v_max, v), then sqrt(v_max) / sqrt(1 - beta_2^t) + eps).
FITCHECK_HOST_DEVICE inline void amsgrad_step(float& p, float& m, float& v, float& v_max, float g,
                                              const adam_coefficients& c) noexcept {
  p = p * c.decay;
  m = c.beta_1 * m + (1.0f - c.beta_1) * g;
  v = c.beta_2 * v + (1.0f - c.beta_2) * g * g;
  v_max = math::max(v_max, v);
  p = p - c.step_size * m / (math::sqrt(v_max) * c.inv_bc2 + c.epsilon);
}

/// One parameter's RMSprop step; `momentum_buffer` and `grad_avg` are null when unused.
FITCHECK_HOST_DEVICE inline void rmsprop_step(float& p, float g, float& square_avg,
                                              float* momentum_buffer, float* grad_avg,
                                              const rmsprop_coefficients& c) noexcept {
  const float gi = c.weight_decay != 0.0f ? g + c.weight_decay * p : g;
  square_avg = c.rho * square_avg + (1.0f - c.rho) * gi * gi;
  float var = square_avg;
  if (c.centered) {
    float& a = *grad_avg;
    a = c.rho * a + (1.0f - c.rho) * gi;
    // v >= a^2 in exact arithmetic; rounding may dip below, and sqrt of that is NaN.
    var = math::max(square_avg - a * a, 0.0f);
  }
  const float scaled = gi / (std::sqrt(var) + c.epsilon);
  if (c.momentum > 0.0f) {
    float& b = *momentum_buffer;
    b = c.momentum * b + scaled;
    p -= c.lr * b;
  } else {
    p -= c.lr * scaled;
  }
}

/// torch.optim.Adagrad with an initial accumulator: the slot s holds the sum of g^2 so far (it
/// starts at 0, so every slot starts zeroed); p -= lr g / (sqrt(s + initial) + epsilon).
struct adagrad_coefficients {
  float lr, initial_accumulator, epsilon;
};

/// torch.optim.Adamax: m = b1 m + (1 - b1) g; u = max(b2 u, |g| + epsilon);
/// p -= step_size m / u, step_size = lr / (1 - b1^t).
struct adamax_coefficients {
  float beta_1, beta_2, epsilon, step_size;
};

/// torch.optim.Adadelta (Zeiler): v = rho v + (1 - rho) g^2;
/// d = sqrt(a + epsilon) / sqrt(v + epsilon) g; a = rho a + (1 - rho) d^2; p -= lr d.
struct adadelta_coefficients {
  float lr, rho, epsilon;
};

/// Lion (Chen et al., Keras 3's): p *= decay; p -= lr sign(b1 m + (1 - b1) g);
/// m = b2 m + (1 - b2) g. decay = 1 - lr weight_decay.
struct lion_coefficients {
  float lr, beta_1, beta_2, decay;
};

/// One Nadam step's constants (torch.optim.NAdam, Keras' Nadam): m = b1 m + (1 - b1) g;
/// v = b2 v + (1 - b2) g^2; p -= (g_rate g + m_rate m) / (sqrt(v) inv_bc2 + epsilon), the two
/// rates from the momentum schedule mu_t (optim/optimizer.hpp).
struct nadam_coefficients {
  float beta_1, beta_2, epsilon;
  float g_rate;   ///< lr (1 - mu_t) / (1 - mu_1 ... mu_t)
  float m_rate;   ///< lr mu_{t+1} / (1 - mu_1 ... mu_{t+1})
  float inv_bc2;  ///< 1 / sqrt(1 - beta_2^t)
};

/// One parameter's Nadam step.
FITCHECK_HOST_DEVICE inline void nadam_step(float& p, float g, float& m, float& v,
                                            const nadam_coefficients& c) noexcept {
  m = c.beta_1 * m + (1.0f - c.beta_1) * g;
  v = c.beta_2 * v + (1.0f - c.beta_2) * g * g;
  p -= (c.g_rate * g + c.m_rate * m) / (std::sqrt(v) * c.inv_bc2 + c.epsilon);
}

/// One parameter's Adagrad step.
FITCHECK_HOST_DEVICE inline void adagrad_step(float& p, float g, float& sum,
                                              const adagrad_coefficients& c) noexcept {
  sum += g * g;
  p -= c.lr * g / (std::sqrt(sum + c.initial_accumulator) + c.epsilon);
}

/// One parameter's Adamax step. A NaN gradient stays NaN in u (std::max would drop it).
FITCHECK_HOST_DEVICE inline void adamax_step(float& p, float g, float& m, float& u,
                                             const adamax_coefficients& c) noexcept {
  m = c.beta_1 * m + (1.0f - c.beta_1) * g;
  const float a = std::abs(g) + c.epsilon, b = c.beta_2 * u;
  u = a != a ? a : (b > a ? b : a);
  p -= c.step_size * m / u;
}

/// One parameter's Adadelta step.
FITCHECK_HOST_DEVICE inline void adadelta_step(float& p, float g, float& square_avg,
                                               float& acc_delta,
                                               const adadelta_coefficients& c) noexcept {
  square_avg = c.rho * square_avg + (1.0f - c.rho) * g * g;
  const float d = std::sqrt(acc_delta + c.epsilon) / std::sqrt(square_avg + c.epsilon) * g;
  acc_delta = c.rho * acc_delta + (1.0f - c.rho) * d * d;
  p -= c.lr * d;
}

/// One parameter's Lion step: the update is the sign of the interpolated momentum (0 at 0).
FITCHECK_HOST_DEVICE inline void lion_step(float& p, float g, float& m,
                                           const lion_coefficients& c) noexcept {
  const float u = c.beta_1 * m + (1.0f - c.beta_1) * g;
  const float sign = u != u ? u : float((u > 0.0f) - (u < 0.0f));
  p = p * c.decay - c.lr * sign;
  m = c.beta_2 * m + (1.0f - c.beta_2) * g;
}

/// The factor clipping by global norm applies: limit / norm when the norm exceeds the limit,
/// else 1. A NaN or infinite norm gives 1: the non-finite gradient is kept for the numeric
/// guards to report rather than hidden by scaling.
FITCHECK_HOST_DEVICE inline double clip_factor(double norm, double limit) noexcept {
  return norm > limit && norm <= DBL_MAX ? limit / norm : 1.0;
}

/// x clamped to [-limit, limit]; NaN stays NaN.
FITCHECK_HOST_DEVICE inline float clamp_value(float x, float limit) noexcept {
  return x < -limit ? -limit : (x > limit ? limit : x);
}


/// The sum of the squares of x, accumulated in double in order (four chains): a float square
/// cannot overflow there.
inline double sum_of_squares(reference_t, std::span<const float> x) noexcept {
  const float* p = x.data();
  const std::size_t n = x.size();
  const std::size_t n4 = n - n % 4;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (std::size_t i = 0; i < n4; i += 4) {
    s0 += double(p[i]) * double(p[i]);
    s1 += double(p[i + 1]) * double(p[i + 1]);
    s2 += double(p[i + 2]) * double(p[i + 2]);
    s3 += double(p[i + 3]) * double(p[i + 3]);
  }
  for (std::size_t i = n4; i < n; ++i) s0 += double(p[i]) * double(p[i]);
  return (s0 + s1) + (s2 + s3);
}

namespace detail {
// A float sum of squares taken in a vectorised pass, as a double; only when it is not a plain
// positive number (a NaN or Inf value, float overflow, all squares underflowing) is it redone
// exactly in double.
inline double settle_squares(float fast, std::span<const float> x) noexcept {
  return std::isfinite(fast) && fast > 0.0f ? double(fast) : sum_of_squares(reference, x);
}
}  // namespace detail

/// The sum of the squares of x: a vectorised float pass, redone in double only when that is
/// not a plain positive number.
inline double sum_of_squares(cpu_t, std::span<const float> x) noexcept {
  return detail::settle_squares(dot(fitcheck::cpu, x, x), x);
}

/// As sum_of_squares, into `out` (the backend's memory).
template <class Backend>
  requires std::is_base_of_v<reference_t, Backend>
void sum_of_squares_into(Backend be, std::span<const float> x, double* out) noexcept {
  *out = sum_of_squares(be, x);
}

/// g *= factor, in double.
inline void scale(reference_t, float* g, std::size_t n, double factor) noexcept {
  for (std::size_t i = 0; i < n; ++i) g[i] = static_cast<float>(double(g[i]) * factor);
}

/// Rescales g so that its global norm, sqrt(*squares), is at most `clipnorm` (Keras'
/// clip_by_global_norm); `squares` from sum_of_squares_into.
inline void clip_by_global_norm(reference_t be, float* g, std::size_t n, float clipnorm,
                                const double* squares) noexcept {
  const double factor = clip_factor(std::sqrt(*squares), double(clipnorm));
  if (factor != 1.0) scale(be, g, n, factor);
}

/// g = clamp(g, -limit, limit); NaN stays NaN.
inline void clamp(reference_t, float* g, std::size_t n, float limit) noexcept {
  for (std::size_t i = 0; i < n; ++i) g[i] = clamp_value(g[i], limit);
}

/// Gradient accumulation's steps between updates: acc = g on a cycle's first step, acc += g
/// after it.
inline void accumulate_gradient(reference_t, float* acc, const float* g, std::size_t n,
                                bool first) noexcept {
  if (first)
    std::copy(g, g + n, acc);
  else
    for (std::size_t i = 0; i < n; ++i) acc[i] += g[i];
}

/// A cycle's last step: g = (g + acc) / steps, the mean of its gradients (Keras' operations, in
/// its order).
inline void average_accumulated(reference_t, float* g, const float* acc, std::size_t n,
                                float steps) noexcept {
  for (std::size_t i = 0; i < n; ++i) g[i] = (g[i] + acc[i]) / steps;
}

/// The weights' exponential moving average: avg = momentum avg + (1 - momentum) p (Keras'
/// use_ema; momentum 0 at the first update).
inline void moving_average(reference_t, float* avg, const float* p, std::size_t n,
                           float momentum) noexcept {
  for (std::size_t i = 0; i < n; ++i) avg[i] = momentum * avg[i] + (1.0f - momentum) * p[i];
}

/// to = from, n values (the weights replaced by their average).
inline void copy_values(reference_t, const float* from, float* to, std::size_t n) noexcept {
  std::copy(from, from + n, to);
}

/// SGD over n parameters.
inline void sgd_update(reference_t, float* p, const float* g, float* velocity, std::size_t n,
                       const sgd_coefficients& coefficients, double* squares = nullptr) noexcept {
  const sgd_coefficients c = coefficients;  // as in adam_range: no reload per element
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    sgd_step(p[i], g[i], velocity ? velocity + i : nullptr, c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// RMSprop over n parameters.
inline void rmsprop_update(reference_t, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n,
                           const rmsprop_coefficients& coefficients,
                           double* squares = nullptr) noexcept {
  const rmsprop_coefficients c = coefficients;  // as in adam_range: no reload per element
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    rmsprop_step(p[i], g[i], square_avg[i], momentum_buffer ? momentum_buffer + i : nullptr,
                 grad_avg ? grad_avg + i : nullptr, c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Adagrad over n parameters.
inline void adagrad_update(reference_t, float* p, const float* g, float* sum_sq, std::size_t n,
                           const adagrad_coefficients& coefficients,
                           double* squares = nullptr) noexcept {
  const adagrad_coefficients c = coefficients;  // as in adam_range: no reload per element
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    adagrad_step(p[i], g[i], sum_sq[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Adamax over n parameters.
inline void adamax_update(reference_t, float* p, const float* g, float* m, float* u,
                          std::size_t n, const adamax_coefficients& coefficients,
                          double* squares = nullptr) noexcept {
  const adamax_coefficients c = coefficients;
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    adamax_step(p[i], g[i], m[i], u[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Adadelta over n parameters.
inline void adadelta_update(reference_t, float* p, const float* g, float* square_avg,
                            float* acc_delta, std::size_t n,
                            const adadelta_coefficients& coefficients,
                            double* squares = nullptr) noexcept {
  const adadelta_coefficients c = coefficients;
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    adadelta_step(p[i], g[i], square_avg[i], acc_delta[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Nadam over n parameters.
inline void nadam_update(reference_t, float* p, const float* g, float* m, float* v, std::size_t n,
                         const nadam_coefficients& coefficients,
                         double* squares = nullptr) noexcept {
  const nadam_coefficients c = coefficients;
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    nadam_step(p[i], g[i], m[i], v[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Lion over n parameters.
inline void lion_update(reference_t, float* p, const float* g, float* m, std::size_t n,
                        const lion_coefficients& coefficients, double* squares = nullptr) noexcept {
  const lion_coefficients c = coefficients;
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    lion_step(p[i], g[i], m[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

namespace detail {
// Adam over [0, n), vectorised where xsimd has an instruction set; returns the float sum of g^2.
template <class Arch>
float adam_range(float* p, const float* g, float* m, float* v, std::size_t n,
                 const adam_coefficients& coefficients) noexcept {
  // A local copy: the stores to p, m and v could alias `coefficients` as far as the compiler
  // knows, which would reload and re-broadcast every constant on every iteration.
  const adam_coefficients c = coefficients;
  float tail = 0.0f;
  std::size_t vec_end = 0;
  if constexpr (cpu::simd::available<Arch>) {
    using B = cpu::simd::batch<float, Arch>;
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    B sum(0.0f);
    vec_end = n - n % w;
    for (std::size_t i = 0; i < vec_end; i += w) {
      B pi = math::load<B>(p + i), mi = math::load<B>(m + i), vi = math::load<B>(v + i);
      const B gi = math::load<B>(g + i);
      sum = cpu::simd::fma(gi, gi, sum);
      adam_step(pi, mi, vi, gi, c);
      math::store(p + i, pi);
      math::store(m + i, mi);
      math::store(v + i, vi);
    }
    tail = cpu::simd::reduce_add(sum);
  }
  for (std::size_t i = vec_end; i < n; ++i) {
    tail += g[i] * g[i];
    adam_step(p[i], m[i], v[i], g[i], c);
  }
  return tail;
}
}  // namespace detail

/// AMSGrad (Adam's and AdamW's `amsgrad`) over n parameters: a loop the compiler vectorises.
inline void amsgrad_update(reference_t, float* p, const float* g, float* m, float* v, float* v_max,
                           std::size_t n, const adam_coefficients& coefficients,
                           double* squares = nullptr) noexcept {
  const adam_coefficients c = coefficients;  // as in adam_range: no reload per element
  float sum = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    sum += g[i] * g[i];
    amsgrad_step(p[i], m[i], v[i], v_max[i], g[i], c);
  }
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

/// Adam (and AdamW, through `decay`) over n parameters, one element at a time.
inline void adam_update(reference_t, float* p, const float* g, float* m, float* v, std::size_t n,
                        const adam_coefficients& c, double* squares = nullptr) noexcept {
  const float sum = detail::adam_range<cpu::simd::unavailable_arch>(p, g, m, v, n, c);
  if (squares) *squares = detail::settle_squares(sum, {g, n});
}

namespace dispatch {
void adam_update(float* p, const float* g, float* m, float* v, std::size_t n,
                 const adam_coefficients& c, double* squares) noexcept;
void sgd_update(float* p, const float* g, float* velocity, std::size_t n,
                const sgd_coefficients& c, double* squares) noexcept;
void rmsprop_update(float* p, const float* g, float* square_avg, float* momentum_buffer,
                    float* grad_avg, std::size_t n, const rmsprop_coefficients& c,
                    double* squares) noexcept;
void adagrad_update(float* p, const float* g, float* sum_sq, std::size_t n,
                    const adagrad_coefficients& c, double* squares) noexcept;
void adamax_update(float* p, const float* g, float* m, float* u, std::size_t n,
                   const adamax_coefficients& c, double* squares) noexcept;
void adadelta_update(float* p, const float* g, float* square_avg, float* acc_delta, std::size_t n,
                     const adadelta_coefficients& c, double* squares) noexcept;
void lion_update(float* p, const float* g, float* m, std::size_t n, const lion_coefficients& c,
                 double* squares) noexcept;
void nadam_update(float* p, const float* g, float* m, float* v, std::size_t n,
                  const nadam_coefficients& c, double* squares) noexcept;
void amsgrad_update(float* p, const float* g, float* m, float* v, float* v_max, std::size_t n,
                    const adam_coefficients& c, double* squares) noexcept;
}  // namespace dispatch

#if FITCHECK_DISPATCHED
// SGD and RMSprop are the reference loops, which the compiler vectorises: a dispatching build
// runs them as compiled for the CPU's level.
inline void sgd_update(cpu_t, float* p, const float* g, float* velocity, std::size_t n,
                       const sgd_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::sgd_update(p, g, velocity, n, c, squares);
}
inline void rmsprop_update(cpu_t, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n,
                           const rmsprop_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::rmsprop_update(p, g, square_avg, momentum_buffer, grad_avg, n, c, squares);
}
inline void adagrad_update(cpu_t, float* p, const float* g, float* sum_sq, std::size_t n,
                           const adagrad_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::adagrad_update(p, g, sum_sq, n, c, squares);
}
inline void adamax_update(cpu_t, float* p, const float* g, float* m, float* u, std::size_t n,
                          const adamax_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::adamax_update(p, g, m, u, n, c, squares);
}
inline void adadelta_update(cpu_t, float* p, const float* g, float* square_avg, float* acc_delta,
                            std::size_t n, const adadelta_coefficients& c,
                            double* squares = nullptr) noexcept {
  dispatch::adadelta_update(p, g, square_avg, acc_delta, n, c, squares);
}
inline void lion_update(cpu_t, float* p, const float* g, float* m, std::size_t n,
                        const lion_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::lion_update(p, g, m, n, c, squares);
}
inline void nadam_update(cpu_t, float* p, const float* g, float* m, float* v, std::size_t n,
                         const nadam_coefficients& c, double* squares = nullptr) noexcept {
  dispatch::nadam_update(p, g, m, v, n, c, squares);
}
inline void amsgrad_update(cpu_t, float* p, const float* g, float* m, float* v, float* v_max,
                           std::size_t n, const adam_coefficients& c,
                           double* squares = nullptr) noexcept {
  dispatch::amsgrad_update(p, g, m, v, v_max, n, c, squares);
}
#endif

/// Adam vectorised. Large models are cut into at most 64 chunks whose bounds depend only on n,
/// spread over the worker threads; the chunks' sums of squares are added in chunk order, so
/// every result is the same on any thread count.
template <class Arch = cpu::simd::default_arch>
void adam_update(cpu_t, float* p, const float* g, float* m, float* v, std::size_t n,
                 const adam_coefficients& c, double* squares = nullptr) noexcept {
  if constexpr (detail::dispatched<float>) {
    dispatch::adam_update(p, g, m, v, n, c, squares);
  } else {
    constexpr std::size_t max_chunks = 64, min_chunk = std::size_t{1} << 15;
    const std::size_t chunk = std::max(min_chunk, (n + max_chunks - 1) / max_chunks);
    const std::size_t chunks = (n + chunk - 1) / chunk;
    float sum = 0.0f;
    if (chunks <= 1) {
      sum = detail::adam_range<Arch>(p, g, m, v, n, c);
    } else {
      std::array<float, max_chunks> sums{};
      // Below ~128 K parameters waking a worker costs more than its half of the pass saves; the
      // chunks, and so the result, are the same either way.
      constexpr std::size_t parallel_min = std::size_t{1} << 17;
      const auto parts = n < parallel_min
                             ? 1u
                             : static_cast<unsigned>(std::min<std::size_t>(max_threads(), chunks));
      parallel_for(parts, [&](unsigned part) {
        for (std::size_t i = chunks * part / parts; i < chunks * (part + 1) / parts; ++i) {
          const std::size_t at = i * chunk, len = std::min(chunk, n - at);
          sums[i] = detail::adam_range<Arch>(p + at, g + at, m + at, v + at, len, c);
        }
      });
      for (std::size_t i = 0; i < chunks; ++i) sum += sums[i];
    }
    if (squares) *squares = detail::settle_squares(sum, {g, n});
  }
}

}  // namespace fitcheck::kernels
