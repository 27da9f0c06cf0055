// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstdint>
#include <ratio>

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Alpha>
consteval bool leaky_relu_alpha_fits() {
  constexpr bool is_ratio = is_std_ratio<Alpha>;
  static_assert(is_ratio, "LeakyReLU<Alpha>: Alpha must be a std::ratio (a float cannot be a "
                          "type). Fix: LeakyReLU<std::ratio<1, 5>> for a slope of 0.2");
  if constexpr (is_ratio) {
    static_assert(Alpha::num >= 0,
                  "LeakyReLU<Alpha>: the negative slope must not be negative (Keras rejects it "
                  "too: the function would fold negative inputs onto positive outputs). Fix: "
                  "LeakyReLU<std::ratio<N, D>> with N / D >= 0, e.g. the default 3/10");
  }
  return true;
}

// The formulas with the slope as a value (the fused GPU step's table reads it from data).
struct leaky_relu_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x, T alpha) noexcept {
    return x > T(0) ? x : x * alpha;
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T alpha) noexcept {
    return x > T(0) ? T(1) : alpha;
  }
};

template <class Alpha>
struct leaky_relu_op {
  static constexpr const char* name = "LeakyReLU";
  static constexpr kernels::map_formula formula = {
      static_cast<std::uint8_t>(map_kind::leaky_relu), float(Alpha::num) / float(Alpha::den)};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return leaky_relu_formula::f(x, T(Alpha::num) / T(Alpha::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return leaky_relu_formula::df(x, T(Alpha::num) / T(Alpha::den));
  }
};
}  // namespace detail

/// x for x > 0, Alpha * x otherwise; the default slope 0.3 is Keras' `negative_slope`.
template <class Alpha = std::ratio<3, 10>>
struct LeakyReLU : detail::elementwise<detail::leaky_relu_op<Alpha>> {
  static_assert(detail::leaky_relu_alpha_fits<Alpha>());
  /// The slope parameter, a std::ratio.
  using alpha = Alpha;
};

}  // namespace fitcheck::nn
