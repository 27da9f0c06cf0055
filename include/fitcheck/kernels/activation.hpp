// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

// Elementwise activations, the bias add of a dense layer and its transpose (column sums). The
// scalar functions below are the one definition of each activation: the reference loops use
// them, the cpu kernels use them for their tails and for element types xsimd is not asked to
// handle, and the losses use `sigmoid` for their logits form.
//
// Derivatives are written from whichever of x (pre-activation) and y = f(x) is cheaper, so
// backward takes both: ReLU needs x, sigmoid and tanh need only y.
//
// activation_forward may run in place (x == y): each element is read before it is written.

namespace fitcheck::kernels {

enum class activation : std::uint8_t { identity, relu, sigmoid, tanh };

/// 1 / (1 + e^-x), with two branches so that e^x never overflows. The scalar functions here are
/// host and device functions: the GPU kernels use the same definitions.
template <class T>
FITCHECK_HOST_DEVICE T sigmoid(T x) noexcept {
  if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
  const T e = std::exp(x);
  return e / (T(1) + e);
}

/// f(x) for one element.
template <class T>
FITCHECK_HOST_DEVICE T activate(activation act, T x) noexcept {
  switch (act) {
    case activation::relu: return x > T(0) ? x : T(0);
    case activation::sigmoid: return sigmoid(x);
    case activation::tanh: return std::tanh(x);
    case activation::identity: break;
  }
  return x;
}

/// f'(x) for one element, from x and y = f(x).
template <class T>
FITCHECK_HOST_DEVICE T activate_derivative(activation act, T x, T y) noexcept {
  switch (act) {
    case activation::relu: return x > T(0) ? T(1) : T(0);
    case activation::sigmoid: return y * (T(1) - y);
    case activation::tanh: return T(1) - y * y;
    case activation::identity: break;
  }
  return T(1);
}

/// f'(x) written from y = f(x) alone (y > 0 exactly where x > 0 for ReLU), which is what lets a
/// GEMM's epilogue apply an activation's backward knowing only the activation's output.
template <class T>
FITCHECK_HOST_DEVICE T derivative_from_output(activation act, T y) noexcept {
  switch (act) {
    case activation::relu: return y > T(0) ? T(1) : T(0);
    case activation::sigmoid: return y * (T(1) - y);
    case activation::tanh: return T(1) - y * y;
    case activation::identity: break;
  }
  return T(1);
}

// ---- reference ---------------------------------------------------------------------------------

/// y = f(x), n elements.
template <class T>
void activation_forward(reference_t, activation act, const T* x, T* y, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] = activate(act, x[i]);
}

/// dx = dy * f'(x), n elements.
template <class T>
void activation_backward(reference_t, activation act, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * activate_derivative(act, x[i], y[i]);
}

/// dx = dy * f'(x) with f' written from y = f(x) alone, n elements.
template <class T>
void activation_backward_from_output(reference_t, activation act, const T* y, const T* dy, T* dx,
                                     std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * derivative_from_output(act, y[i]);
}

/// y(r, :) += b for every row of the row-major (rows, cols) y.
template <class T>
void bias_add(reference_t, T* y, const T* b, std::size_t rows, std::size_t cols) noexcept {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) y[r * cols + j] += b[j];
}

/// db(j) = sum_r dy(r, j), overwriting db; rows are added in order, in T.
template <class T>
void column_sums(reference_t, const T* dy, T* db, std::size_t rows, std::size_t cols) noexcept {
  for (std::size_t j = 0; j < cols; ++j) db[j] = T(0);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) db[j] += dy[r * cols + j];
}

// ---- cpu (xsimd) -------------------------------------------------------------------------------
// Vectorised for float, where training runs; double (gradient checks) takes the reference, which
// is what those checks want to measure anyway.

namespace detail {
template <class T, class Arch>
inline constexpr bool simd_float = std::is_same_v<T, float> && cpu::simd::available<Arch>;

// Inlined into the GEMM's epilogue, where a call per vector would cost more than the switch.
template <class Arch>
[[gnu::always_inline]] inline cpu::simd::batch<float, Arch> activate(
    activation act, const cpu::simd::batch<float, Arch>& x) noexcept {
  using B = cpu::simd::batch<float, Arch>;
  const B zero(0.0f), one(1.0f);
  switch (act) {
    case activation::relu: return cpu::simd::max(x, zero);
    case activation::sigmoid: {
      // The scalar's two branches at once: e = e^-|x| <= 1 never overflows, and
      // sigmoid(x) = 1 / (1 + e) for x >= 0, e / (1 + e) otherwise.
      const B e = cpu::simd::exp(B(-cpu::simd::abs(x)));
      return cpu::simd::select(x >= zero, one, e) / (one + e);
    }
    case activation::tanh: return cpu::simd::tanh(x);
    case activation::identity: break;
  }
  return x;
}

template <class Arch>
cpu::simd::batch<float, Arch> activate_derivative(activation act,
                                                  const cpu::simd::batch<float, Arch>& x,
                                                  const cpu::simd::batch<float, Arch>& y) noexcept {
  using B = cpu::simd::batch<float, Arch>;
  const B zero(0.0f), one(1.0f);
  switch (act) {
    case activation::relu: return cpu::simd::select(x > zero, one, zero);
    case activation::sigmoid: return y * (one - y);
    case activation::tanh: return one - y * y;
    case activation::identity: break;
  }
  return one;
}

template <class Arch>
[[gnu::always_inline]] inline cpu::simd::batch<float, Arch> derivative_from_output(activation act,
                                                     const cpu::simd::batch<float, Arch>& y) noexcept {
  using B = cpu::simd::batch<float, Arch>;
  const B zero(0.0f), one(1.0f);
  switch (act) {
    case activation::relu: return cpu::simd::select(y > zero, one, zero);
    case activation::sigmoid: return y * (one - y);
    case activation::tanh: return one - y * y;
    case activation::identity: break;
  }
  return one;
}
}  // namespace detail

