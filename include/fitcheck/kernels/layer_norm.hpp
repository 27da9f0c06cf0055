// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>

// Layer normalisation (Keras' LayerNormalization(axis=-1), nn/layer_normalization.hpp): each row
// of a row-major (rows, channels) batch is standardised over its own channels, then scaled by
// gamma and shifted by beta per channel. The statistics are computed in double, two passes (one
// pass of sum and sum of squares cancels catastrophically on a row far from zero). The forward
// keeps each row's mean and inverse standard deviation in the layer's workspace for its backward,
// as PyTorch keeps them; every backend runs the row formulas below, written once.

namespace fitcheck::kernels {

/// The batch's geometry and the layer's epsilon.
struct layer_norm_args {
  std::size_t rows = 0, channels = 0;
  double epsilon = 1e-3;
};

/// The doubles of a layer's workspace: the rows' means, then their inverse standard deviations,
/// then two sums per channel (dy and dy xhat) for the parameter gradients.
constexpr std::size_t layer_norm_workspace(std::size_t rows, std::size_t channels) noexcept {
  return 2 * rows + 2 * channels;
}

/// Row r's mean and 1 / sqrt(variance + epsilon), the variance biased (Keras, PyTorch).
template <class T>
FITCHECK_HOST_DEVICE inline void layer_norm_row_statistics(const layer_norm_args& a, const T* x,
                                                           double* s, std::size_t r) {
  const std::size_t c = a.channels;
  const T* row = x + r * c;
  double mean = 0.0;
  for (std::size_t j = 0; j < c; ++j) mean += double(row[j]);
  mean /= double(c);
  double squares = 0.0;
  for (std::size_t j = 0; j < c; ++j) {
    const double d = double(row[j]) - mean;
    squares += d * d;
  }
  s[r] = mean;
  s[a.rows + r] = 1.0 / std::sqrt(squares / double(c) + a.epsilon);
}

/// xhat of element (r, j): (x - mean) inv_std.
template <class T>
FITCHECK_HOST_DEVICE inline double layer_norm_xhat(const layer_norm_args& a, const double* s, T x,
                                                   std::size_t r) {
  return (double(x) - s[r]) * s[a.rows + r];
}

/// y = xhat gamma + beta; p is gamma (channels values), then beta.
template <class T>
FITCHECK_HOST_DEVICE inline T layer_norm_output(const layer_norm_args& a, const double* s,
                                                const T* p, T x, std::size_t r, std::size_t j) {
  return T(layer_norm_xhat(a, s, x, r)) * p[j] + p[a.channels + j];
}

/// Row r's input gradient: with g = dy gamma, dx = inv_std (g - mean(g) - xhat mean(g xhat)),
/// the row's mean and variance being functions of its x.
template <class T>
FITCHECK_HOST_DEVICE inline void layer_norm_row_input_gradient(const layer_norm_args& a,
                                                               const double* s, const T* p,
                                                               const T* x, const T* dy, T* dx,
                                                               std::size_t r) {
  const std::size_t c = a.channels, at = r * c;
  double sum = 0.0, sum_xhat = 0.0;
  for (std::size_t j = 0; j < c; ++j) {
    const double g = double(dy[at + j]) * double(p[j]);
    sum += g;
    sum_xhat += g * layer_norm_xhat(a, s, x[at + j], r);
  }
  const double mean_g = sum / double(c), mean_g_xhat = sum_xhat / double(c);
  for (std::size_t j = 0; j < c; ++j) {
    const double g = double(dy[at + j]) * double(p[j]);
    dx[at + j] =
        T(s[a.rows + r] * (g - mean_g - layer_norm_xhat(a, s, x[at + j], r) * mean_g_xhat));
  }
}

/// Forward: each row's statistics into `s` (layer_norm_workspace values), then y.
template <class T>
void layer_norm_forward(reference_t, const layer_norm_args& a, const T* p, const T* x, T* y,
                        double* s) noexcept {
  for (std::size_t r = 0; r < a.rows; ++r) {
    layer_norm_row_statistics(a, x, s, r);
    for (std::size_t j = 0; j < a.channels; ++j)
      y[r * a.channels + j] = layer_norm_output(a, s, p, x[r * a.channels + j], r, j);
  }
}

/// Backward after the forward that filled `s`: dgamma = sum(dy xhat), dbeta = sum(dy) over the
/// rows into dp (overwritten; summed in double in row order), and dx unless null.
template <class T>
void layer_norm_backward(reference_t, const layer_norm_args& a, const T* p, const T* x, const T* dy,
                         T* dx, T* dp, double* s) noexcept {
  const std::size_t c = a.channels;
  double* sum = s + 2 * a.rows;
  double* sum_xhat = sum + c;
  for (std::size_t j = 0; j < c; ++j) sum[j] = sum_xhat[j] = 0.0;
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t j = 0; j < c; ++j) {
      const double g = dy[r * c + j];
      sum[j] += g;
      sum_xhat[j] += g * layer_norm_xhat(a, s, x[r * c + j], r);
    }
  for (std::size_t j = 0; j < c; ++j) {
    dp[j] = T(sum_xhat[j]);
    dp[c + j] = T(sum[j]);
  }
  if (dx == nullptr) return;
  for (std::size_t r = 0; r < a.rows; ++r) layer_norm_row_input_gradient(a, s, p, x, dy, dx, r);
}

}  // namespace fitcheck::kernels
