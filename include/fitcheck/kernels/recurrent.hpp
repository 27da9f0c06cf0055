// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>

// The element-wise part of one LSTM or GRU step: the gates from their pre-activations, the new
// state, and the same backwards. The products around it (x W, h R) are GEMMs. Written once over V
// (a value or an xsimd batch): the reference loops and the vectorised CPU loops evaluate the same
// formula.
//
// One step of `rows` samples and `units` units. Row r's gates lie at z + r ldz as blocks of
// `units`: an LSTM's four in Keras' (and PyTorch's) order input, forget, cell, output; a GRU's
// three in Keras' order update, reset, candidate. An LSTM's cell state is at c + r ldc, the
// previous step's at c_prev + r ldc (null on the first step: a zero state), and its hidden state
// at h + r ldh.

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
FITCHECK_FORCE_INLINE void lstm_cell_backward(V i, V f, V g, V o, V c, V c_prev, V dh, V& dc, V& di,
                                              V& df, V& dg, V& dout) noexcept {
  const V tc = math::tanh(c);
  const V dct = dc + dh * o * (V(1) - tc * tc);
  di = dct * g * i * (V(1) - i);
  df = dct * c_prev * f * (V(1) - f);
  dg = dct * i * (V(1) - g * g);
  dout = dh * tc * o * (V(1) - o);
  dc = dct * f;
}

/// Keras' GRU cell with reset_after (its default, and PyTorch's form): the update and reset gates
/// from the input part zx and the recurrent part zh of their pre-activations, the candidate
/// tanh(zx_h + r zh_h), then h = u h_prev + (1 - u) candidate. zx's gates become the values.
template <class V>
FITCHECK_FORCE_INLINE void gru_cell(V& u, V& r, V& g, V zh_u, V zh_r, V zh_g, V h_prev,
                                    V& h) noexcept {
  u = sigmoid(V(u + zh_u));
  r = sigmoid(V(r + zh_r));
  g = math::tanh(V(g + r * zh_g));
  h = u * h_prev + (V(1) - u) * g;
}

/// The GRU step's pre-activation gradients from its gates (u, r, g), the candidate's recurrent
/// part zh_g, h_prev and dh, the hidden state's whole gradient: dx_* for the input parts, dh_*
/// for the recurrent parts (they differ only in the candidate, which r scales), and dh_prev, the
/// part of h_prev's gradient that does not pass through the recurrent product.
template <class V>
FITCHECK_FORCE_INLINE void gru_cell_backward(V u, V r, V g, V zh_g, V h_prev, V dh, V& dx_u,
                                             V& dx_r, V& dx_g, V& dh_g, V& dh_prev) noexcept {
  dx_u = dh * (h_prev - g) * u * (V(1) - u);
  dx_g = dh * (V(1) - u) * (V(1) - g * g);
  dx_r = dx_g * zh_g * r * (V(1) - r);
  dh_g = dx_g * r;
  dh_prev = dh * u;
}

/// The arguments of one LSTM step's element-wise pass.
template <class T>
struct lstm_step {
  std::size_t rows = 0, units = 0;
  T* z = nullptr;  ///< gates: pre-activations in, values out (forward)
  std::size_t ldz = 0;
  const T* c_prev = nullptr;  ///< null: the first step (a zero state)
  T* c = nullptr;             ///< this step's cell state
  std::size_t ldc = 0;
  T* h = nullptr;  ///< this step's hidden state (forward)
  std::size_t ldh = 0;
};

/// The arguments of one GRU step's element-wise pass.
template <class T>
struct gru_step {
  std::size_t rows = 0, units = 0;
  T* zx = nullptr;  ///< input parts of the pre-activations in, the gates' values out
  std::size_t ldzx = 0;
  const T* zh = nullptr;  ///< recurrent parts, h_prev R + the recurrent bias
  std::size_t ldzh = 0;
  const T* h_prev = nullptr;  ///< null: the first step (a zero state)
  T* h = nullptr;             ///< this step's hidden state, stride ldh like h_prev
  std::size_t ldh = 0;
};

/// The arguments of one GRU step's backward element-wise pass.
template <class T>
struct gru_step_grad {
  std::size_t rows = 0, units = 0;
  const T* z = nullptr;  ///< the gates' values of the forward pass
  T* dzx = nullptr;      ///< out: the input parts' gradients, stride ldz
  std::size_t ldz = 0;
  const T* zh = nullptr;  ///< the recurrent parts of the forward pass
  T* dzh = nullptr;       ///< out: the recurrent parts' gradients, stride ldzh
  std::size_t ldzh = 0;
  const T* h_prev = nullptr;  ///< null: the first step
  std::size_t ldh = 0;
  const T* dy = nullptr;  ///< the output's gradient of this step (null: none), stride ldy
  std::size_t ldy = 0;
  T* dh = nullptr;  ///< (rows, units): the next step's gradient in, h_prev's direct out
};

