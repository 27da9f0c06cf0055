// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/regularize.hpp>
#include <fitcheck/kernels/update.hpp>

// Optimizer updates and gradient clipping of the cuda backend: kernels/update.hpp's formulas and
// signatures, one Thrust for_each over the parameters each. `squares` (device memory) gets the
// sum of the squared gradients from a reduction queued before the update.

namespace fitcheck::kernels {

namespace gpu::detail {
struct sgd_element {
  float *p, *velocity;
  const float* g;
  sgd_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    sgd_step(p[i], g[i], velocity ? velocity + i : nullptr, c);
  }
};
struct adam_element {
  float *p, *m, *v;
  const float* g;
  adam_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { adam_step(p[i], m[i], v[i], g[i], c); }
};
struct amsgrad_element {
  float *p, *m, *v, *v_max;
  const float* g;
  adam_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    amsgrad_step(p[i], m[i], v[i], v_max[i], g[i], c);
  }
};
struct rmsprop_element {
  float *p, *square_avg, *momentum_buffer, *grad_avg;
  const float* g;
  rmsprop_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    rmsprop_step(p[i], g[i], square_avg[i], momentum_buffer ? momentum_buffer + i : nullptr,
                 grad_avg ? grad_avg + i : nullptr, c);
  }
};
struct adagrad_element {
  float* p;
  float* sum_sq;
  const float* g;
  adagrad_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    adagrad_step(p[i], g[i], sum_sq[i], c);
  }
};
struct adamax_element {
  float *p, *m, *u;
  const float* g;
  adamax_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    adamax_step(p[i], g[i], m[i], u[i], c);
  }
};
struct adadelta_element {
  float *p, *square_avg, *acc_delta;
  const float* g;
  adadelta_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    adadelta_step(p[i], g[i], square_avg[i], acc_delta[i], c);
  }
};
struct lion_element {
  float *p, *m;
  const float* g;
  lion_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { lion_step(p[i], g[i], m[i], c); }
};
struct nadam_element {
  float *p, *m, *v;
  const float* g;
  nadam_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    nadam_step(p[i], g[i], m[i], v[i], c);
  }
};
struct scale_element {
  float* g;
  double factor;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    g[i] = static_cast<float>(double(g[i]) * factor);
  }
};
struct clip_norm_element {
  float* g;
  const double* squares;
  double limit;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const double factor = clip_factor(std::sqrt(*squares), limit);
    if (factor != 1.0) g[i] = static_cast<float>(double(g[i]) * factor);
  }
};
struct accumulate_element {
  float* acc;
  const float* g;
  bool first;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    acc[i] = first ? g[i] : acc[i] + g[i];
  }
};
struct average_accumulated_element {
  float* g;
  const float* acc;
  float steps;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { g[i] = (g[i] + acc[i]) / steps; }
};
struct moving_average_element {
  float* avg;
  const float* p;
  float momentum;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    avg[i] = momentum * avg[i] + (1.0f - momentum) * p[i];
  }
};
struct copy_element {
  const float* from;
  float* to;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { to[i] = from[i]; }
};
struct clamp_element {
  float* g;
  float limit;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { g[i] = clamp_value(g[i], limit); }
};
// Index i of the penalised weights, counted over the slices in order: its penalty, and its
// gradient added to g when g is not null. A linear search: a network has few slices. (A plain
// array: std::array's operator[] is host-only.)
template <std::size_t N>
struct penalty_element {
  const float* p;
  float* g;
  penalty ranges[N];

  penalty_element(const float* params, float* grads, const std::array<penalty, N>& r)
      : penalty_element(params, grads, r.data(), N) {}
  // The first `count` (<= N) of `r`; the rest cover nothing.
  penalty_element(const float* params, float* grads, const penalty* r, std::size_t count)
      : p(params), g(grads) {
    for (std::size_t k = 0; k < N; ++k) ranges[k] = k < count ? r[k] : penalty{};
  }
  FITCHECK_HOST_DEVICE double operator()(std::size_t i) const {
    std::size_t r = 0;
    while (i >= ranges[r].count) i -= ranges[r++].count;
    const std::size_t at = ranges[r].offset + i;
    if (g != nullptr) g[at] += penalty_gradient(p[at], ranges[r].l1, ranges[r].l2);
    return penalty_term(p[at], ranges[r].l1, ranges[r].l2);
  }
};
template <std::size_t N>
constexpr std::size_t penalised(const std::array<penalty, N>& ranges) noexcept {
  std::size_t n = 0;
  for (const penalty& r : ranges) n += r.count;
  return n;
}
}  // namespace gpu::detail

