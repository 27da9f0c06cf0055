// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>

// The element-wise part of one LSTM step: the gates from their pre-activations, the new cell and
// hidden state, and the same backwards. The products around it (x W, h R) are GEMMs. Written once
// over V (a value or an xsimd batch): the reference loops and the vectorised CPU loops evaluate
// the same formula.
//
// One step of `rows` samples and `units` units. Row r's gates lie at z + r ldz as four blocks of
// `units`, in Keras' (and PyTorch's) order: input, forget, cell, output. Its cell state is at
// c + r ldc, the previous step's at c_prev + r ldc (null on the first step: a zero state), and its
// hidden state at h + r ldh.

namespace fitcheck::kernels {

/// i, f, g, o from their pre-activations (in place), then c = i g + f c_prev and h = o tanh(c).
template <class V>
FITCHECK_FORCE_INLINE void lstm_cell(V& i, V& f, V& g, V& o, V c_prev, V& c, V& h) noexcept {
  i = sigmoid(i);
  f = sigmoid(f);
  g = math::tanh(g);
  o = sigmoid(o);
  c = i * g + f * c_prev;
  h = o * math::tanh(c);
}

/// The pre-activation gradients of one step from its gates, its cell states and dh, the
/// hidden state's whole gradient (the output's and the next step's); dc carries the cell
/// state's gradient from the next step in, and to the previous step out.
template <class V>
FITCHECK_FORCE_INLINE void lstm_cell_backward(V i, V f, V g, V o, V c, V c_prev, V dh, V& dc,
                                              V& di, V& df, V& dg, V& dout) noexcept {
  const V tc = math::tanh(c);
  const V dct = dc + dh * o * (V(1) - tc * tc);
  di = dct * g * i * (V(1) - i);
  df = dct * c_prev * f * (V(1) - f);
  dg = dct * i * (V(1) - g * g);
  dout = dh * tc * o * (V(1) - o);
  dc = dct * f;
}

/// The arguments of one step's element-wise pass.
template <class T>
struct lstm_step {
  std::size_t rows = 0, units = 0;
  T* z = nullptr;                 ///< gates: pre-activations in, values out (forward)
  std::size_t ldz = 0;
  const T* c_prev = nullptr;      ///< null: the first step (a zero state)
  T* c = nullptr;                 ///< this step's cell state
  std::size_t ldc = 0;
  T* h = nullptr;                 ///< this step's hidden state (forward)
  std::size_t ldh = 0;
};

/// The arguments of one step's backward element-wise pass.
template <class T>
struct lstm_step_grad {
  std::size_t rows = 0, units = 0;
  const T* z = nullptr;      ///< the gates' values of the forward pass
  T* dz = nullptr;           ///< out: the pre-activations' gradients, row stride ldz
  std::size_t ldz = 0;
  const T* c_prev = nullptr; ///< null: the first step
  const T* c = nullptr;
  std::size_t ldc = 0;
  const T* dy = nullptr;     ///< the output's gradient of this step (null: none), stride ldy
  std::size_t ldy = 0;
  const T* dh = nullptr;     ///< the hidden state's gradient from the next step, (rows, units)
  T* dc = nullptr;           ///< the cell state's gradient, (rows, units): in and out
};

namespace detail {
// Columns [u, u + 1) of row r as values; the vector loops call the same two functions on
// batches of columns.
template <class V, class Load, class Store, class T>
FITCHECK_FORCE_INLINE void lstm_forward_at(const lstm_step<T>& s, std::size_t r, std::size_t u,
                                           Load load, Store store) noexcept {
  T* z = s.z + r * s.ldz;
  V i = load(z + u), f = load(z + s.units + u), g = load(z + 2 * s.units + u),
    o = load(z + 3 * s.units + u);
  const V c_prev = s.c_prev != nullptr ? load(s.c_prev + r * s.ldc + u) : V(T(0));
  V c, h;
  lstm_cell(i, f, g, o, c_prev, c, h);
  store(z + u, i);
  store(z + s.units + u, f);
  store(z + 2 * s.units + u, g);
  store(z + 3 * s.units + u, o);
  store(s.c + r * s.ldc + u, c);
  store(s.h + r * s.ldh + u, h);
}

template <class V, class Load, class Store, class T>
FITCHECK_FORCE_INLINE void lstm_backward_at(const lstm_step_grad<T>& s, std::size_t r,
                                            std::size_t u, Load load, Store store) noexcept {
  const T* z = s.z + r * s.ldz;
  T* dz = s.dz + r * s.ldz;
  V dh = load(s.dh + r * s.units + u);
  if (s.dy != nullptr) dh = dh + load(s.dy + r * s.ldy + u);
  const V c_prev = s.c_prev != nullptr ? load(s.c_prev + r * s.ldc + u) : V(T(0));
  V dc = load(s.dc + r * s.units + u), di, df, dg, dout;
  lstm_cell_backward(load(z + u), load(z + s.units + u), load(z + 2 * s.units + u),
                     load(z + 3 * s.units + u), load(s.c + r * s.ldc + u), c_prev, dh, dc, di, df,
                     dg, dout);
  store(dz + u, di);
  store(dz + s.units + u, df);
  store(dz + 2 * s.units + u, dg);
  store(dz + 3 * s.units + u, dout);
  store(s.dc + r * s.units + u, dc);
}

template <class T>
struct scalar_access {
  T operator()(const T* p) const noexcept { return *p; }
  void operator()(T* p, T v) const noexcept { *p = v; }
};
}  // namespace detail

template <class T>
void lstm_step_forward(reference_t, const lstm_step<T>& s) noexcept {
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t u = 0; u < s.units; ++u)
      detail::lstm_forward_at<T>(s, r, u, detail::scalar_access<T>{}, detail::scalar_access<T>{});
}

