// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>

// Elementwise activations, the bias add of a dense layer and its transpose (column sums). The
// formulas below are the one definition of each activation: the reference loops, the vectorised
// cpu loops (on xsimd batches), the GEMM epilogues, the GPU kernels and the losses' logits forms
// all call them.
//
// Derivatives are written from whichever of x (pre-activation) and y = f(x) is cheaper, so
// backward takes both: ReLU needs x, sigmoid and tanh need only y.
//
// activation_forward may run in place (x == y): each element is read before it is written.

namespace fitcheck::kernels {

enum class activation : std::uint8_t { identity, relu, sigmoid, tanh };

/// 1 / (1 + e^-x) as 1 / (1 + e) for x >= 0 and e / (1 + e) otherwise, e = e^-|x| <= 1, so that
/// the exponential never overflows. Like every formula here it is written once over `V`, a
/// value or an xsimd batch (kernels/math.hpp), and is a host and device function: the
/// reference, the vectorised CPU loops and the GPU kernels all evaluate this definition.
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V sigmoid(V x) noexcept {
  const V e = math::exp(V(-math::abs(x)));
  return math::select(x >= V(0), V(1), e) / (V(1) + e);
}

/// f(x).
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V activate(activation act, V x) noexcept {
  switch (act) {
    case activation::relu: return math::max(x, V(0));
    case activation::sigmoid: return sigmoid(x);
    case activation::tanh: return math::tanh(x);
    case activation::identity: break;
  }
  return x;
}

/// f'(x) written from y = f(x) alone (y > 0 exactly where x > 0 for ReLU), which is what lets a
/// GEMM's epilogue apply an activation's backward knowing only the activation's output.
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V derivative_from_output(activation act, V y) noexcept {
  switch (act) {
    case activation::relu: return math::select(y > V(0), V(1), V(0));
    case activation::sigmoid: return y * (V(1) - y);
    case activation::tanh: return V(1) - y * y;
    case activation::identity: break;
  }
  return V(1);
}

/// f'(x), from x and y = f(x).
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V activate_derivative(activation act, V x,
                                                                 V y) noexcept {
  if (act == activation::relu) return math::select(x > V(0), V(1), V(0));
  return derivative_from_output(act, y);
}


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

/// y = Op::f(x), n elements: an activation written as an operation type with f(x) and its
/// derivative df(x, y) (LeakyReLU, ELU, GELU: nn/activations.hpp), on any backend.
template <class Op, class T>
void map_forward(reference_t, Op, const T* x, T* y, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] = Op::f(x[i]);
}

/// dx = dy * Op::df(x, y), n elements.
template <class Op, class T>
void map_backward(reference_t, Op, const T* x, const T* y, const T* dy, T* dx,
                  std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * Op::df(x[i], y[i]);
}

/// An operation type of map_forward as data, `Op::formula`: which one (`kind`, numbered by the
/// table that evaluates it, nn/map_table.hpp) and its constants. The GPU's fused step records
/// it in its plan, where a type cannot go, and evaluates it through that table.
struct map_formula {
  std::uint8_t kind = 0;
  float a = 0, b = 0;
};

/// y = x, n values (a reshape: every layer writes its own output buffer).
template <class T>
void copy_values(reference_t, const T* x, T* y, std::size_t n) noexcept {
  std::copy_n(x, n, y);
}

/// y += x, n values (the sum of a merge block's branches).
template <class T>
void add_values(reference_t, const T* x, T* y, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] += x[i];
}

/// Row r of the row-major (rows, part) x into columns [at, at + part) of row r of the row-major
/// (rows, width) y: one branch's share of a concatenation along the last axis.
template <class T>
void place_columns(reference_t, const T* x, std::size_t part, T* y, std::size_t width,
                   std::size_t at, std::size_t rows) noexcept {
  for (std::size_t r = 0; r < rows; ++r) std::copy_n(x + r * part, part, y + r * width + at);
}

