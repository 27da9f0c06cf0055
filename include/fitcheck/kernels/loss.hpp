// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>

// The losses' formulas, each written once: `loss_term` is one term of the mean (an output value,
// or a row for the softmax cross-entropies) and, when asked, its part of dL/d(output). The host
// loop below and the cuda backend's reduction (kernels/gpu/loss.hpp) both sum these terms.
// Probability forms clip at 1e-7 as Keras does; the logits forms are the numerically stable ones.

namespace fitcheck::kernels {

/// The losses, as the kernels know them (nn/losses.hpp gives each its user-facing type).
enum class loss_kind : unsigned char {
  binary_crossentropy,
  sparse_categorical_crossentropy,
  categorical_crossentropy,
  mean_squared_error,
  mean_absolute_error,
  huber,
};

/// The number of terms the mean loss averages: one per row for the softmax cross-entropies, one
/// per output value otherwise.
FITCHECK_HOST_DEVICE inline std::size_t loss_terms(loss_kind kind, std::size_t batch,
                                                   std::size_t width) noexcept {
  const bool rows = kind == loss_kind::sparse_categorical_crossentropy ||
                    kind == loss_kind::categorical_crossentropy;
  return rows ? batch : batch * width;
}

/// The binary cross-entropy of a logit z against a label y, max(z, 0) - z y + log(1 + e^-|z|)
/// (stable for any z), and its derivative in z, sigmoid(z) - y. Written over V, a value or an
/// xsimd batch (kernels/math.hpp): the reference term below and the vectorised CPU loop share it.
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V bce_from_logit(V z, V y) noexcept {
  return math::max(z, V(0)) - z * y + math::log1p(math::exp(V(-math::abs(z))));
}
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE V bce_from_logit_derivative(V z, V y) noexcept {
  return sigmoid(z) - y;
}

/// Keras' `class_weight`: `weight[c]` multiplies the loss terms (and their gradients) of every
/// sample of class c, c in [0, classes). The mean still divides by the batch's terms, not by the
/// weights' sum (Keras' sum-over-batch-size reduction; PyTorch's `weight=` divides by the sum).
/// A null `weight` weighs every sample 1.
template <class T>
struct class_weights {
  const T* weight = nullptr;
  std::size_t classes = 0;
};

/// Term i of a loss over `batch` rows of `width` outputs `o` (probabilities, or logits when
/// `logits`) with labels `y` (a class index per row for the sparse form, else one per output).
/// Writes its part of dL/do into `grad` unless null; each term writes only its own element or
/// row, so terms may run in parallel.
template <class T, class Y>
struct loss_term {
  loss_kind kind;
  bool logits;
  const T* o;
  const Y* y;
  T* grad;
  std::size_t batch, width;
  T delta;  ///< Huber's
  class_weights<T> weights;

  FITCHECK_HOST_DEVICE T operator()(std::size_t i) const {
    if (weights.weight) return weighted(i);
    switch (kind) {
      case loss_kind::sparse_categorical_crossentropy:
      case loss_kind::categorical_crossentropy: return row(i);
      default: return element(i);
    }
  }

  // The term times its sample's class weight; it has written only its own gradient entries, so
  // they are scaled in place.
  FITCHECK_HOST_DEVICE T weighted(std::size_t i) const {
    const bool rows = kind == loss_kind::sparse_categorical_crossentropy ||
                      kind == loss_kind::categorical_crossentropy;
    const T term = rows ? row(i) : element(i);
    const T w = weight_of(rows ? i : i / width);
    if (grad) {
      T* g = rows ? grad + i * width : grad + i;
      for (std::size_t j = 0, n = rows ? width : 1; j < n; ++j) g[j] *= w;
    }
    return term * w;
  }

  // The class of row r: its index (sparse labels, one 0/1 value), else the arg-max of its one-hot
  // values; a value outside [0, classes) (refused where the data enters) weighs 1.
  FITCHECK_HOST_DEVICE T weight_of(std::size_t r) const {
    std::size_t c = 0;
    if (kind == loss_kind::sparse_categorical_crossentropy || width == 1) {
      c = static_cast<std::size_t>(y[r]);
    } else {
      const Y* yr = y + r * width;
      for (std::size_t j = 1; j < width; ++j) c = yr[j] > yr[c] ? j : c;
    }
    return c < weights.classes ? weights.weight[c] : T(1);
  }

