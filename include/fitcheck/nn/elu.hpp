// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstdint>
#include <ratio>

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Alpha>
consteval bool elu_alpha_fits() {
  constexpr bool is_ratio = is_std_ratio<Alpha>;
  static_assert(is_ratio, "ELU<Alpha>: Alpha must be a std::ratio (a float cannot be a type). "
                          "Fix: ELU<std::ratio<1, 2>> for alpha = 0.5");
  if constexpr (is_ratio) {
    static_assert(Alpha::num >= 0,
                  "ELU<Alpha>: a negative alpha makes the function fall and then rise, so it "
                  "is no longer monotone. Fix: ELU<std::ratio<N, D>> with N / D >= 0, e.g. the "
                  "default ELU<> (alpha = 1)");
  }
  return true;
}

// The formulas with alpha as a value (the fused GPU step's table reads it from data).
struct elu_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x, T alpha) noexcept {
    // expm1 keeps the small negative values accurate, where exp(x) - 1 cancels.
    return x > T(0) ? x : alpha * std::expm1(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T y, T alpha) noexcept {
    // alpha (exp(x) - 1) + alpha = alpha exp(x), read off y without a second exp.
    return x > T(0) ? T(1) : y + alpha;
  }
};

template <class Alpha>
struct elu_op {
  static constexpr const char* name = "ELU";
  static constexpr kernels::map_formula formula = {static_cast<std::uint8_t>(map_kind::elu),
                                                   float(Alpha::num) / float(Alpha::den)};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return elu_formula::f(x, T(Alpha::num) / T(Alpha::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T y) noexcept {
    return elu_formula::df(x, y, T(Alpha::num) / T(Alpha::den));
  }
};
}  // namespace detail

/// x for x > 0, Alpha (exp(x) - 1) otherwise; Keras' ELU with its default alpha = 1.
template <class Alpha = std::ratio<1>>
struct ELU : detail::elementwise<detail::elu_op<Alpha>> {
  static_assert(detail::elu_alpha_fits<Alpha>());
  /// The slope parameter, a std::ratio.
  using alpha = Alpha;
};

}  // namespace fitcheck::nn
