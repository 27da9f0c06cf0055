// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>

// Optimizer updates and gradient clipping of the cuda backend: the formulas of
// optim/optimizer.hpp and optim/clipping.hpp, one Thrust for_each over the parameters each.
// Scalars that depend on the step only (bias corrections) are computed once on the host, in
// double, exactly as the cpu path does.

namespace fitcheck::kernels {

namespace gpu::detail {
struct sgd_element {
  float *p, *velocity;
  const float* g;
  float lr, momentum, weight_decay;
  bool nesterov, first;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    float gi = g[i] + weight_decay * p[i];
    if (momentum != 0.0f) {
      float& v = velocity[i];
      v = first ? gi : momentum * v + gi;
      gi = nesterov ? gi + momentum * v : v;
    }
    p[i] -= lr * gi;
  }
};
struct adam_element {
  float *p, *m, *v;
  const float* g;
  float step_size, beta_1, beta_2, epsilon, bc2_sqrt, decay;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    p[i] *= decay;
    m[i] = beta_1 * m[i] + (1.0f - beta_1) * g[i];
    v[i] = beta_2 * v[i] + (1.0f - beta_2) * g[i] * g[i];
    const float denom = std::sqrt(v[i]) / bc2_sqrt + epsilon;
    p[i] -= step_size * m[i] / denom;
  }
};
struct rmsprop_element {
  float *p, *square_avg, *momentum_buffer, *grad_avg;
  const float* g;
  float lr, rho, momentum, epsilon, weight_decay;
  bool centered;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const float gi = weight_decay != 0.0f ? g[i] + weight_decay * p[i] : g[i];
    float& v = square_avg[i];
    v = rho * v + (1.0f - rho) * gi * gi;
    float var = v;
    if (centered) {
      float& a = grad_avg[i];
      a = rho * a + (1.0f - rho) * gi;
      var = v - a * a > 0.0f ? v - a * a : 0.0f;
    }
    const float scaled = gi / (std::sqrt(var) + epsilon);
    if (momentum > 0.0f) {
      float& b = momentum_buffer[i];
      b = momentum * b + scaled;
      p[i] -= lr * b;
    } else {
      p[i] -= lr * scaled;
    }
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
    // The host's clip_by_global_norm: a NaN or infinite norm (the comparison to DBL_MAX) leaves
    // the gradients alone; the factor is the same double, so the result is the same float.
    const double norm = std::sqrt(*squares);
    if (norm > limit && norm <= DBL_MAX) g[i] = static_cast<float>(double(g[i]) * (limit / norm));
  }
};
struct clamp_element {
  float* g;
  float limit;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const float x = g[i];
    if (x < -limit) g[i] = -limit;
    else if (x > limit) g[i] = limit;
  }
};
}  // namespace gpu::detail

/// torch.optim.SGD's step over n parameters; `velocity` may be null when momentum is 0.
inline void sgd_update(cuda_t, float* p, const float* g, float* velocity, std::size_t n, float lr,
                       float momentum, bool nesterov, float weight_decay, bool first_step) {
  gpu::detail::for_each_index(n, gpu::detail::sgd_element{p, velocity, g, lr, momentum,
                                                          weight_decay, nesterov, first_step});
}

/// One Adam step (PyTorch's form) at 1-based `step`, after multiplying p by `decay` (AdamW; 1 for
/// Adam).
inline void adam_update(cuda_t, float* p, const float* g, float* m, float* v, std::size_t n,
                        float lr, float beta_1, float beta_2, float epsilon, float decay,
                        std::uint64_t step) {
  const double t = static_cast<double>(step);
  const double bc1 = 1.0 - std::pow(double(beta_1), t);
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(double(beta_2), t));
  gpu::detail::for_each_index(
      n, gpu::detail::adam_element{p, m, v, g, static_cast<float>(double(lr) / bc1), beta_1,
                                   beta_2, epsilon, static_cast<float>(bc2_sqrt), decay});
}

/// torch.optim.RMSprop's step; `momentum_buffer` / `grad_avg` may be null when unused.
inline void rmsprop_update(cuda_t, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n, float lr,
                           float rho, float momentum, float epsilon, float weight_decay,
                           bool centered) {
  gpu::detail::for_each_index(
      n, gpu::detail::rmsprop_element{p, square_avg, momentum_buffer, grad_avg, g, lr, rho,
                                      momentum, epsilon, weight_decay, centered});
}

/// g *= factor (in double, as clip_by_global_norm).
inline void scale(cuda_t, float* g, std::size_t n, double factor) {
  gpu::detail::for_each_index(n, gpu::detail::scale_element{g, factor});
}

/// Rescales g so that its global norm, sqrt(*squares) with `squares` in device memory (from
/// sum_of_squares_into), is at most `clipnorm`; no host round trip for the norm.
inline void clip_by_global_norm(cuda_t, float* g, std::size_t n, float clipnorm,
                                const double* squares) {
  gpu::detail::for_each_index(n, gpu::detail::clip_norm_element{g, squares, double(clipnorm)});
}

/// g = clamp(g, -limit, limit); NaN stays NaN.
inline void clamp(cuda_t, float* g, std::size_t n, float limit) {
  gpu::detail::for_each_index(n, gpu::detail::clamp_element{g, limit});
}

}  // namespace fitcheck::kernels
