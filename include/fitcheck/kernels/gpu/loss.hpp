// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>

#include <thrust/execution_policy.h>
#include <thrust/functional.h>
#include <thrust/transform_reduce.h>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>

// Loss kernels of the cuda backend: the formulas of nn/losses.hpp (same clipping, same logits
// forms), each one Thrust transform_reduce that returns the mean loss to the host and, when
// `grad` is not null, writes dL/d(output) in the same pass. Elementwise losses take one index
// per element; the softmax cross-entropies one per row. The functors write their own element
// or row of `grad` only, so the pass is race-free.

namespace fitcheck::kernels {

/// The losses with a device kernel.
enum class loss_kind : unsigned char {
  binary_crossentropy,
  sparse_categorical_crossentropy,
  categorical_crossentropy,
  mean_squared_error,
  mean_absolute_error,
  huber,
};

namespace gpu::detail {
template <class T>
FITCHECK_HOST_DEVICE T clip_probability(T p) {
  const T eps = T(1e-7);
  return p < eps ? eps : (p > T(1) - eps ? T(1) - eps : p);
}

template <class T, class Y>
struct loss_term {
  loss_kind kind;
  bool logits;
  const T* o;
  const Y* y;
  T* grad;
  std::size_t batch, width;
  T delta;  ///< Huber only

  FITCHECK_HOST_DEVICE T operator()(std::size_t i) const {
    switch (kind) {
      case loss_kind::sparse_categorical_crossentropy:
      case loss_kind::categorical_crossentropy: return row(i);
      default: return element(i);
    }
  }

  FITCHECK_HOST_DEVICE T element(std::size_t i) const {
    const T n = T(batch * width);
    const T yi = static_cast<T>(y[i]);
    const T v = o[i];
    switch (kind) {
      case loss_kind::binary_crossentropy: {
        if (logits) {
          if (grad) grad[i] = (sigmoid(v) - yi) / n;
          return (v > T(0) ? v : T(0)) - v * yi + std::log1p(std::exp(-std::abs(v)));
        }
        const T p = clip_probability(v);
        if (grad) grad[i] = (p - yi) / (p * (T(1) - p)) / n;
        return -(yi * std::log(p) + (T(1) - yi) * std::log(T(1) - p));
      }
      case loss_kind::mean_squared_error: {
        const T d = v - yi;
        if (grad) grad[i] = T(2) * d / n;
        return d * d;
      }
      case loss_kind::mean_absolute_error: {
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
        const T pc = zr[c] > T(1e-7) ? zr[c] : T(1e-7);
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
        const T pj = zr[j] > T(1e-7) ? zr[j] : T(1e-7);
        const T yj = static_cast<T>(yr[j]);
        sum -= yj * std::log(pj);
        if (gr) gr[j] = -yj / (pj * nb);
      }
      return sum;
    }
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

  FITCHECK_HOST_DEVICE static T log_sum_exp(const T* z, std::size_t k) {
    T m = z[0];
    for (std::size_t j = 1; j < k; ++j) m = z[j] > m ? z[j] : m;
    T s = T(0);
    for (std::size_t j = 0; j < k; ++j) s += std::exp(z[j] - m);
    return m + std::log(s);
  }
};
}  // namespace gpu::detail

/// The number of terms the mean loss averages: one per row for the softmax cross-entropies, one
/// per output value otherwise.
inline std::size_t loss_terms(loss_kind kind, std::size_t batch, std::size_t width) {
  const bool rows = kind == loss_kind::sparse_categorical_crossentropy ||
                    kind == loss_kind::categorical_crossentropy;
  return rows ? batch : batch * width;
}

/// Mean loss of `kind` over a batch of outputs `o` (probabilities, or logits when `logits`) with
/// labels `y` (class indices for the sparse form, else one value per output), both in device
/// memory; writes dL/do into `grad` (device) unless it is null. `delta` is Huber's.
template <class T, class Y>
T loss(cuda_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad, std::size_t batch,
       std::size_t width, T delta = T(1)) {
  const std::size_t count = loss_terms(kind, batch, width);
  if (count == 0) return T(0);
  const T total = thrust::transform_reduce(
      gpu::detail::reduce_policy(), gpu::detail::index(0), gpu::detail::index(count),
      gpu::detail::loss_term<T, Y>{kind, logits, o, y, grad, batch, width, delta}, T(0),
      thrust::plus<T>());
  return total / T(count);
}

/// As `loss`, without waiting for the result: the sum of the loss terms (in T, stored widened to
/// double) goes to `total` in device memory, for the training step to copy back asynchronously;
/// the mean is that sum, narrowed back to T, over `loss_terms(kind, batch, width)`.
template <class T, class Y>
void loss_total(cuda_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad,
                std::size_t batch, std::size_t width, double* total, T delta = T(1)) {
  gpu::detail::reduce_into<T>(loss_terms(kind, batch, width),
                              gpu::detail::loss_term<T, Y>{kind, logits, o, y, grad, batch, width,
                                                           delta},
                              total);
}

}  // namespace fitcheck::kernels
