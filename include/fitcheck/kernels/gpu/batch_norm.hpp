// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/batch_norm.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>

// Batch normalisation on the cuda backend: kernels/batch_norm.hpp's formulas, the state array in
// device memory. A thread per channel sums over the rows in row order (the reference's additions,
// so the same values), then a thread per element writes y or dx.

namespace fitcheck::kernels {

namespace gpu::detail {
template <class T>
struct bn_statistics {
  batch_norm_args a;
  const T* x;
  double* s;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    const std::size_t c = a.channels;
    if (a.training) {
      double mean = 0.0;
      for (std::size_t r = 0; r < a.rows; ++r) mean += double(x[r * c + j]);
      mean /= double(a.rows);
      double squares = 0.0;
      for (std::size_t r = 0; r < a.rows; ++r) {
        const double d = double(x[r * c + j]) - mean;
        squares += d * d;
      }
      s[bn_mean * c + j] = mean;
      s[bn_sum * c + j] = squares;
    }
    batch_norm_finish_statistics(a, s, j);
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
struct bn_parameter_gradients {
  batch_norm_args a;
  const T *x, *dy;
  T* dp;
  double* s;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    const std::size_t c = a.channels;
    const double mean = s[bn_mean * c + j], inv_std = s[bn_inv_std * c + j];
    double sum = 0.0, sum_xhat = 0.0;
    for (std::size_t r = 0; r < a.rows; ++r) {
      const double g = dy[r * c + j];
      sum += g;
      sum_xhat += g * (double(x[r * c + j]) - mean) * inv_std;
    }
    s[bn_sum * c + j] = sum;
    s[bn_sum_xhat * c + j] = sum_xhat;
    dp[j] = T(sum_xhat);
    dp[c + j] = T(sum);
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
  gpu::detail::for_each_index(a.channels, gpu::detail::bn_statistics<T>{a, x, s});
  gpu::detail::for_each_index(a.rows * a.channels, gpu::detail::bn_output<T>{a, s, p, x, y});
}

/// As the reference: dgamma and dbeta into dp (overwritten), dx unless null.
template <class T>
void batch_norm_backward(cuda_t, const batch_norm_args& a, const T* p, const T* x, const T* dy,
                         T* dx, T* dp, double* s) {
  gpu::detail::for_each_index(a.channels, gpu::detail::bn_parameter_gradients<T>{a, x, dy, dp, s});
  if (dx != nullptr)
    gpu::detail::for_each_index(a.rows * a.channels,
                                gpu::detail::bn_input_gradient<T>{a, s, p, x, dy, dx});
}

}  // namespace fitcheck::kernels
