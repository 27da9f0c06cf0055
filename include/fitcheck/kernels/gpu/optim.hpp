// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
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
struct rmsprop_element {
  float *p, *square_avg, *momentum_buffer, *grad_avg;
  const float* g;
  rmsprop_coefficients c;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    rmsprop_step(p[i], g[i], square_avg[i], momentum_buffer ? momentum_buffer + i : nullptr,
                 grad_avg ? grad_avg + i : nullptr, c);
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
struct clamp_element {
  float* g;
  float limit;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { g[i] = clamp_value(g[i], limit); }
};
}  // namespace gpu::detail

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

inline void rmsprop_update(cuda_t be, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n,
                           const rmsprop_coefficients& c, double* squares = nullptr) {
  if (squares) sum_of_squares_into(be, {g, n}, squares);
  gpu::detail::for_each_index(
      n, gpu::detail::rmsprop_element{p, square_avg, momentum_buffer, grad_avg, g, c});
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
