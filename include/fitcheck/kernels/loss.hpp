// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/math.hpp>

// The losses' formulas, each written once: `loss_term` is one term of the mean (an output value,
// or a row for the losses that compare whole rows) and, when asked, its part of dL/d(output). The
// host loop below and the cuda backend's reduction (kernels/gpu/loss.hpp) both sum these terms.
// The formulas and constants are Keras 3's (keras/src/losses/losses.py): probabilities clip at
// 1e-7, and the logits forms are the numerically stable ones.

namespace fitcheck::kernels {

/// The losses, as the kernels know them (nn/losses.hpp gives each its user-facing type).
enum class loss_kind : unsigned char {
  binary_crossentropy,
  sparse_categorical_crossentropy,
  categorical_crossentropy,
  mean_squared_error,
  mean_absolute_error,
  huber,
  binary_focal_crossentropy,
  categorical_focal_crossentropy,
  kl_divergence,
  poisson,
  log_cosh,
  mean_squared_logarithmic_error,
  mean_absolute_percentage_error,
  hinge,
  squared_hinge,
  categorical_hinge,
  cosine_similarity,
  dice,
  tversky,
};

/// Whether a loss's terms are rows (it compares a sample's outputs together) rather than values.
FITCHECK_HOST_DEVICE inline bool loss_over_rows(loss_kind kind) noexcept {
  switch (kind) {
    case loss_kind::sparse_categorical_crossentropy:
    case loss_kind::categorical_crossentropy:
    case loss_kind::categorical_focal_crossentropy:
    case loss_kind::kl_divergence:
    case loss_kind::categorical_hinge:
    case loss_kind::cosine_similarity:
    case loss_kind::dice:
    case loss_kind::tversky: return true;
    default: return false;
  }
}

/// The number of terms the mean loss averages: one per row for the row losses, one per output
/// value otherwise (Keras' mean over the last axis, then over the batch, is the same mean).
FITCHECK_HOST_DEVICE inline std::size_t loss_terms(loss_kind kind, std::size_t batch,
                                                   std::size_t width) noexcept {
  return loss_over_rows(kind) ? batch : batch * width;
}

/// A loss's constants, each a template argument of its type (nn/losses.hpp); the others keep
/// these values, which leave the formulas as they are without them.
template <class T>
struct loss_parameters {
  T delta = T(1);      ///< Huber's: where the quadratic part ends
  T smoothing = T(0);  ///< label smoothing: y (1 - s) + s / 2 (binary), + s / K (categorical)
  T gamma = T(0);      ///< the focal losses' focusing exponent
  T alpha = T(-1);     ///< the focal losses' class balance; below 0: none (binary focal only);
                       ///< Tversky's weight of false positives
  T beta = T(0.5);     ///< Tversky's weight of false negatives
};

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
  loss_parameters<T> params;
  class_weights<T> weights;

  FITCHECK_HOST_DEVICE FITCHECK_DEVICE_NOINLINE T operator()(std::size_t i) const {
    if (weights.weight) return weighted(i);
    return loss_over_rows(kind) ? row(i) : element(i);
  }

