// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/layer_norm.hpp>

// Layer normalisation on the cuda backend: kernels/layer_norm.hpp's formulas, the workspace in
// device memory. A thread per row for the statistics and the input gradient (a row's sums in the
// reference's order, so the same values), a thread per element for y, and the parameter
// gradients as column reductions (elementwise.hpp: up to 1024 rows in row order, the reference's
// additions).

namespace fitcheck::kernels {

namespace gpu::detail {
template <class T>
struct ln_statistics {
  layer_norm_args a;
  const T* x;
  double* s;
  FITCHECK_HOST_DEVICE void operator()(std::size_t r) const {
    layer_norm_row_statistics(a, x, s, r);
  }
};
template <class T>
struct ln_output {
  layer_norm_args a;
  const double* s;
  const T *p, *x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    y[i] = layer_norm_output(a, s, p, x[i], i / a.channels, i % a.channels);
  }
};
template <class T>
struct ln_gradient {
  const T* dy;
  std::size_t c;
  FITCHECK_HOST_DEVICE double operator()(std::size_t r, std::size_t j) const {
    return double(dy[r * c + j]);
  }
};
template <class T>
struct ln_gradient_times_xhat {
  layer_norm_args a;
  const double* s;
  const T *x, *dy;
  FITCHECK_HOST_DEVICE double operator()(std::size_t r, std::size_t j) const {
    const std::size_t i = r * a.channels + j;
    return double(dy[i]) * layer_norm_xhat(a, s, x[i], r);
  }
};
template <class T>
struct ln_parameter_gradients {
  std::size_t c;
  const double* sums;  // dy's, then dy xhat's
  T* dp;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    dp[j] = T(sums[c + j]);
    dp[c + j] = T(sums[j]);
  }
};
template <class T>
struct ln_input_gradient {
  layer_norm_args a;
  const double* s;
  const T *p, *x, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t r) const {
    layer_norm_row_input_gradient(a, s, p, x, dy, dx, r);
  }
};
}  // namespace gpu::detail

/// As the reference (kernels/layer_norm.hpp); `s` is the workspace in device memory.
template <class T>
void layer_norm_forward(cuda_t, const layer_norm_args& a, const T* p, const T* x, T* y, double* s) {
  gpu::detail::for_each_index(a.rows, gpu::detail::ln_statistics<T>{a, x, s});
  gpu::detail::for_each_index(a.rows * a.channels, gpu::detail::ln_output<T>{a, s, p, x, y});
}

/// As the reference: dgamma and dbeta into dp (overwritten), dx unless null.
template <class T>
void layer_norm_backward(cuda_t, const layer_norm_args& a, const T* p, const T* x, const T* dy,
                         T* dx, T* dp, double* s) {
  const std::size_t c = a.channels;
  double* sums = s + 2 * a.rows;
  gpu::detail::column_reduce<double>(a.rows, c, gpu::detail::ln_gradient<T>{dy, c}, sums);
  gpu::detail::column_reduce<double>(a.rows, c, gpu::detail::ln_gradient_times_xhat<T>{a, s, x, dy},
                                     sums + c);
  gpu::detail::for_each_index(c, gpu::detail::ln_parameter_gradients<T>{c, sums, dp});
  if (dx != nullptr)
    gpu::detail::for_each_index(a.rows, gpu::detail::ln_input_gradient<T>{a, s, p, x, dy, dx});
}

}  // namespace fitcheck::kernels
