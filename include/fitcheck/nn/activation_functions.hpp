// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstdint>
#include <ratio>

#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/dropout.hpp>
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
  // The self-normalising constants (kernels/dropout.hpp: AlphaDropout's too).
  static constexpr double alpha = kernels::selu_alpha;
  static constexpr double scale = kernels::selu_scale;
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

// Keras 3's remaining element-wise functions. Those with a constant are written once with the
// constant as a value (the fused GPU step's table passes it from data, the type from its
// std::ratio).
struct celu_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x, T alpha) noexcept {
    return x > T(0) ? x : alpha * std::expm1(x / alpha);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T y, T alpha) noexcept {
    // e^(x / alpha) = y / alpha + 1, read off y without a second exp.
    return x > T(0) ? T(1) : y / alpha + T(1);
  }
};
template <class Alpha>
consteval bool celu_alpha_fits() {
  constexpr bool is_ratio = is_std_ratio<Alpha>;
  static_assert(is_ratio, "CELU<Alpha>: Alpha must be a std::ratio (a float cannot be a type). "
                          "Fix: CELU<std::ratio<1, 2>> for alpha = 0.5");
  if constexpr (is_ratio)
    static_assert(Alpha::num > 0, "CELU<Alpha>: alpha must be > 0 (x / alpha is taken). Fix: "
                                  "CELU<std::ratio<N, D>> with N / D > 0, e.g. Keras' default 1");
  return true;
}
template <class Alpha>
struct celu_op {
  static constexpr const char* name = "CELU";
  static constexpr kernels::map_formula formula = {static_cast<std::uint8_t>(map_kind::celu),
                                                   float(Alpha::num) / float(Alpha::den)};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return celu_formula::f(x, T(Alpha::num) / T(Alpha::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T y) noexcept {
    return celu_formula::df(x, y, T(Alpha::num) / T(Alpha::den));
  }
};

struct exponential_op {
  static constexpr const char* name = "Exponential";
  static constexpr kernels::map_formula formula = formula_of(map_kind::exponential);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return std::exp(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T, T y) noexcept {
    return y;
  }
};

// Hard and soft shrinkage: 0 on [-t, t]; the derivative there is 0, at +-t too (PyTorch's).
struct shrink_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T hard(T x, T t) noexcept {
    return x > t || x < -t ? x : T(0);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T soft(T x, T t) noexcept {
    return x > t ? x - t : x < -t ? x + t : T(0);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T t) noexcept {
    return x > t || x < -t ? T(1) : T(0);
  }
};
template <class Threshold>
consteval float shrink_threshold() {
  constexpr bool is_ratio = is_std_ratio<Threshold>;
  static_assert(is_ratio, "HardShrink / SoftShrink<Threshold>: Threshold must be a std::ratio (a "
                          "float cannot be a type). Fix: HardShrink<std::ratio<1, 2>> for 0.5");
  if constexpr (is_ratio) {
    static_assert(Threshold::num >= 0,
                  "HardShrink / SoftShrink<Threshold>: a negative threshold leaves no band to "
                  "shrink (and would move values the wrong way). Fix: a std::ratio >= 0, e.g. "
                  "Keras' default std::ratio<1, 2>");
    return float(Threshold::num) / float(Threshold::den);
  } else {
    return 0.0f;
  }
}
template <class Threshold>
struct hard_shrink_op {
  static constexpr const char* name = "HardShrink";
  static constexpr kernels::map_formula formula = {
      static_cast<std::uint8_t>(map_kind::hard_shrink), shrink_threshold<Threshold>()};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return shrink_formula::hard(x, T(Threshold::num) / T(Threshold::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return shrink_formula::df(x, T(Threshold::num) / T(Threshold::den));
  }
};
template <class Threshold>
struct soft_shrink_op {
  static constexpr const char* name = "SoftShrink";
  static constexpr kernels::map_formula formula = {
      static_cast<std::uint8_t>(map_kind::soft_shrink), shrink_threshold<Threshold>()};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return shrink_formula::soft(x, T(Threshold::num) / T(Threshold::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return shrink_formula::df(x, T(Threshold::num) / T(Threshold::den));
  }
};

struct hard_tanh_op {
  static constexpr const char* name = "HardTanh";
  static constexpr kernels::map_formula formula = formula_of(map_kind::hard_tanh);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x < T(-1) ? T(-1) : x > T(1) ? T(1) : x;
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return x > T(-1) && x < T(1) ? T(1) : T(0);
  }
};

struct log_sigmoid_op {
  static constexpr const char* name = "LogSigmoid";
  static constexpr kernels::map_formula formula = formula_of(map_kind::log_sigmoid);
  // log(sigmoid(x)) = -softplus(-x): no overflow, and exact far out on both sides.
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return -softplus_op::f(-x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return kernels::sigmoid(-x);
  }
};

struct tanh_shrink_op {
  static constexpr const char* name = "TanhShrink";
  static constexpr kernels::map_formula formula = formula_of(map_kind::tanh_shrink);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x - std::tanh(x);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    // 1 - (1 - tanh^2), as tanh^2 (x - y would lose tanh's digits where x is large).
    const T t = std::tanh(x);
    return t * t;
  }
};

struct sparse_plus_op {
  static constexpr const char* name = "SparsePlus";
  static constexpr kernels::map_formula formula = formula_of(map_kind::sparse_plus);
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return x <= T(-1) ? T(0) : x >= T(1) ? x : (x + T(1)) * (x + T(1)) / T(4);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return x <= T(-1) ? T(0) : x >= T(1) ? T(1) : (x + T(1)) / T(2);
  }
};