  // The term times its sample's class weight; it has written only its own gradient entries, so
  // they are scaled in place.
  FITCHECK_HOST_DEVICE T weighted(std::size_t i) const {
    const bool rows = loss_over_rows(kind);
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

  FITCHECK_HOST_DEVICE static constexpr T eps() { return T(1e-7); }  // Keras' backend epsilon
  FITCHECK_HOST_DEVICE static T clip(T p) {
    return p < eps() ? eps() : (p > T(1) - eps() ? T(1) - eps() : p);
  }
  FITCHECK_HOST_DEVICE static T floor(T p) { return p > eps() ? p : eps(); }
  FITCHECK_HOST_DEVICE static T log_sum_exp(const T* z, std::size_t k) {
    T m = z[0];
    for (std::size_t j = 1; j < k; ++j) m = z[j] > m ? z[j] : m;
    T s = T(0);
    for (std::size_t j = 0; j < k; ++j) s += std::exp(z[j] - m);
    return m + std::log(s);
  }
  // A smoothed label: binary labels move towards 1/2, a row's K values towards 1/K.
  FITCHECK_HOST_DEVICE T smooth(T label, T classes) const {
    if (params.smoothing == T(0)) return label;
    return label * (T(1) - params.smoothing) + params.smoothing / classes;
  }
  // The focal factor q^gamma and its derivative gamma q^(gamma - 1) in q = 1 - p_t; the
  // derivative is 0 where q = 0 or gamma = 0 (its limit in the loss's gradient, not 0 * inf).
  FITCHECK_HOST_DEVICE T focal(T q) const { return std::pow(q, params.gamma); }
  FITCHECK_HOST_DEVICE T focal_slope(T q) const {
    return params.gamma == T(0) || q <= T(0) ? T(0)
                                             : params.gamma * std::pow(q, params.gamma - T(1));
  }

  FITCHECK_HOST_DEVICE T element(std::size_t i) const {
    const T n = T(batch * width);
    const T yi = static_cast<T>(y[i]);
    const T v = o[i];
    switch (kind) {
      case loss_kind::binary_crossentropy: {
        const T t = smooth(yi, T(2));
        if (logits) {
          if (grad) grad[i] = bce_from_logit_derivative(v, t) / n;
          return bce_from_logit(v, t);
        }
        const T p = clip(v);
        if (grad) grad[i] = (p - t) / (p * (T(1) - p)) / n;
        return -(t * std::log(p) + (T(1) - t) * std::log(T(1) - p));
      }
      case loss_kind::binary_focal_crossentropy: {
        // (1 - p_t)^gamma times the cross-entropy, p_t the probability given to the label;
        // with class balancing also alpha for a 1, 1 - alpha for a 0.
        const T t = smooth(yi, T(2));
        const T p = logits ? sigmoid(v) : clip(v);
        const T ce = logits ? bce_from_logit(v, t)
                            : -(t * std::log(p) + (T(1) - t) * std::log(T(1) - p));
        const T q = T(1) - (t * p + (T(1) - t) * (T(1) - p));
        const T w = params.alpha < T(0) ? T(1)
                                        : t * params.alpha + (T(1) - t) * (T(1) - params.alpha);
        if (grad) {
          // dq/dp = 1 - 2t; through the sigmoid dp/dz = p (1 - p), which also turns the
          // cross-entropy's (p - t) / (p (1 - p)) into p - t.
          const T ce_slope = logits ? p - t : (p - t) / (p * (T(1) - p));
          const T q_slope = logits ? (T(1) - T(2) * t) * p * (T(1) - p) : T(1) - T(2) * t;
          grad[i] = w * (focal_slope(q) * q_slope * ce + focal(q) * ce_slope) / n;
        }
        return w * focal(q) * ce;
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
        const T delta = params.delta;
        if (a <= delta) {
          if (grad) grad[i] = d / n;
          return T(0.5) * d * d;
        }
        if (grad) grad[i] = (d > T(0) ? delta : -delta) / n;
        return delta * (a - T(0.5) * delta);
      }
      case loss_kind::poisson: {
        if (grad) grad[i] = (T(1) - yi / (v + eps())) / n;
        return v - yi * std::log(v + eps());
      }
      case loss_kind::log_cosh: {
        // log cosh d = |d| + log(1 + e^(-2|d|)) - log 2, finite for any d.
        const T d = v - yi;
        const T a = std::abs(d);
        if (grad) grad[i] = std::tanh(d) / n;
        return a + std::log1p(std::exp(T(-2) * a)) - T(0.6931471805599453);
      }
      case loss_kind::mean_squared_logarithmic_error: {
        // Outputs below eps are clipped there, as Keras: no gradient flows below it.
        const T pc = floor(v);
        const T d = std::log1p(pc) - std::log1p(floor(yi));
        if (grad) grad[i] = v > eps() ? T(2) * d / (pc + T(1)) / n : T(0);
        return d * d;
      }
      case loss_kind::mean_absolute_percentage_error: {
        const T d = v - yi;
        const T scale = T(100) / floor(std::abs(yi));
        if (grad) grad[i] = scale * T((d > T(0)) - (d < T(0))) / n;
        return scale * std::abs(d);
      }
      case loss_kind::hinge:
      case loss_kind::squared_hinge: {
        // 0/1 labels become -1/+1, as Keras converts them.
        const T s = T(2) * yi - T(1);
        const T m = T(1) - s * v;
        if (m <= T(0)) {
          if (grad) grad[i] = T(0);
          return T(0);
        }
        const bool squared = kind == loss_kind::squared_hinge;
        if (grad) grad[i] = (squared ? T(-2) * s * m : -s) / n;
        return squared ? m * m : m;
      }
      default: break;
    }
    return T(0);
  }

  FITCHECK_HOST_DEVICE T row(std::size_t r) const {
    switch (kind) {
      case loss_kind::sparse_categorical_crossentropy: return sparse_row(r);
      case loss_kind::categorical_focal_crossentropy: return focal_row(r);
      case loss_kind::categorical_hinge: return hinge_row(r);
      case loss_kind::cosine_similarity: return cosine_row(r);
      case loss_kind::dice:
      case loss_kind::tversky: return overlap_row(r);
      default: return categorical_row(r);
    }
  }

  FITCHECK_HOST_DEVICE T sparse_row(std::size_t r) const {
    const std::size_t k = width;
    const T nb = T(batch);
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const auto c = static_cast<std::size_t>(y[r]);
    if (params.smoothing != T(0)) {
      // The target row is (1 - s) one_hot(c) + s / K (PyTorch's label_smoothing).
      const T off = params.smoothing / T(k);
      const T on = T(1) - params.smoothing + off;
      T sum = T(0);
      const T lse = logits ? log_sum_exp(zr, k) : T(0);
      for (std::size_t j = 0; j < k; ++j) {
        const T t = j == c ? on : off;
        if (logits) {
          sum -= t * (zr[j] - lse);
          if (gr) gr[j] = (std::exp(zr[j] - lse) - t) / nb;
        } else {
          const T pj = floor(zr[j]);
          sum -= t * std::log(pj);
          if (gr) gr[j] = -t / (pj * nb);
        }
      }
      return sum;
    }
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

  // The categorical cross-entropy -sum t log p, and the KL divergence sum t log(t / p) = the
  // cross-entropy less the (constant) entropy of t, its labels clipped to [eps, 1] as Keras'.
  FITCHECK_HOST_DEVICE T target(const Y* yr, std::size_t j) const {
    const T t = static_cast<T>(yr[j]);
    if (kind == loss_kind::kl_divergence) return t < eps() ? eps() : (t > T(1) ? T(1) : t);
    return smooth(t, T(width));
  }
  FITCHECK_HOST_DEVICE T categorical_row(std::size_t r) const {
    const std::size_t k = width;
    const T nb = T(batch);
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const Y* yr = y + r * k;
    const bool kl = kind == loss_kind::kl_divergence;
    T sum = T(0);
    if (!logits) {
      for (std::size_t j = 0; j < k; ++j) {
        const T pj = floor(zr[j]);
        const T tj = target(yr, j);
        sum -= tj * std::log(pj);
        if (kl) sum += tj * std::log(tj);
        if (gr) gr[j] = -tj / (pj * nb);
      }
      return sum;
    }
    // Labels need not sum to 1 (soft targets): the gradient keeps their sum.
    const T lse = log_sum_exp(zr, k);
    T tsum = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      const T tj = target(yr, j);
      sum -= tj * (zr[j] - lse);
      if (kl) sum += tj * std::log(tj);
      tsum += tj;
    }
    if (gr)
      for (std::size_t j = 0; j < k; ++j)
        gr[j] = (tsum * std::exp(zr[j] - lse) - target(yr, j)) / nb;
    return sum;
  }

  // Keras' categorical focal cross-entropy: -sum alpha (1 - p_j)^gamma t_j log p_j.
  FITCHECK_HOST_DEVICE T focal_row(std::size_t r) const {
    const std::size_t k = width;
    const T nb = T(batch);
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const Y* yr = y + r * k;
    const T lse = logits ? log_sum_exp(zr, k) : T(0);
    T sum = T(0), chain = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      const T tj = smooth(static_cast<T>(yr[j]), T(k));
      const T pj = logits ? std::exp(zr[j] - lse) : clip(zr[j]);
      const T log_p = logits ? zr[j] - lse : std::log(pj);
      const T q = T(1) - pj;
      sum -= params.alpha * focal(q) * tj * log_p;
      if (gr) {
        // dL/dp_j, times p_j when the softmax follows (p_j dL/dp_j stays finite as p_j -> 0).
        const T h = params.alpha * tj * (focal_slope(q) * log_p * pj - focal(q));
        gr[j] = logits ? h : h / pj;
        chain += h;
      }
    }
    // Through the softmax: dL/dz_i = p_i (g_i - sum_j p_j g_j).
    if (gr && logits)
      for (std::size_t j = 0; j < k; ++j) gr[j] = (gr[j] - std::exp(zr[j] - lse) * chain) / nb;
    else if (gr)
      for (std::size_t j = 0; j < k; ++j) gr[j] /= nb;
    return sum;
  }