template <class T>
void lstm_step_backward(reference_t, const lstm_step_grad<T>& s) noexcept {
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t u = 0; u < s.units; ++u)
      detail::lstm_backward_at<T>(s, r, u, detail::scalar_access<T>{},
                                  detail::scalar_access<T>{});
}

namespace dispatch {
void lstm_step_forward(const lstm_step<float>& s) noexcept;
void lstm_step_backward(const lstm_step_grad<float>& s) noexcept;
}  // namespace dispatch

namespace detail {
template <class Arch>
struct simd_access {
  auto operator()(const float* p) const noexcept { return cpu::simd::load_unaligned<Arch>(p); }
  void operator()(float* p, const cpu::simd::batch<float, Arch>& v) const noexcept {
    cpu::simd::store_unaligned(p, v);
  }
};

// Whole vectors of units, then the rest one at a time: the same formula on each. Separate index
// ranges: g++ 12 misreads a tail loop that continues the vector loop's index as overflowing
// (-Waggressive-loop-optimizations) once `units` is a constant.
template <class Arch, class Step, class At, class AtScalar>
void lstm_rows(const Step& s, At at, AtScalar at_scalar) noexcept {
  constexpr std::size_t w = cpu::simd::width<float, Arch>;
  const std::size_t vector_end = s.units - s.units % w;
  for (std::size_t r = 0; r < s.rows; ++r) {
    for (std::size_t u = 0; u < vector_end; u += w) at(r, u);
    for (std::size_t u = vector_end; u < s.units; ++u) at_scalar(r, u);
  }
}
}  // namespace detail

/// Vectorised across units for float; other element types (the gradient checks' double) take
/// the reference.
template <class T, class Arch = cpu::simd::default_arch>
void lstm_step_forward(cpu_t, const lstm_step<T>& s) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::lstm_step_forward(s);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    lstm_step_forward(reference, s);
  } else {
    using B = cpu::simd::batch<float, Arch>;
    detail::lstm_rows<Arch>(
        s,
        [&](std::size_t r, std::size_t u) {
          detail::lstm_forward_at<B>(s, r, u, detail::simd_access<Arch>{},
                                     detail::simd_access<Arch>{});
        },
        [&](std::size_t r, std::size_t u) {
          detail::lstm_forward_at<float>(s, r, u, detail::scalar_access<float>{},
                                         detail::scalar_access<float>{});
        });
  }
}

template <class T, class Arch = cpu::simd::default_arch>
void lstm_step_backward(cpu_t, const lstm_step_grad<T>& s) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::lstm_step_backward(s);
  } else if constexpr (!detail::simd_float<T, Arch>) {
    lstm_step_backward(reference, s);
  } else {
    using B = cpu::simd::batch<float, Arch>;
    detail::lstm_rows<Arch>(
        s,
        [&](std::size_t r, std::size_t u) {
          detail::lstm_backward_at<B>(s, r, u, detail::simd_access<Arch>{},
                                      detail::simd_access<Arch>{});
        },
        [&](std::size_t r, std::size_t u) {
          detail::lstm_backward_at<float>(s, r, u, detail::scalar_access<float>{},
                                          detail::scalar_access<float>{});
        });
  }
}

}  // namespace fitcheck::kernels
