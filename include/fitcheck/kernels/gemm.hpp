// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>

#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#if !FITCHECK_DISPATCHED
#include <fitcheck/kernels/cpu/gemm.hpp>
#endif
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/epilogue.hpp>

// C = alpha * op(A) * op(B) + beta * C, row-major, with op(X) = X or its transpose, then an
// optional epilogue (epilogue.hpp: bias, activation, pre-activation, an activation's
// derivative). Training needs all three products of a dense layer without materialising a
// transpose:
//   forward       Y  = act(X W + b)          (no, no)   epilogue: bias, act
//   input grad    dX = (dY W^T) * f'(X)      (no, trans) epilogue: the derivative of the
//                                                        activation that produced X
//   weight grad   dW = X^T dY                (trans, no)
// `lda`, `ldb`, `ldc` are the row strides of A, B, C as stored.

namespace fitcheck::kernels {

/// The reference: three loops, double accumulation for float, any element type; then the
/// epilogue element by element.
template <class T>
void gemm(reference_t, const gemm_args& g, T alpha, const T* a, std::size_t lda, const T* b,
          std::size_t ldb, T beta, T* c, std::size_t ldc,
          const epilogue<T>& epi = {}) noexcept {
  using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;
  for (std::size_t i = 0; i < g.m; ++i) {
    for (std::size_t j = 0; j < g.n; ++j) {
      Acc s = 0;
      for (std::size_t p = 0; p < g.k; ++p) {
        const T av = g.ta == trans::no ? a[i * lda + p] : a[p * lda + i];
        const T bv = g.tb == trans::no ? b[p * ldb + j] : b[j * ldb + p];
        s += Acc(av) * Acc(bv);
      }
      T& out = c[i * ldc + j];
      out = finish(epi, i, j, static_cast<T>(alpha * T(s) + (beta == T(0) ? T(0) : beta * out)));
    }
  }
}

namespace dispatch {
void gemm(const gemm_args& g, float alpha, const float* a, std::size_t lda, const float* b,
          std::size_t ldb, float beta, float* c, std::size_t ldc,
          const epilogue<float>& epi) noexcept;
}  // namespace dispatch

namespace cpu {
// Defined by cpu/gemm.hpp, which a dispatching file does not parse (it runs dispatch::gemm).
template <class Arch>
void gemm_packed(const gemm_args& g, float alpha, const float* a, std::size_t lda, const float* b,
                 std::size_t ldb, float beta, float* c, std::size_t ldc,
                 const epilogue<float>* epi);
}  // namespace cpu

/// The packed, register-tiled xsimd GEMM (cpu/gemm.hpp) for float; other element types (the
/// gradient checks' double) take the reference.
template <class T, class Arch = cpu::simd::default_arch>
void gemm(cpu_t, const gemm_args& g, T alpha, const T* a, std::size_t lda, const T* b,
          std::size_t ldb, T beta, T* c, std::size_t ldc, const epilogue<T>& epi = {}) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::gemm(g, alpha, a, lda, b, ldb, beta, c, ldc, epi);
  } else if constexpr (std::is_same_v<T, float> && cpu::simd::available<Arch>) {
    cpu::gemm_packed<Arch>(g, alpha, a, lda, b, ldb, beta, c, ldc, &epi);
  } else {
    gemm(reference, g, alpha, a, lda, b, ldb, beta, c, ldc, epi);
  }
}

/// C = act(op(A) op(B) + bias), bias a row vector of n entries (null: none). When `pre` is not
/// null it receives op(A) op(B) + bias, the pre-activation; it has the same row stride ldc as
/// C and must not overlap C.
template <class Backend, class T>
void gemm_bias_act(Backend be, const gemm_args& g, const T* a, std::size_t lda, const T* b,
                   std::size_t ldb, const T* bias, activation act, T* pre, T* c,
                   std::size_t ldc) noexcept {
  gemm(be, g, T(1), a, lda, b, ldb, T(0), c, ldc,
       epilogue<T>{.bias = bias, .act = act, .pre = pre, .ldpre = ldc});
}

}  // namespace fitcheck::kernels