  // Keras' categorical hinge: max(0, 1 + max_j (1 - t_j) o_j - sum_j t_j o_j).
  FITCHECK_HOST_DEVICE T hinge_row(std::size_t r) const {
    const std::size_t k = width;
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const Y* yr = y + r * k;
    T pos = T(0);
    std::size_t at = 0;
    T neg = (T(1) - static_cast<T>(yr[0])) * zr[0];
    for (std::size_t j = 0; j < k; ++j) {
      pos += static_cast<T>(yr[j]) * zr[j];
      const T v = (T(1) - static_cast<T>(yr[j])) * zr[j];
      if (v > neg) neg = v, at = j;
    }
    const T m = T(1) + neg - pos;
    if (gr) {
      for (std::size_t j = 0; j < k; ++j)
        gr[j] = m > T(0) ? -static_cast<T>(yr[j]) / T(batch) : T(0);
      if (m > T(0)) gr[at] += (T(1) - static_cast<T>(yr[at])) / T(batch);
    }
    return m > T(0) ? m : T(0);
  }

  // Keras' cosine similarity loss: -(y / |y|) . (o / |o|), each norm at least 1e-6
  // (l2_normalize's sum of squares floor, 1e-12).
  FITCHECK_HOST_DEVICE T cosine_row(std::size_t r) const {
    const std::size_t k = width;
    const T* zr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const Y* yr = y + r * k;
    T oo = T(0), yy = T(0), oy = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      const T yj = static_cast<T>(yr[j]);
      oo += zr[j] * zr[j];
      yy += yj * yj;
      oy += zr[j] * yj;
    }
    const T floor_sq = T(1e-12);
    const bool o_floored = oo < floor_sq;
    const T no = std::sqrt(o_floored ? floor_sq : oo);
    const T ny = std::sqrt(yy < floor_sq ? floor_sq : yy);
    const T cosine = oy / (no * ny);
    if (gr)
      for (std::size_t j = 0; j < k; ++j) {
        // d/do_j of -(o . y) / (|o| |y|); where |o| is floored it is a constant.
        const T along = o_floored ? T(0) : cosine * zr[j] / no;
        gr[j] = -(static_cast<T>(yr[j]) / ny - along) / no / T(batch);
      }
    return -cosine;
  }

  // Keras' Dice, 1 - 2 I / (sum t + sum p + 1e-7), and Tversky, 1 - I / (I + alpha FP + beta FN
  // + 1e-7), with I = sum t p, FP = sum (1 - t) p, FN = sum t (1 - p) over one sample's outputs
  // (Keras' `axis` every axis but the batch's). Tversky with alpha = beta = 1/2 is Dice.
  FITCHECK_HOST_DEVICE T overlap_row(std::size_t r) const {
    const std::size_t k = width;
    const T* pr = o + r * k;
    T* gr = grad ? grad + r * k : nullptr;
    const Y* yr = y + r * k;
    T both = T(0), truth = T(0), predicted = T(0);
    for (std::size_t j = 0; j < k; ++j) {
      const T t = static_cast<T>(yr[j]);
      both += t * pr[j];
      truth += t;
      predicted += pr[j];
    }
    const T nb = T(batch);
    if (kind == loss_kind::dice) {
      const T s = truth + predicted + eps();
      if (gr)
        for (std::size_t j = 0; j < k; ++j)
          gr[j] = T(2) * (both - static_cast<T>(yr[j]) * s) / (s * s) / nb;
      return T(1) - T(2) * both / s;
    }
    const T fp = predicted - both, fn = truth - both;
    const T d = both + params.alpha * fp + params.beta * fn + eps();
    if (gr)
      for (std::size_t j = 0; j < k; ++j) {
        const T t = static_cast<T>(yr[j]);
        const T d_slope = t + params.alpha * (T(1) - t) - params.beta * t;
        gr[j] = -(t * d - both * d_slope) / (d * d) / nb;
      }
    return T(1) - both / d;
  }
};

