// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
struct gelu_op {
  static constexpr const char* name = "GELU";
  static constexpr kernels::map_formula formula = formula_of(map_kind::gelu);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return T(0.5) * x * (T(1) + std::erf(x * T(0.70710678118654752440)));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    // d/dx x Phi(x) = Phi(x) + x phi(x).
    const T cdf = T(0.5) * (T(1) + std::erf(x * T(0.70710678118654752440)));
    const T pdf = T(0.39894228040143267794) * std::exp(T(-0.5) * x * x);
    return cdf + x * pdf;
  }
};
}  // namespace detail

/// x Phi(x), Phi the standard normal CDF: the exact (erf) form, Keras' default
/// (approximate=false).
struct GELU : detail::elementwise<detail::gelu_op> {};

}  // namespace fitcheck::nn
