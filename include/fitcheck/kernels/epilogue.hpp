// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>

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

/// The epilogue of element (i, j), scalar: the one definition every backend's tail follows.
template <class T>
FITCHECK_HOST_DEVICE T finish(const epilogue<T>& e, std::size_t i, std::size_t j, T z) noexcept {
  if (e.bias != nullptr) z += e.bias[j];
  if (e.pre != nullptr) e.pre[i * e.ldpre + j] = z;
  z = activate(e.act, z);
  if (e.dact != activation::identity) z *= derivative_from_output(e.dact, e.y[i * e.ldy + j]);
  return z;
}

}  // namespace fitcheck::kernels
