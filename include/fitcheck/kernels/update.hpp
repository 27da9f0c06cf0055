// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

// Optimizer updates as one pass over the parameters: every array is read and written once, and
// the sum of squares of the gradients (the global norm the numeric guards and clipping use) is
// taken in the same pass instead of a separate one.

namespace fitcheck::kernels {

/// One Adam step's constants (PyTorch's form): p *= decay; m = b1 m + (1 - b1) g;
/// v = b2 v + (1 - b2) g^2; p -= step_size * m / (sqrt(v) / bc2_sqrt + epsilon).
struct adam_coefficients {
  float beta_1, beta_2, epsilon;
  float step_size;  ///< lr / (1 - beta_1^t)
  float bc2_sqrt;   ///< sqrt(1 - beta_2^t)
  float decay;      ///< 1 - lr * weight_decay (AdamW), 1 for Adam
};

/// The reference; returns the float sum of g^2.
inline float adam_update(reference_t, float* p, const float* g, float* m, float* v, std::size_t n,
                         const adam_coefficients& c) noexcept {
  float squares = 0.0f;
  for (std::size_t i = 0; i < n; ++i) {
    squares += g[i] * g[i];
    p[i] *= c.decay;
    m[i] = c.beta_1 * m[i] + (1.0f - c.beta_1) * g[i];
    v[i] = c.beta_2 * v[i] + (1.0f - c.beta_2) * g[i] * g[i];
    const float denom = std::sqrt(v[i]) / c.bc2_sqrt + c.epsilon;
    p[i] -= c.step_size * m[i] / denom;
  }
  return squares;
}

namespace detail {
/// Vectorised: the same operations per element (sqrt and division are correctly rounded in
/// every instruction set), so results match the reference up to FMA contraction and the
/// bias correction applied as a multiply.
template <class Arch>
float adam_update_range(float* p, const float* g, float* m, float* v, std::size_t n,
                        const adam_coefficients& c) noexcept {
  if constexpr (!cpu::simd::available<Arch>) {
    return adam_update(reference, p, g, m, v, n, c);
  } else {
    using B = cpu::simd::batch<float, Arch>;
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    const B b1(c.beta_1), b2(c.beta_2), one_b1(1.0f - c.beta_1), one_b2(1.0f - c.beta_2);
    const B eps(c.epsilon), step(c.step_size), inv_bc2(1.0f / c.bc2_sqrt), decay(c.decay);
    B squares(0.0f);
    const std::size_t vec_end = n - n % w;
    for (std::size_t i = 0; i < vec_end; i += w) {
      const B gi = cpu::simd::load_unaligned<Arch>(g + i);
      squares = cpu::simd::fma(gi, gi, squares);
      const B mi = b1 * cpu::simd::load_unaligned<Arch>(m + i) + one_b1 * gi;
      const B vi = b2 * cpu::simd::load_unaligned<Arch>(v + i) + one_b2 * gi * gi;
      const B pi = cpu::simd::load_unaligned<Arch>(p + i) * decay;
      cpu::simd::store_unaligned(m + i, mi);
      cpu::simd::store_unaligned(v + i, vi);
      cpu::simd::store_unaligned(p + i, pi - step * mi / cpu::simd::fma(cpu::simd::sqrt(vi), inv_bc2, eps));
    }
    return cpu::simd::reduce_add(squares) +
           adam_update(reference, p + vec_end, g + vec_end, m + vec_end, v + vec_end,
                       n - vec_end, c);
  }
}
}  // namespace detail

/// One pass over all parameters. Large models are cut into at most 64 chunks whose bounds
/// depend only on n, spread over the worker threads; the chunks' sums of squares are added in
/// chunk order, so every result is the same on any thread count.
template <class Arch = cpu::simd::default_arch>
float adam_update(cpu_t, float* p, const float* g, float* m, float* v, std::size_t n,
                  const adam_coefficients& c) noexcept {
  constexpr std::size_t max_chunks = 64, min_chunk = std::size_t{1} << 15;
  const std::size_t chunk = std::max(min_chunk, (n + max_chunks - 1) / max_chunks);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  if (chunks <= 1) return detail::adam_update_range<Arch>(p, g, m, v, n, c);
  std::array<float, max_chunks> sums{};
  // Below ~128 K parameters (the digits MLP's 51 K) waking a worker costs more than its half
  // of the pass saves; the chunks, and so the result, are the same either way.
  constexpr std::size_t parallel_min = std::size_t{1} << 17;
  const auto parts = n < parallel_min
                         ? 1u
                         : static_cast<unsigned>(std::min<std::size_t>(max_threads(), chunks));
  parallel_for(parts, [&](unsigned part) {
    for (std::size_t i = chunks * part / parts; i < chunks * (part + 1) / parts; ++i) {
      const std::size_t at = i * chunk, len = std::min(chunk, n - at);
      sums[i] = detail::adam_update_range<Arch>(p + at, g + at, m + at, v + at, len, c);
    }
  });
  float squares = 0.0f;
  for (std::size_t i = 0; i < chunks; ++i) squares += sums[i];
  return squares;
}

}  // namespace fitcheck::kernels