  FITCHECK_HOST_DEVICE static T clip(T p) {
    const T eps = T(1e-7);
    return p < eps ? eps : (p > T(1) - eps ? T(1) - eps : p);
  }
  FITCHECK_HOST_DEVICE static T floor(T p) { return p > T(1e-7) ? p : T(1e-7); }
  FITCHECK_HOST_DEVICE static T log_sum_exp(const T* z, std::size_t k) {
    T m = z[0];
    for (std::size_t j = 1; j < k; ++j) m = z[j] > m ? z[j] : m;
    T s = T(0);
    for (std::size_t j = 0; j < k; ++j) s += std::exp(z[j] - m);
    return m + std::log(s);
  }

  FITCHECK_HOST_DEVICE T element(std::size_t i) const {
    const T n = T(batch * width);
    const T yi = static_cast<T>(y[i]);
    const T v = o[i];
    switch (kind) {
      case loss_kind::binary_crossentropy: {
        if (logits) {
          if (grad) grad[i] = bce_from_logit_derivative(v, yi) / n;
          return bce_from_logit(v, yi);
        }
        const T p = clip(v);
        if (grad) grad[i] = (p - yi) / (p * (T(1) - p)) / n;
        return -(yi * std::log(p) + (T(1) - yi) * std::log(T(1) - p));
      }
      case loss_kind::mean_squared_error: {
        const T d = v - yi;
        if (grad) grad[i] = T(2) * d / n;
        return d * d;
      }
      case loss_kind::mean_absolute_error: {
        // The subgradient at d == 0 is 0, as TF picks.
        const T d = v - yi;
        if (grad) grad[i] = T((d > T(0)) - (d < T(0))) / n;
        return std::abs(d);
      }
      case loss_kind::huber: {
        const T d = v - yi;
        const T a = std::abs(d);
        if (a <= delta) {
          if (grad) grad[i] = d / n;
          return T(0.5) * d * d;
        }
        if (grad) grad[i] = (d > T(0) ? delta : -delta) / n;
        return delta * (a - T(0.5) * delta);
      }
      default: break;
    }
    return T(0);
  }

  FITCHECK_HOST_DEVICE T row(std::size_t r) const {
    const std::size_t k = width;
    const T nb = T(batch);
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    if (kind == loss_kind::sparse_categorical_crossentropy) {
      const auto c = static_cast<std::size_t>(y[r]);
      if (!logits) {
        const T pc = floor(zr[c]);
        if (gr) {
          for (std::size_t j = 0; j < k; ++j) gr[j] = T(0);
          gr[c] = -T(1) / (pc * nb);
        }
        return -std::log(pc);
      }
      const T lse = log_sum_exp(zr, k);
      if (gr)
        for (std::size_t j = 0; j < k; ++j) gr[j] = (std::exp(zr[j] - lse) - T(j == c)) / nb;
      return lse - zr[c];
    }
    const Y* yr = y + r * k;
    T sum = T(0);
    if (!logits) {
      for (std::size_t j = 0; j < k; ++j) {
        const T pj = floor(zr[j]);
        const T yj = static_cast<T>(yr[j]);
        sum -= yj * std::log(pj);
        if (gr) gr[j] = -yj / (pj * nb);
      }
      return sum;
    }
    // Labels need not sum to 1 (label smoothing, soft targets): the gradient keeps their sum.
    const T lse = log_sum_exp(zr, k);
    T ysum = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      sum -= static_cast<T>(yr[j]) * (zr[j] - lse);
      ysum += static_cast<T>(yr[j]);
    }
    if (gr)
      for (std::size_t j = 0; j < k; ++j)
        gr[j] = (ysum * std::exp(zr[j] - lse) - static_cast<T>(yr[j])) / nb;
    return sum;
  }
};

namespace detail {
// The terms' sum with the kind a constant, so that each loss's loop has no switch in it.
template <loss_kind Kind, class T, class Y>
T loss_sum(bool logits, const T* o, const Y* y, T* grad, std::size_t batch, std::size_t width,
           T delta, class_weights<T> weights, std::size_t count) noexcept {
  const loss_term<T, Y> term{Kind, logits, o, y, grad, batch, width, delta, weights};
  T sum = T(0);
  for (std::size_t i = 0; i < count; ++i) sum += term(i);
  return sum;
}
}  // namespace detail