template <class T, class Arch = cpu::simd::default_arch>
void activation_forward(cpu_t, activation act, const T* x, T* y, std::size_t n) noexcept {
  if constexpr (!detail::simd_float<T, Arch>) {
    activation_forward(reference, act, x, y, n);
  } else {
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    std::size_t i = 0;
    // The switch sits inside detail::activate; hoisting it would duplicate the loop per case for
    // a branch the predictor gets right every time.
    for (; i + w <= n; i += w)
      cpu::simd::store_unaligned(y + i,
                                 detail::activate<Arch>(act, cpu::simd::load_unaligned<Arch>(x + i)));
    activation_forward(reference, act, x + i, y + i, n - i);
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void activation_backward(cpu_t, activation act, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t n) noexcept {
  if constexpr (!detail::simd_float<T, Arch>) {
    activation_backward(reference, act, x, y, dy, dx, n);
  } else {
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    std::size_t i = 0;
    for (; i + w <= n; i += w) {
      const auto d = detail::activate_derivative<Arch>(act, cpu::simd::load_unaligned<Arch>(x + i),
                                                       cpu::simd::load_unaligned<Arch>(y + i));
      cpu::simd::store_unaligned(dx + i, cpu::simd::load_unaligned<Arch>(dy + i) * d);
    }
    activation_backward(reference, act, x + i, y + i, dy + i, dx + i, n - i);
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void activation_backward_from_output(cpu_t, activation act, const T* y, const T* dy, T* dx,
                                     std::size_t n) noexcept {
  if constexpr (!detail::simd_float<T, Arch>) {
    activation_backward_from_output(reference, act, y, dy, dx, n);
  } else {
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    std::size_t i = 0;
    for (; i + w <= n; i += w) {
      const auto d = detail::derivative_from_output<Arch>(act, cpu::simd::load_unaligned<Arch>(y + i));
      cpu::simd::store_unaligned(dx + i, cpu::simd::load_unaligned<Arch>(dy + i) * d);
    }
    activation_backward_from_output(reference, act, y + i, dy + i, dx + i, n - i);
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void bias_add(cpu_t, T* y, const T* b, std::size_t rows, std::size_t cols) noexcept {
  if constexpr (!detail::simd_float<T, Arch>) {
    bias_add(reference, y, b, rows, cols);
  } else {
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    for (std::size_t r = 0; r < rows; ++r) {
      T* yr = y + r * cols;
      std::size_t j = 0;
      for (; j + w <= cols; j += w)
        cpu::simd::store_unaligned(
            yr + j, cpu::simd::load_unaligned<Arch>(yr + j) + cpu::simd::load_unaligned<Arch>(b + j));
      for (; j < cols; ++j) yr[j] += b[j];
    }
  }
}

/// Vectorised across columns, rows still added in order: the same additions as the reference,
/// so the result is bitwise identical.
template <class T, class Arch = cpu::simd::default_arch>
void column_sums(cpu_t, const T* dy, T* db, std::size_t rows, std::size_t cols) noexcept {
  if constexpr (!detail::simd_float<T, Arch>) {
    column_sums(reference, dy, db, rows, cols);
  } else {
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    // Separate index ranges: g++ 12 misreads a tail loop that continues the vector loop's index
    // as overflowing (-Waggressive-loop-optimizations) once `cols` is a constant.
    const std::size_t vector_end = cols - cols % w;
    for (std::size_t j = 0; j < vector_end; j += w) {
      auto acc = cpu::simd::broadcast<Arch>(T(0));
      for (std::size_t r = 0; r < rows; ++r)
        acc = acc + cpu::simd::load_unaligned<Arch>(dy + r * cols + j);
      cpu::simd::store_unaligned(db + j, acc);
    }
    for (std::size_t j = vector_end; j < cols; ++j) {
      T acc = 0;
      for (std::size_t r = 0; r < rows; ++r) acc += dy[r * cols + j];
      db[j] = acc;
    }
  }
}

}  // namespace fitcheck::kernels
