// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>

#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/layer.hpp>

// Keras' other activation functions (keras.activations: silu, softplus, softsign, selu, mish,
// relu6, hard_sigmoid, hard_silu) as layers, each an element-wise formula and its derivative
// written once for every backend. Derivatives at a kink are PyTorch's (the side it takes).

namespace fitcheck::nn {

namespace detail {
struct silu_op {
  static constexpr const char* name = "SiLU";
  static constexpr kernels::map_formula formula = formula_of(map_kind::silu);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x * kernels::sigmoid(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    const T s = kernels::sigmoid(x);
    return s * (T(1) + x * (T(1) - s));
  }
};

struct softplus_op {
  static constexpr const char* name = "Softplus";
  static constexpr kernels::map_formula formula = formula_of(map_kind::softplus);
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow, and exact far out on both sides.
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return kernels::sigmoid(x);
  }
};

struct softsign_op {
  static constexpr const char* name = "Softsign";
  static constexpr kernels::map_formula formula = formula_of(map_kind::softsign);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x / (T(1) + std::abs(x));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    const T d = T(1) + std::abs(x);
    return T(1) / (d * d);
  }
};

struct selu_op {
  static constexpr const char* name = "SELU";
  static constexpr kernels::map_formula formula = formula_of(map_kind::selu);
  // The self-normalising constants (Klambauer et al. 2017), to double precision.
  static constexpr double alpha = 1.6732632423543772848170429916717;
  static constexpr double scale = 1.0507009873554804934193349852946;
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x > T(0) ? T(scale) * x : T(scale * alpha) * std::expm1(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T y) noexcept {
    // scale alpha e^x = y + scale alpha, read off y without a second exp.
    return x > T(0) ? T(scale) : y + T(scale * alpha);
  }
};

struct mish_op {
  static constexpr const char* name = "Mish";
  static constexpr kernels::map_formula formula = formula_of(map_kind::mish);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x * std::tanh(softplus_op::f(x));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    // tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x).
    const T t = std::tanh(softplus_op::f(x));
    return t + x * (T(1) - t * t) * kernels::sigmoid(x);
  }
};

struct relu6_op {
  static constexpr const char* name = "ReLU6";
  static constexpr kernels::map_formula formula = formula_of(map_kind::relu6);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x < T(0) ? T(0) : x > T(6) ? T(6) : x;
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return x > T(0) && x < T(6) ? T(1) : T(0);
  }
};

struct hard_sigmoid_op {
  static constexpr const char* name = "HardSigmoid";
  static constexpr kernels::map_formula formula = formula_of(map_kind::hard_sigmoid);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return relu6_op::f(x + T(3)) / T(6);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return x > T(-3) && x < T(3) ? T(1) / T(6) : T(0);
  }
};

struct hard_silu_op {
  static constexpr const char* name = "HardSiLU";
  static constexpr kernels::map_formula formula = formula_of(map_kind::hard_silu);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x * hard_sigmoid_op::f(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return x < T(-3) ? T(0) : x < T(3) ? x / T(3) + T(0.5) : T(1);
  }
};
}  // namespace detail

/// x sigmoid(x): Keras' `silu` (also `swish`), EfficientNet's and many transformers' activation.
struct SiLU : detail::elementwise<detail::silu_op> {};
/// log(1 + e^x), computed without overflow: Keras' `softplus`.
struct Softplus : detail::elementwise<detail::softplus_op> {};
/// x / (1 + |x|): Keras' `softsign`.
struct Softsign : detail::elementwise<detail::softsign_op> {};
/// scale x for x > 0, scale alpha (e^x - 1) otherwise, the self-normalising constants: Keras'
/// `selu` (with `lecun_normal` weights in Keras; fitcheck's nearest is `lecun_uniform`).
struct SELU : detail::elementwise<detail::selu_op> {};
/// x tanh(softplus(x)): Keras' `mish`.
struct Mish : detail::elementwise<detail::mish_op> {};
/// min(max(x, 0), 6): Keras' `relu6` (MobileNet's).
struct ReLU6 : detail::elementwise<detail::relu6_op> {};
/// relu6(x + 3) / 6: Keras 3's `hard_sigmoid` (Keras 2's was 0.2 x + 0.5) and PyTorch's.
struct HardSigmoid : detail::elementwise<detail::hard_sigmoid_op> {};
/// x relu6(x + 3) / 6: Keras' `hard_silu` (also `hard_swish`), MobileNetV3's.
struct HardSiLU : detail::elementwise<detail::hard_silu_op> {};

}  // namespace fitcheck::nn