namespace detail {
// The terms' sum with the kind a constant, so that each loss's loop has no switch in it.
template <loss_kind Kind, class T, class Y>
T loss_sum(bool logits, const T* o, const Y* y, T* grad, std::size_t batch, std::size_t width,
           loss_parameters<T> params, class_weights<T> weights, std::size_t count) noexcept {
  const loss_term<T, Y> term{Kind, logits, o, y, grad, batch, width, params, weights};
  T sum = T(0);
  for (std::size_t i = 0; i < count; ++i) sum += term(i);
  return sum;
}
template <class T, class Y, std::size_t... K>
T loss_sum_of(loss_kind kind, bool logits, const T* o, const Y* y, T* grad, std::size_t batch,
              std::size_t width, loss_parameters<T> params, class_weights<T> weights,
              std::size_t count, std::index_sequence<K...>) noexcept {
  T sum = T(0);
  (void)((kind == loss_kind(K) ? (sum = loss_sum<loss_kind(K)>(logits, o, y, grad, batch, width,
                                                              params, weights, count),
                                  true)
                               : false) ||
         ...);
  return sum;
}
inline constexpr std::size_t loss_kinds = std::size_t(loss_kind::tversky) + 1;
}  // namespace detail

/// Mean loss of `kind` over a batch (see loss_term); writes dL/do into `grad` unless it is null.
/// The terms are added in order, in T. Host memory; the cpu backend takes this loop too (a loss
/// is a few values per sample next to the layers' products).
template <class T, class Y>
T loss(reference_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad,
       std::size_t batch, std::size_t width, loss_parameters<T> params = {},
       class_weights<T> weights = {}) noexcept {
  const std::size_t n = loss_terms(kind, batch, width);
  if (n == 0) return T(0);
  const T sum = detail::loss_sum_of(kind, logits, o, y, grad, batch, width, params, weights, n,
                                    std::make_index_sequence<detail::loss_kinds>{});
  return sum / T(n);
}