/// The arguments of one LSTM step's backward element-wise pass.
template <class T>
struct lstm_step_grad {
  std::size_t rows = 0, units = 0;
  const T* z = nullptr;  ///< the gates' values of the forward pass
  T* dz = nullptr;       ///< out: the pre-activations' gradients, row stride ldz
  std::size_t ldz = 0;
  const T* c_prev = nullptr;  ///< null: the first step
  const T* c = nullptr;
  std::size_t ldc = 0;
  const T* dy = nullptr;  ///< the output's gradient of this step (null: none), stride ldy
  std::size_t ldy = 0;
  const T* dh = nullptr;  ///< the hidden state's gradient from the next step, (rows, units)
  T* dc = nullptr;        ///< the cell state's gradient, (rows, units): in and out
};

namespace detail {
// Unit u of row r (with V a value) or the units from u on (V an xsimd batch), read and written
// through io: io(p) loads, io(p, v) stores.
template <class V, class Access, class T>
FITCHECK_FORCE_INLINE void lstm_forward_at(const lstm_step<T>& s, std::size_t r, std::size_t u,
                                           Access io) noexcept {
  T* z = s.z + r * s.ldz;
  V i = io(z + u), f = io(z + s.units + u), g = io(z + 2 * s.units + u),
    o = io(z + 3 * s.units + u);
  const V c_prev = s.c_prev != nullptr ? io(s.c_prev + r * s.ldc + u) : V(T(0));
  V c, h;
  lstm_cell(i, f, g, o, c_prev, c, h);
  io(z + u, i);
  io(z + s.units + u, f);
  io(z + 2 * s.units + u, g);
  io(z + 3 * s.units + u, o);
  io(s.c + r * s.ldc + u, c);
  io(s.h + r * s.ldh + u, h);
}

template <class V, class Access, class T>
FITCHECK_FORCE_INLINE void lstm_backward_at(const lstm_step_grad<T>& s, std::size_t r,
                                            std::size_t u, Access io) noexcept {
  const T* z = s.z + r * s.ldz;
  T* dz = s.dz + r * s.ldz;
  V dh = io(s.dh + r * s.units + u);
  if (s.dy != nullptr) dh = dh + io(s.dy + r * s.ldy + u);
  const V c_prev = s.c_prev != nullptr ? io(s.c_prev + r * s.ldc + u) : V(T(0));
  V dc = io(s.dc + r * s.units + u), di, df, dg, dout;
  lstm_cell_backward(io(z + u), io(z + s.units + u), io(z + 2 * s.units + u),
                     io(z + 3 * s.units + u), io(s.c + r * s.ldc + u), c_prev, dh, dc, di, df, dg,
                     dout);
  io(dz + u, di);
  io(dz + s.units + u, df);
  io(dz + 2 * s.units + u, dg);
  io(dz + 3 * s.units + u, dout);
  io(s.dc + r * s.units + u, dc);
}

template <class V, class Access, class T>
FITCHECK_FORCE_INLINE void gru_forward_at(const gru_step<T>& s, std::size_t r, std::size_t u,
                                          Access io) noexcept {
  T* zx = s.zx + r * s.ldzx;
  const T* zh = s.zh + r * s.ldzh;
  V up = io(zx + u), re = io(zx + s.units + u), g = io(zx + 2 * s.units + u);
  const V h_prev = s.h_prev != nullptr ? io(s.h_prev + r * s.ldh + u) : V(T(0));
  V h;
  gru_cell(up, re, g, io(zh + u), io(zh + s.units + u), io(zh + 2 * s.units + u), h_prev, h);
  io(zx + u, up);
  io(zx + s.units + u, re);
  io(zx + 2 * s.units + u, g);
  io(s.h + r * s.ldh + u, h);
}

template <class V, class Access, class T>
FITCHECK_FORCE_INLINE void gru_backward_at(const gru_step_grad<T>& s, std::size_t r, std::size_t u,
                                           Access io) noexcept {
  const T* z = s.z + r * s.ldz;
  T* dzx = s.dzx + r * s.ldz;
  T* dzh = s.dzh + r * s.ldzh;
  V dh = io(s.dh + r * s.units + u);
  if (s.dy != nullptr) dh = dh + io(s.dy + r * s.ldy + u);
  const V h_prev = s.h_prev != nullptr ? io(s.h_prev + r * s.ldh + u) : V(T(0));
  V dx_u, dx_r, dx_g, dh_g, dh_prev;
  gru_cell_backward(io(z + u), io(z + s.units + u), io(z + 2 * s.units + u),
                    io(s.zh + r * s.ldzh + 2 * s.units + u), h_prev, dh, dx_u, dx_r, dx_g, dh_g,
                    dh_prev);
  io(dzx + u, dx_u);
  io(dzx + s.units + u, dx_r);
  io(dzx + 2 * s.units + u, dx_g);
  io(dzh + u, dx_u);
  io(dzh + s.units + u, dx_r);
  io(dzh + 2 * s.units + u, dh_g);
  io(s.dh + r * s.units + u, dh_prev);
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
      detail::lstm_forward_at<T>(s, r, u, detail::scalar_access<T>{});
}

template <class T>
void lstm_step_backward(reference_t, const lstm_step_grad<T>& s) noexcept {
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t u = 0; u < s.units; ++u)
      detail::lstm_backward_at<T>(s, r, u, detail::scalar_access<T>{});
}

