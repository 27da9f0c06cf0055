// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

// The functions the per-element formulas (activations, losses, optimizer steps) are written in,
// for one value on the host or the device, and for an xsimd batch of values on the host. A formula
// written once over `V` is then the scalar reference, the GPU functor's body and the vectorised
// CPU loop's body at the same time.

namespace fitcheck::kernels::math {

FITCHECK_HOST_DEVICE inline float exp(float x) noexcept { return std::exp(x); }
FITCHECK_HOST_DEVICE inline double exp(double x) noexcept { return std::exp(x); }
FITCHECK_HOST_DEVICE inline float log1p(float x) noexcept { return std::log1p(x); }
FITCHECK_HOST_DEVICE inline double log1p(double x) noexcept { return std::log1p(x); }
FITCHECK_HOST_DEVICE inline float sqrt(float x) noexcept { return std::sqrt(x); }
FITCHECK_HOST_DEVICE inline double sqrt(double x) noexcept { return std::sqrt(x); }
FITCHECK_HOST_DEVICE inline float tanh(float x) noexcept { return std::tanh(x); }
FITCHECK_HOST_DEVICE inline double tanh(double x) noexcept { return std::tanh(x); }
FITCHECK_HOST_DEVICE inline float abs(float x) noexcept { return std::abs(x); }
FITCHECK_HOST_DEVICE inline double abs(double x) noexcept { return std::abs(x); }
/// The larger of a and b; b when either is NaN (as the x86 max instructions).
template <class T>
FITCHECK_HOST_DEVICE T max(T a, T b) noexcept {
  return a > b ? a : b;
}
/// `c ? a : b`; for batches, lane by lane.
template <class T>
FITCHECK_HOST_DEVICE T select(bool c, T a, T b) noexcept {
  return c ? a : b;
}

/// The value (V = T) or the batch of values (V an xsimd batch of T) at p.
template <class V, class T>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V load(const T* p) noexcept {
  if constexpr (std::is_same_v<V, T>)
    return *p;
  else
    return V::load_unaligned(p);
}
/// Writes v (a value or a batch) at p.
template <class V, class T>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE void store(T* p, const V& v) noexcept {
  if constexpr (std::is_same_v<V, T>)
    *p = v;
  else
    v.store_unaligned(p);
}

template <class T, class Arch>
cpu::simd::batch<T, Arch> exp(const cpu::simd::batch<T, Arch>& x) noexcept {
  return cpu::simd::exp(x);
}
template <class T, class Arch>
cpu::simd::batch<T, Arch> log1p(const cpu::simd::batch<T, Arch>& x) noexcept {
  return cpu::simd::log1p(x);
}
template <class T, class Arch>
cpu::simd::batch<T, Arch> sqrt(const cpu::simd::batch<T, Arch>& x) noexcept {
  return cpu::simd::sqrt(x);
}
template <class T, class Arch>
cpu::simd::batch<T, Arch> tanh(const cpu::simd::batch<T, Arch>& x) noexcept {
  return cpu::simd::tanh(x);
}
template <class T, class Arch>
cpu::simd::batch<T, Arch> abs(const cpu::simd::batch<T, Arch>& x) noexcept {
  return cpu::simd::abs(x);
}
template <class T, class Arch>
cpu::simd::batch<T, Arch> max(const cpu::simd::batch<T, Arch>& a,
                              const cpu::simd::batch<T, Arch>& b) noexcept {
  return cpu::simd::max(a, b);
}
template <class Cond, class T, class Arch>
cpu::simd::batch<T, Arch> select(const Cond& c, const cpu::simd::batch<T, Arch>& a,
                                 const cpu::simd::batch<T, Arch>& b) noexcept {
  return cpu::simd::select(c, a, b);
}

}  // namespace fitcheck::kernels::math