// The loop over the losses is most of what a loss costs a user's compile: where the program
// links the kernels library, its float forms are compiled there once (config.hpp).
#if FITCHECK_SEPARATE
extern template float loss(reference_t, loss_kind, bool, const float*, const std::int32_t*, float*,
                           std::size_t, std::size_t, loss_parameters<float>,
                           class_weights<float>) noexcept;
extern template float loss(reference_t, loss_kind, bool, const float*, const float*, float*,
                           std::size_t, std::size_t, loss_parameters<float>,
                           class_weights<float>) noexcept;
#elif defined(FITCHECK_DISPATCHER)
template float loss(reference_t, loss_kind, bool, const float*, const std::int32_t*, float*,
                    std::size_t, std::size_t, loss_parameters<float>, class_weights<float>) noexcept;
template float loss(reference_t, loss_kind, bool, const float*, const float*, float*, std::size_t,
                    std::size_t, loss_parameters<float>, class_weights<float>) noexcept;
#endif

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
/// cross-entropy from logits of float outputs without class weights or label smoothing, which is
/// vectorised.
template <class T, class Y>
T loss(cpu_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad, std::size_t batch,
       std::size_t width, loss_parameters<T> params = {},
       class_weights<T> weights = {}) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    if (kind == loss_kind::binary_crossentropy && logits && !weights.weight &&
        params.smoothing == 0.0f)
      return binary_crossentropy_logits(fitcheck::cpu, o, y, grad, batch * width);
  }
  return loss(reference, kind, logits, o, y, grad, batch, width, params, weights);
}

}  // namespace fitcheck::kernels