template <class T>
void gru_step_forward(reference_t, const gru_step<T>& s) noexcept {
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t u = 0; u < s.units; ++u)
      detail::gru_forward_at<T>(s, r, u, detail::scalar_access<T>{});
}

template <class T>
void gru_step_backward(reference_t, const gru_step_grad<T>& s) noexcept {
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t u = 0; u < s.units; ++u)
      detail::gru_backward_at<T>(s, r, u, detail::scalar_access<T>{});
}

namespace dispatch {
void lstm_step_forward(const lstm_step<float>& s) noexcept;
void lstm_step_backward(const lstm_step_grad<float>& s) noexcept;
void gru_step_forward(const gru_step<float>& s) noexcept;
void gru_step_backward(const gru_step_grad<float>& s) noexcept;
}  // namespace dispatch

namespace detail {
template <class Arch>
struct simd_access {
  auto operator()(const float* p) const noexcept { return cpu::simd::load_unaligned<Arch>(p); }
  void operator()(float* p, const cpu::simd::batch<float, Arch>& v) const noexcept {
    cpu::simd::store_unaligned(p, v);
  }
};

// at(value type, row, unit, access) over every row: whole vectors of units, then the rest one at
// a time, the same formula on each. Separate index ranges: g++ 12 misreads a tail loop that
// continues the vector loop's index as overflowing (-Waggressive-loop-optimizations) once
// `units` is a constant.
template <class Arch, class Step, class At>
void vector_rows(const Step& s, const At& at) noexcept {
  using B = cpu::simd::batch<float, Arch>;
  constexpr std::size_t w = cpu::simd::width<float, Arch>;
  const std::size_t vector_end = s.units - s.units % w;
  for (std::size_t r = 0; r < s.rows; ++r) {
    for (std::size_t u = 0; u < vector_end; u += w)
      at(std::type_identity<B>{}, r, u, simd_access<Arch>{});
    for (std::size_t u = vector_end; u < s.units; ++u)
      at(std::type_identity<float>{}, r, u, scalar_access<float>{});
  }
}
}  // namespace detail

// Vectorised across units for float; other element types (the gradient checks' double) take the
// reference.

template <class T, class Arch = cpu::simd::default_arch>
void lstm_step_forward(cpu_t, const lstm_step<T>& s) noexcept {
  if constexpr (detail::dispatched<T>)
    dispatch::lstm_step_forward(s);
  else if constexpr (!detail::simd_float<T, Arch>)
    lstm_step_forward(reference, s);
  else
    detail::vector_rows<Arch>(s, [&](auto v, std::size_t r, std::size_t u, auto access) {
      detail::lstm_forward_at<typename decltype(v)::type>(s, r, u, access);
    });
}

template <class T, class Arch = cpu::simd::default_arch>
void lstm_step_backward(cpu_t, const lstm_step_grad<T>& s) noexcept {
  if constexpr (detail::dispatched<T>)
    dispatch::lstm_step_backward(s);
  else if constexpr (!detail::simd_float<T, Arch>)
    lstm_step_backward(reference, s);
  else
    detail::vector_rows<Arch>(s, [&](auto v, std::size_t r, std::size_t u, auto access) {
      detail::lstm_backward_at<typename decltype(v)::type>(s, r, u, access);
    });
}

template <class T, class Arch = cpu::simd::default_arch>
void gru_step_forward(cpu_t, const gru_step<T>& s) noexcept {
  if constexpr (detail::dispatched<T>)
    dispatch::gru_step_forward(s);
  else if constexpr (!detail::simd_float<T, Arch>)
    gru_step_forward(reference, s);
  else
    detail::vector_rows<Arch>(s, [&](auto v, std::size_t r, std::size_t u, auto access) {
      detail::gru_forward_at<typename decltype(v)::type>(s, r, u, access);
    });
}

template <class T, class Arch = cpu::simd::default_arch>
void gru_step_backward(cpu_t, const gru_step_grad<T>& s) noexcept {
  if constexpr (detail::dispatched<T>)
    dispatch::gru_step_backward(s);
  else if constexpr (!detail::simd_float<T, Arch>)
    gru_step_backward(reference, s);
  else
    detail::vector_rows<Arch>(s, [&](auto v, std::size_t r, std::size_t u, auto access) {
      detail::gru_backward_at<typename decltype(v)::type>(s, r, u, access);
    });
}

}  // namespace fitcheck::kernels
