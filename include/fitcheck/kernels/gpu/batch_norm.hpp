// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/batch_norm.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>

// Normalisation on the cuda backend: kernels/batch_norm.hpp's formulas, the statistics in device
// memory. The per-channel sums are column reductions (elementwise.hpp: up to 1024 rows in row
// order, the reference's additions, so the same values; more in two levels), then a thread per
// element writes y or dx.

namespace fitcheck::kernels {

namespace gpu::detail {
// The per-channel terms the statistics sum (column_reduce: up to 1024 rows in order, the
// reference's additions; more in two levels).
template <class T>
struct bn_value {
  const T* x;
  std::size_t c;
  FITCHECK_HOST_DEVICE double operator()(std::size_t r, std::size_t j) const {
    return double(x[r * c + j]);
  }
};
template <class T>
struct bn_squared_deviation {
  const T* x;
  std::size_t c;
  const double* mean;
  FITCHECK_HOST_DEVICE double operator()(std::size_t r, std::size_t j) const {
    const double d = double(x[r * c + j]) - mean[j];
    return d * d;
  }
};
template <class T>
struct bn_gradient_times_xhat {
  const T *x, *dy;
  std::size_t c;
  const double *mean, *inv_std;
  FITCHECK_HOST_DEVICE double operator()(std::size_t r, std::size_t j) const {
    return double(dy[r * c + j]) * (double(x[r * c + j]) - mean[j]) * inv_std[j];
  }
};
struct bn_mean_of_sum {
  batch_norm_args a;
  double* s;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    s[bn_mean * a.channels + j] /= double(a.rows);
  }
};
struct bn_finish {
  batch_norm_args a;
  double* s;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const { batch_norm_finish_statistics(a, s, j); }
};
template <class T>
struct bn_parameter_gradients {
  std::size_t c;
  const double* s;
  T* dp;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    dp[j] = T(s[bn_sum_xhat * c + j]);
    dp[c + j] = T(s[bn_sum * c + j]);
  }
};
template <class T>
struct bn_output {
  batch_norm_args a;
  const double* s;
  const T *p, *x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    y[i] = batch_norm_output(a, s, p, x[i], i % a.channels);
  }
};
template <class T>
struct bn_input_gradient {
  batch_norm_args a;
  const double* s;
  const T *p, *x, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    dx[i] = batch_norm_input_gradient(a, s, p, x[i], dy[i], i % a.channels);
  }
};
template <class T>
struct normalize_element {
  const T* x;
  T* y;
  std::size_t channels;
  const double* stats;
  bool backward;  // the gradient: x is dy, y is dx
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t j = i % channels;
    y[i] = backward ? normalized_gradient(x[i], stats, channels, j)
                    : normalized(x[i], stats, channels, j);
  }
};
}  // namespace gpu::detail

/// As the reference (kernels/batch_norm.hpp); `stats` in device memory.
template <class T>
void normalize_forward(cuda_t, const T* x, T* y, std::size_t rows, std::size_t channels,
                       const double* stats) {
  gpu::detail::for_each_index(rows * channels,
                              gpu::detail::normalize_element<T>{x, y, channels, stats, false});
}
template <class T>
void normalize_backward(cuda_t, const T* dy, T* dx, std::size_t rows, std::size_t channels,
                        const double* stats) {
  gpu::detail::for_each_index(rows * channels,
                              gpu::detail::normalize_element<T>{dy, dx, channels, stats, true});
}

/// As the reference (kernels/batch_norm.hpp); `s` is the state array in device memory.
template <class T>
void batch_norm_forward(cuda_t, const batch_norm_args& a, const T* p, const T* x, T* y,
                        double* s) {
  const std::size_t c = a.channels;
  if (a.training) {
    gpu::detail::column_reduce<double>(a.rows, c, gpu::detail::bn_value<T>{x, c}, s + bn_mean * c);
    gpu::detail::for_each_index(c, gpu::detail::bn_mean_of_sum{a, s});
    gpu::detail::column_reduce<double>(
        a.rows, c, gpu::detail::bn_squared_deviation<T>{x, c, s + bn_mean * c}, s + bn_sum * c);
  }
  gpu::detail::for_each_index(c, gpu::detail::bn_finish{a, s});
  gpu::detail::for_each_index(a.rows * c, gpu::detail::bn_output<T>{a, s, p, x, y});
}

/// As the reference: dgamma and dbeta into dp (overwritten), dx unless null.
template <class T>
void batch_norm_backward(cuda_t, const batch_norm_args& a, const T* p, const T* x, const T* dy,
                         T* dx, T* dp, double* s) {
  const std::size_t c = a.channels;
  gpu::detail::column_reduce<double>(a.rows, c, gpu::detail::bn_value<T>{dy, c}, s + bn_sum * c);
  gpu::detail::column_reduce<double>(
      a.rows, c,
      gpu::detail::bn_gradient_times_xhat<T>{x, dy, c, s + bn_mean * c, s + bn_inv_std * c},
      s + bn_sum_xhat * c);
  gpu::detail::for_each_index(c, gpu::detail::bn_parameter_gradients<T>{c, s, dp});
  if (dx != nullptr)
    gpu::detail::for_each_index(a.rows * c,
                                gpu::detail::bn_input_gradient<T>{a, s, p, x, dy, dx});
}

}  // namespace fitcheck::kernels