/// Mean loss of `kind` over a batch (see loss_term); writes dL/do into `grad` unless it is null.
/// The terms are added in order, in T. Host memory; the cpu backend takes this loop too (a loss
/// is a few values per sample next to the layers' products).
template <class T, class Y>
T loss(reference_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad,
       std::size_t batch, std::size_t width, T delta = T(1),
       class_weights<T> weights = {}) noexcept {
  const std::size_t n = loss_terms(kind, batch, width);
  if (n == 0) return T(0);
  T sum = T(0);
  switch (kind) {
    case loss_kind::binary_crossentropy:
      sum = detail::loss_sum<loss_kind::binary_crossentropy>(logits, o, y, grad, batch, width,
                                                             delta, weights, n);
      break;
    case loss_kind::sparse_categorical_crossentropy:
      sum = detail::loss_sum<loss_kind::sparse_categorical_crossentropy>(logits, o, y, grad,
                                                                         batch, width, delta, weights, n);
      break;
    case loss_kind::categorical_crossentropy:
      sum = detail::loss_sum<loss_kind::categorical_crossentropy>(logits, o, y, grad, batch,
                                                                  width, delta, weights, n);
      break;
    case loss_kind::mean_squared_error:
      sum = detail::loss_sum<loss_kind::mean_squared_error>(logits, o, y, grad, batch, width,
                                                            delta, weights, n);
      break;
    case loss_kind::mean_absolute_error:
      sum = detail::loss_sum<loss_kind::mean_absolute_error>(logits, o, y, grad, batch, width,
                                                             delta, weights, n);
      break;
    case loss_kind::huber:
      sum = detail::loss_sum<loss_kind::huber>(logits, o, y, grad, batch, width, delta, weights, n);
      break;
  }
  return sum / T(n);
}

namespace dispatch {
float binary_crossentropy_logits(const float* z, const std::int32_t* y, float* grad,
                                 std::size_t n) noexcept;
float binary_crossentropy_logits(const float* z, const float* y, float* grad,
                                 std::size_t n) noexcept;
}  // namespace dispatch

/// The mean binary cross-entropy from logits over n outputs, and dL/dz into `grad` unless null,
/// vectorised: a sigmoid output's loss is two transcendental functions per value, a large part
/// of a small model's step in the scalar loop. The terms are added in lanes, so the value
/// differs from the reference's by rounding only.
template <class Y, class Arch = cpu::simd::default_arch>
float binary_crossentropy_logits(cpu_t, const float* z, const Y* y, float* grad,
                                 std::size_t n) noexcept {
  constexpr bool labels = std::is_same_v<Y, std::int32_t> || std::is_same_v<Y, float>;
  if constexpr (detail::dispatched<float> && labels) {
    return dispatch::binary_crossentropy_logits(z, y, grad, n);
  } else if constexpr (!cpu::simd::available<Arch>) {
    return loss(reference, loss_kind::binary_crossentropy, true, z, y, grad, n, 1);
  } else {
    using B = cpu::simd::batch<float, Arch>;
    constexpr std::size_t w = cpu::simd::width<float, Arch>;
    const float count = static_cast<float>(n);
    B acc(0.0f);
    std::size_t i = 0;
    for (; i + w <= n; i += w) {
      float labels_at[w];
      for (std::size_t j = 0; j < w; ++j) labels_at[j] = static_cast<float>(y[i + j]);
      const B zi = cpu::simd::load_unaligned<Arch>(z + i);
      const B yi = cpu::simd::load_unaligned<Arch>(labels_at);
      acc = acc + bce_from_logit(zi, yi);
      if (grad) cpu::simd::store_unaligned(grad + i, bce_from_logit_derivative(zi, yi) / B(count));
    }
    float sum = cpu::simd::reduce_add(acc);
    for (; i < n; ++i) {
      const float yi = static_cast<float>(y[i]);
      sum += bce_from_logit(z[i], yi);
      if (grad) grad[i] = bce_from_logit_derivative(z[i], yi) / count;
    }
    return n == 0 ? 0.0f : sum / count;
  }
}

/// The cpu backend's loss: the reference loop (kernels/loss.hpp's terms), except the binary
/// cross-entropy from logits of float outputs without class weights, which is vectorised.
template <class T, class Y>
T loss(cpu_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad, std::size_t batch,
       std::size_t width, T delta = T(1), class_weights<T> weights = {}) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    if (kind == loss_kind::binary_crossentropy && logits && !weights.weight)
      return binary_crossentropy_logits(fitcheck::cpu, o, y, grad, batch * width);
  }
  return loss(reference, kind, logits, o, y, grad, batch, width, delta, weights);
}

}  // namespace fitcheck::kernels