struct squareplus_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x, T b) noexcept {
    return (x + std::sqrt(x * x + b)) / T(2);
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T b) noexcept {
    return (T(1) + x / std::sqrt(x * x + b)) / T(2);
  }
};
template <class B>
consteval bool squareplus_b_fits() {
  constexpr bool is_ratio = is_std_ratio<B>;
  static_assert(is_ratio, "SquarePlus<B>: B must be a std::ratio (a float cannot be a type). "
                          "Fix: SquarePlus<std::ratio<4>>, Keras' default");
  if constexpr (is_ratio)
    static_assert(B::num > 0, "SquarePlus<B>: b must be > 0 (with b = 0 it is ReLU, whose "
                              "derivative at 0 this formula makes 0 / 0). Fix: "
                              "SquarePlus<std::ratio<4>>, Keras' default, or ReLU");
  return true;
}
template <class B>
struct squareplus_op {
  static constexpr const char* name = "SquarePlus";
  static constexpr kernels::map_formula formula = {static_cast<std::uint8_t>(map_kind::squareplus),
                                                   float(B::num) / float(B::den)};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return squareplus_formula::f(x, T(B::num) / T(B::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T x, T) noexcept {
    return squareplus_formula::df(x, T(B::num) / T(B::den));
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
/// x for x > 0, Alpha (e^(x / Alpha) - 1) otherwise: Keras' `celu` (alpha 1 by default).
template <class Alpha = std::ratio<1>>
struct CELU : detail::elementwise<detail::celu_op<Alpha>> {
  static_assert(detail::celu_alpha_fits<Alpha>());
};
/// e^x: Keras' `exponential`.
struct Exponential : detail::elementwise<detail::exponential_op> {};
/// x where |x| > Threshold, 0 otherwise: Keras' `hard_shrink` (threshold 0.5 by default).
template <class Threshold = std::ratio<1, 2>>
struct HardShrink : detail::elementwise<detail::hard_shrink_op<Threshold>> {
  static_assert(detail::shrink_threshold<Threshold>() >= 0);
};
/// x - Threshold above it, x + Threshold below -Threshold, 0 between: Keras' `soft_shrink`.
template <class Threshold = std::ratio<1, 2>>
struct SoftShrink : detail::elementwise<detail::soft_shrink_op<Threshold>> {
  static_assert(detail::shrink_threshold<Threshold>() >= 0);
};
/// min(max(x, -1), 1): Keras' `hard_tanh`.
struct HardTanh : detail::elementwise<detail::hard_tanh_op> {};
/// log(sigmoid(x)) = -softplus(-x), computed without overflow: Keras' `log_sigmoid`.
struct LogSigmoid : detail::elementwise<detail::log_sigmoid_op> {};
/// x - tanh(x): Keras' `tanh_shrink`.
struct TanhShrink : detail::elementwise<detail::tanh_shrink_op> {};
/// 0 for x <= -1, (x + 1)^2 / 4 between, x for x >= 1: Keras' `sparse_plus`.
struct SparsePlus : detail::elementwise<detail::sparse_plus_op> {};
/// (x + sqrt(x^2 + B)) / 2, a smooth ReLU: Keras' `squareplus` (b 4 by default).
template <class B = std::ratio<4>>
struct SquarePlus : detail::elementwise<detail::squareplus_op<B>> {
  static_assert(detail::squareplus_b_fits<B>());
};

}  // namespace fitcheck::nn
