// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/math.hpp>

// The GEMM's arguments and its epilogue, shared by every backend.

namespace fitcheck::kernels {

enum class trans : bool { no, yes };

struct gemm_args {
  trans ta = trans::no;
  trans tb = trans::no;
  std::size_t m = 0, n = 0, k = 0;  ///< op(A) is m x k, op(B) k x n, C m x n
};

/// What happens to each finished element z of alpha op(A) op(B) + beta C, in this order:
/// z += bias[j]; pre(i, j) = z; z = act(z); z *= dact'(y(i, j)), the derivative of `dact`
/// written from that activation's output y. The last is the backward of an activation fused
/// into the GEMM that produces its incoming gradient (ReLU, sigmoid and tanh have derivatives
/// in their output alone), so a dense layer's backward needs no separate activation pass.
template <class T>
struct epilogue {
  const T* bias = nullptr;  ///< n values, one per column
  activation act = activation::identity;
  T* pre = nullptr;  ///< receives z before `act` (row stride ldpre); must not overlap C
  std::size_t ldpre = 0;
  activation dact = activation::identity;
  const T* y = nullptr;  ///< dact's output, row stride ldy
  std::size_t ldy = 0;

  [[nodiscard]] constexpr bool empty() const noexcept {
    return bias == nullptr && act == activation::identity && pre == nullptr &&
           dact == activation::identity;
  }
};

/// v as a product's operand under precision `p`: rounded to nearest (ties to even) to TF32's or
/// bfloat16's mantissa, as the tensor cores read it; float32 and other types unchanged. NaN and
/// infinity pass through.
template <class T>
FITCHECK_HOST_DEVICE inline T operand(precision p, T v) noexcept {
  if constexpr (!std::is_same_v<T, float>) {
    return v;
  } else {
    if (p == precision::float32) return v;
    std::uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    if ((bits & 0x7F800000u) == 0x7F800000u) return v;
    const unsigned drop = p == precision::tf32 ? 13u : 16u;  // of float's 23 mantissa bits
    bits += (1u << (drop - 1u)) - 1u + ((bits >> drop) & 1u);
    bits &= ~((1u << drop) - 1u);
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
}

/// The epilogue of element (i, j), or of the batch of elements (i, j .. j + lanes) when V is an
/// xsimd batch: the one definition every backend's GEMM applies.
template <class T, class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V finish(const epilogue<T>& e, std::size_t i,
                                                    std::size_t j, V z) noexcept {
  if (e.bias != nullptr) z = z + math::load<V>(e.bias + j);
  if (e.pre != nullptr) math::store(e.pre + i * e.ldpre + j, z);
  if (e.act != activation::identity) z = activate(e.act, z);
  if (e.dact != activation::identity)
    z = z * derivative_from_output(e.dact, math::load<V>(e.y + i * e.ldy + j));
  return z;
}

}  // namespace fitcheck::kernels
