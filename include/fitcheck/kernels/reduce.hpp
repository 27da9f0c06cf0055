// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <span>

#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

namespace fitcheck::kernels {

/// Sum of `x` (reference: one accumulator, in order).
inline float sum(reference_t, std::span<const float> x) noexcept {
  float s = 0.0f;
  for (float v : x) s += v;
  return s;
}

/// Dot product of two spans of equal length (reference: one accumulator, in order).
inline float dot(reference_t, std::span<const float> x, std::span<const float> y) noexcept {
  float s = 0.0f;
  for (std::size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
  return s;
}

namespace detail {
struct partial_sum {
  float value;
  std::size_t done;  ///< elements consumed; the caller finishes the tail in scalar code
};

// Four independent accumulators hide the latency of the vector add behind its throughput.
// `term(i, acc)` returns acc plus the contribution of elements [i, i + width).
template <class Arch, class Term>
partial_sum accumulate(std::size_t n, Term term) noexcept {
  using B = cpu::simd::batch<float, Arch>;
  constexpr std::size_t w = cpu::simd::width<float, Arch>;
  B a0(0.0f), a1(0.0f), a2(0.0f), a3(0.0f);
  std::size_t i = 0;
  for (; i + 4 * w <= n; i += 4 * w) {
    a0 = term(i, a0);
    a1 = term(i + w, a1);
    a2 = term(i + 2 * w, a2);
    a3 = term(i + 3 * w, a3);
  }
  for (; i + w <= n; i += w) a0 = term(i, a0);
  return {cpu::simd::reduce_add((a0 + a1) + (a2 + a3)), i};
}
}  // namespace detail

namespace dispatch {
float sum(std::span<const float> x) noexcept;
float dot(std::span<const float> x, std::span<const float> y) noexcept;
}  // namespace dispatch

/// Sum of `x`, vectorised. Additions are reordered, so the result differs from the
/// reference by rounding only.
template <class Arch = cpu::simd::default_arch>
float sum(cpu_t, std::span<const float> x) noexcept {
  if constexpr (detail::dispatched<float>) {
    return dispatch::sum(x);
  } else if constexpr (!cpu::simd::available<Arch>) {
    return sum(reference, x);
  } else {
    const float* p = x.data();
    const auto part = detail::accumulate<Arch>(x.size(), [p](std::size_t i, auto acc) {
      return acc + cpu::simd::load_unaligned<Arch>(p + i);
    });
    return part.value + sum(reference, x.subspan(part.done));
  }
}

/// Dot product, vectorised with fused multiply-adds.
template <class Arch = cpu::simd::default_arch>
float dot(cpu_t, std::span<const float> x, std::span<const float> y) noexcept {
  if constexpr (detail::dispatched<float>) {
    return dispatch::dot(x, y);
  } else if constexpr (!cpu::simd::available<Arch>) {
    return dot(reference, x, y);
  } else {
    const float* px = x.data();
    const float* py = y.data();
    const auto part = detail::accumulate<Arch>(x.size(), [px, py](std::size_t i, auto acc) {
      return cpu::simd::fma(cpu::simd::load_unaligned<Arch>(px + i),
                            cpu::simd::load_unaligned<Arch>(py + i), acc);
    });
    return part.value + dot(reference, x.subspan(part.done), y.subspan(part.done));
  }
}

}  // namespace fitcheck::kernels