/// kernels/regularize.hpp's penalties: the sum comes back to the host (evaluate's).
template <std::size_t N>
double regularize(cuda_t, const float* p, float* g, const std::array<penalty, N>& ranges) {
  return gpu::detail::reduce_value<double>(gpu::detail::penalised(ranges),
                                           gpu::detail::penalty_element<N>{p, g, ranges});
}

/// As regularize, without waiting: the sum goes to `out` in device memory (a training step's).
template <std::size_t N>
void regularize_into(cuda_t, const float* p, float* g, const std::array<penalty, N>& ranges,
                     double* out) {
  gpu::detail::reduce_into<double>(gpu::detail::penalised(ranges),
                                   gpu::detail::penalty_element<N>{p, g, ranges}, out);
}

inline void sgd_update(cuda_t be, float* p, const float* g, float* velocity, std::size_t n,
                       const sgd_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::sgd_element{p, velocity, g, c});
}

inline void adam_update(cuda_t be, float* p, const float* g, float* m, float* v, std::size_t n,
                        const adam_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::adam_element{p, m, v, g, c});
}

inline void amsgrad_update(cuda_t be, float* p, const float* g, float* m, float* v, float* v_max,
                           std::size_t n, const adam_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::amsgrad_element{p, m, v, v_max, g, c});
}

inline void rmsprop_update(cuda_t be, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n,
                           const rmsprop_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(
      n, gpu::detail::rmsprop_element{p, square_avg, momentum_buffer, grad_avg, g, c});
}

inline void adagrad_update(cuda_t be, float* p, const float* g, float* sum_sq, std::size_t n,
                           const adagrad_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::adagrad_element{p, sum_sq, g, c});
}

inline void adamax_update(cuda_t be, float* p, const float* g, float* m, float* u, std::size_t n,
                          const adamax_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::adamax_element{p, m, u, g, c});
}

inline void adadelta_update(cuda_t be, float* p, const float* g, float* square_avg,
                            float* acc_delta, std::size_t n, const adadelta_coefficients& c,
                            double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::adadelta_element{p, square_avg, acc_delta, g, c});
}

inline void lion_update(cuda_t be, float* p, const float* g, float* m, std::size_t n,
                        const lion_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::lion_element{p, m, g, c});
}

inline void nadam_update(cuda_t be, float* p, const float* g, float* m, float* v, std::size_t n,
                         const nadam_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(n, gpu::detail::nadam_element{p, m, v, g, c});
}

inline void accumulate_gradient(cuda_t, float* acc, const float* g, std::size_t n, bool first) {
  gpu::detail::for_each_index(n, gpu::detail::accumulate_element{acc, g, first});
}

inline void average_accumulated(cuda_t, float* g, const float* acc, std::size_t n, float steps) {
  gpu::detail::for_each_index(n, gpu::detail::average_accumulated_element{g, acc, steps});
}

inline void moving_average(cuda_t, float* avg, const float* p, std::size_t n, float momentum) {
  gpu::detail::for_each_index(n, gpu::detail::moving_average_element{avg, p, momentum});
}

inline void copy_values(cuda_t, const float* from, float* to, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::copy_element{from, to});
}

inline void scale(cuda_t, float* g, std::size_t n, double factor) {
  gpu::detail::for_each_index(n, gpu::detail::scale_element{g, factor});
}

/// `squares` in device memory: no host round trip for the norm.
inline void clip_by_global_norm(cuda_t, float* g, std::size_t n, float clipnorm,
                                const double* squares) {
  gpu::detail::for_each_index(n, gpu::detail::clip_norm_element{g, squares, double(clipnorm)});
}

inline void clamp(cuda_t, float* g, std::size_t n, float limit) {
  gpu::detail::for_each_index(n, gpu::detail::clamp_element{g, limit});
}

}  // namespace fitcheck::kernels