/// The reverse of place_columns: columns [at, at + part) of the (rows, width) y into the
/// (rows, part) x.
template <class T>
void take_columns(reference_t, const T* y, std::size_t width, std::size_t at, T* x,
                  std::size_t part, std::size_t rows) noexcept {
  for (std::size_t r = 0; r < rows; ++r) std::copy_n(y + r * width + at, part, x + r * part);
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

// Vectorised for float, where training runs; double (gradient checks) takes the reference, which
// is what those checks want to measure anyway.

namespace detail {
template <class T, class Arch>
inline constexpr bool simd_float = std::is_same_v<T, float> && cpu::simd::available<Arch>;

// f(first, count) over [0, n): on the worker threads when n is large (2^18 values, 1 MiB of
// floats: a convolution's activations, never an MLP's), in chunks of whole cache lines. Each
// element is one thread's, so results do not depend on the thread count.
template <class F>
void elementwise_parts(std::size_t n, const F& f) {
  const std::size_t parts =
      n < (std::size_t{1} << 18) ? 1 : std::min<std::size_t>(max_threads(), n >> 17);
  if (parts <= 1) {
    f(std::size_t{0}, n);
    return;
  }
  parallel_for(static_cast<unsigned>(parts), [&](unsigned p) {
    const std::size_t first = n * p / parts / 16 * 16;
    const std::size_t last = p + 1 == parts ? n : n * (p + 1) / parts / 16 * 16;
    f(first, last - first);
  });
}
}  // namespace detail

namespace dispatch {
void activation_forward(activation act, const float* x, float* y, std::size_t n) noexcept;
void activation_backward(activation act, const float* x, const float* y, const float* dy,
                         float* dx, std::size_t n) noexcept;
void activation_backward_from_output(activation act, const float* y, const float* dy, float* dx,
                                     std::size_t n) noexcept;
void bias_add(float* y, const float* b, std::size_t rows, std::size_t cols) noexcept;
void column_sums(const float* dy, float* db, std::size_t rows, std::size_t cols) noexcept;
}  // namespace dispatch

template <class T, class Arch = cpu::simd::default_arch>
void activation_forward(cpu_t, activation act, const T* x, T* y, std::size_t n) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::activation_forward(act, x, y, n);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    activation_forward(reference, act, x, y, n);
  } else {
    detail::elementwise_parts(n, [&](std::size_t first, std::size_t count) {
      constexpr std::size_t w = cpu::simd::width<float, Arch>;
      const T* xs = x + first;
      T* ys = y + first;
      std::size_t i = 0;
      // The switch sits inside detail::activate; hoisting it would duplicate the loop per case
      // for a branch the predictor gets right every time.
      for (; i + w <= count; i += w)
        cpu::simd::store_unaligned(ys + i,
                                   activate(act, cpu::simd::load_unaligned<Arch>(xs + i)));
      activation_forward(reference, act, xs + i, ys + i, count - i);
    });
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void activation_backward(cpu_t, activation act, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t n) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::activation_backward(act, x, y, dy, dx, n);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    activation_backward(reference, act, x, y, dy, dx, n);
  } else {
    detail::elementwise_parts(n, [&](std::size_t first, std::size_t count) {
      constexpr std::size_t w = cpu::simd::width<float, Arch>;
      std::size_t i = first;
      for (; i + w <= first + count; i += w) {
        const auto d = activate_derivative(act, cpu::simd::load_unaligned<Arch>(x + i),
                                           cpu::simd::load_unaligned<Arch>(y + i));
        cpu::simd::store_unaligned(dx + i, cpu::simd::load_unaligned<Arch>(dy + i) * d);
      }
      activation_backward(reference, act, x + i, y + i, dy + i, dx + i, first + count - i);
    });
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void activation_backward_from_output(cpu_t, activation act, const T* y, const T* dy, T* dx,
                                     std::size_t n) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::activation_backward_from_output(act, y, dy, dx, n);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    activation_backward_from_output(reference, act, y, dy, dx, n);
  } else {
    detail::elementwise_parts(n, [&](std::size_t first, std::size_t count) {
      constexpr std::size_t w = cpu::simd::width<float, Arch>;
      std::size_t i = first;
      for (; i + w <= first + count; i += w) {
        const auto d = derivative_from_output(act, cpu::simd::load_unaligned<Arch>(y + i));
        cpu::simd::store_unaligned(dx + i, cpu::simd::load_unaligned<Arch>(dy + i) * d);
      }
      activation_backward_from_output(reference, act, y + i, dy + i, dx + i, first + count - i);
    });
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void bias_add(cpu_t, T* y, const T* b, std::size_t rows, std::size_t cols) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::bias_add(y, b, rows, cols);
  } else if constexpr (!detail::simd_float<T, Arch>) {
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
  if constexpr (detail::dispatched<T>) {
    dispatch::column_sums(dy, db, rows, cols);
  } else if constexpr (!detail::simd_float<T, Arch>) {
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
