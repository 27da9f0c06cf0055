// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>

#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

// Softmax over each row of a row-major (rows, k) matrix, and its backward
//   dx_i = y_i (dy_i - sum_j dy_j y_j)
// computed from the output y alone.

namespace fitcheck::kernels {


template <class T>
void softmax_rows(reference_t, const T* x, T* y, std::size_t rows, std::size_t k) noexcept {
  if (k == 0) return;  // no row maximum to read
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * k;
    T* yr = y + r * k;
    // Shift by the row maximum so that exp never overflows (the result is unchanged).
    T m = xr[0];
    for (std::size_t j = 1; j < k; ++j) m = xr[j] > m ? xr[j] : m;
    T s = 0;
    for (std::size_t j = 0; j < k; ++j) s += (yr[j] = std::exp(xr[j] - m));
    for (std::size_t j = 0; j < k; ++j) yr[j] /= s;
  }
}

template <class T>
void softmax_backward_rows(reference_t, const T* y, const T* dy, T* dx, std::size_t rows,
                           std::size_t k) noexcept {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* yr = y + r * k;
    const T* dyr = dy + r * k;
    T dot = 0;
    for (std::size_t j = 0; j < k; ++j) dot += dyr[j] * yr[j];
    for (std::size_t j = 0; j < k; ++j) dx[r * k + j] = yr[j] * (dyr[j] - dot);
  }
}

// Vectorised over the k entries of a row for float; the sums are reordered, so results differ
// from the reference by rounding only. double takes the reference.

namespace dispatch {
void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t k) noexcept;
void softmax_backward_rows(const float* y, const float* dy, float* dx, std::size_t rows,
                           std::size_t k) noexcept;
}  // namespace dispatch

template <class T, class Arch = cpu::simd::default_arch>
void softmax_rows(cpu_t, const T* x, T* y, std::size_t rows, std::size_t k) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::softmax_rows(x, y, rows, k);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    softmax_rows(reference, x, y, rows, k);
  } else {
    if (k == 0) return;
    using B = cpu::simd::batch<float, Arch>;
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    for (std::size_t r = 0; r < rows; ++r) {
      const float* xr = x + r * k;
      float* yr = y + r * k;
      // The maximum stays scalar: xsimd 8 has no portable lane maximum, and k is small.
      float m = xr[0];
      for (std::size_t j = 1; j < k; ++j) m = xr[j] > m ? xr[j] : m;
      const B vm(m);
      B acc(0.0f);
      std::size_t j = 0;
      for (; j + w <= k; j += w) {
        const B e = cpu::simd::exp(B(cpu::simd::load_unaligned<Arch>(xr + j) - vm));
        cpu::simd::store_unaligned(yr + j, e);
        acc = acc + e;
      }
      float s = cpu::simd::reduce_add(acc);
      for (; j < k; ++j) s += (yr[j] = std::exp(xr[j] - m));
      // Divide rather than multiply by 1/s: one rounding per entry, as in the reference.
      const B vs(s);
      j = 0;
      for (; j + w <= k; j += w)
        cpu::simd::store_unaligned(yr + j, B(cpu::simd::load_unaligned<Arch>(yr + j) / vs));
      for (; j < k; ++j) yr[j] /= s;
    }
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void softmax_backward_rows(cpu_t, const T* y, const T* dy, T* dx, std::size_t rows,
                           std::size_t k) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::softmax_backward_rows(y, dy, dx, rows, k);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    softmax_backward_rows(reference, y, dy, dx, rows, k);
  } else {
    using B = cpu::simd::batch<float, Arch>;
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    for (std::size_t r = 0; r < rows; ++r) {
      const float* yr = y + r * k;
      const float* dyr = dy + r * k;
      float* dxr = dx + r * k;
      B acc(0.0f);
      std::size_t j = 0;
      for (; j + w <= k; j += w)
        acc = cpu::simd::fma(cpu::simd::load_unaligned<Arch>(dyr + j),
                             cpu::simd::load_unaligned<Arch>(yr + j), acc);
      float dot = cpu::simd::reduce_add(acc);
      for (; j < k; ++j) dot += dyr[j] * yr[j];
      const B vdot(dot);
      j = 0;
      for (; j + w <= k; j += w)
        cpu::simd::store_unaligned(dxr + j, B(cpu::simd::load_unaligned<Arch>(yr + j) *
                                              (cpu::simd::load_unaligned<Arch>(dyr + j) - vdot)));
      for (; j < k; ++j) dxr[j] = yr[j] * (dyr[j] - dot);
    }
  }
}

}  // namespace fitcheck::kernels
