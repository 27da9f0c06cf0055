// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>

// Normalisation over the last axis of a row-major (rows, channels) batch: with fixed statistics
// (Keras' Normalization, nn/normalization.hpp) and with the batch's (Keras'
// BatchNormalization(axis=-1), nn/batch_normalization.hpp). Its statistics live in one array of
// doubles per layer, `batch_norm_state` slices of `channels` values each; every backend keeps it
// in its own memory and runs the formulas below, written once.

namespace fitcheck::kernels {

/// (x - mean) inv_std of channel j, in T: Normalization's adapted statistics, `stats` holding
/// the channels' means, then their inverse standard deviations.
template <class T>
FITCHECK_HOST_DEVICE inline T normalized(T x, const double* stats, std::size_t channels,
                                         std::size_t j) {
  return (x - T(stats[j])) * T(stats[channels + j]);
}
/// dy inv_std of channel j.
template <class T>
FITCHECK_HOST_DEVICE inline T normalized_gradient(T dy, const double* stats, std::size_t channels,
                                                  std::size_t j) {
  return dy * T(stats[channels + j]);
}

/// y = normalized(x) over a (rows, channels) batch.
template <class T>
void normalize_forward(reference_t, const T* x, T* y, std::size_t rows, std::size_t channels,
                       const double* stats) noexcept {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < channels; ++j)
      y[r * channels + j] = normalized(x[r * channels + j], stats, channels, j);
}

/// dx = normalized_gradient(dy).
template <class T>
void normalize_backward(reference_t, const T* dy, T* dx, std::size_t rows, std::size_t channels,
                        const double* stats) noexcept {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < channels; ++j)
      dx[r * channels + j] = normalized_gradient(dy[r * channels + j], stats, channels, j);
}

/// The slices of a BatchNormalization's state array, `channels` doubles each.
enum batch_norm_state : std::size_t {
  bn_moving_mean,      ///< saved with the weights
  bn_moving_variance,  ///< saved with the weights
  bn_mean,             ///< of the last forward (the batch's in training, else the moving one)
  bn_inv_std,          ///< 1 / sqrt(variance + epsilon) of the last forward
  bn_sum,              ///< workspace: sums of dy (backward), squared deviations (forward)
  bn_sum_xhat,         ///< workspace: sums of dy * xhat (backward)
  bn_slices,
};

/// The layer's hyperparameters and the forward's mode.
struct batch_norm_args {
  std::size_t rows = 0, channels = 0;
  double momentum = 0.99, epsilon = 1e-3;
  bool training = true;
};

/// Channel j's statistics from its sums: the batch's (training; moving ones follow them by
/// Keras' rule) or the moving ones (inference). `s` is the state array.
FITCHECK_HOST_DEVICE inline void batch_norm_finish_statistics(const batch_norm_args& a,
                                                              double* s, std::size_t j) {
  const std::size_t c = a.channels;
  if (a.training) {
    const double variance = s[bn_sum * c + j] / double(a.rows);
    s[bn_inv_std * c + j] = 1.0 / std::sqrt(variance + a.epsilon);
    s[bn_moving_mean * c + j] =
        s[bn_moving_mean * c + j] * a.momentum + s[bn_mean * c + j] * (1.0 - a.momentum);
    s[bn_moving_variance * c + j] =
        s[bn_moving_variance * c + j] * a.momentum + variance * (1.0 - a.momentum);
  } else {
    s[bn_mean * c + j] = s[bn_moving_mean * c + j];
    s[bn_inv_std * c + j] = 1.0 / std::sqrt(s[bn_moving_variance * c + j] + a.epsilon);
  }
}

/// y = xhat gamma + beta, xhat = (x - mean) inv_std; p is gamma (channels values), then beta.
template <class T>
FITCHECK_HOST_DEVICE inline T batch_norm_output(const batch_norm_args& a, const double* s,
                                                const T* p, T x, std::size_t j) {
  const std::size_t c = a.channels;
  return T((double(x) - s[bn_mean * c + j]) * s[bn_inv_std * c + j]) * p[j] + p[c + j];
}

/// dL/dx of one element from dy and the channel's backward sums: in training (the batch
/// statistics are functions of x) gamma inv_std (dy - sum / n - xhat sum_xhat / n), after an
/// inference forward gamma inv_std dy.
template <class T>
FITCHECK_HOST_DEVICE inline T batch_norm_input_gradient(const batch_norm_args& a, const double* s,
                                                        const T* p, T x, T dy, std::size_t j) {
  const std::size_t c = a.channels;
  const double scale = double(p[j]) * s[bn_inv_std * c + j];
  const double g = dy;
  if (!a.training) return T(scale * g);
  const double n = double(a.rows);
  const double xhat = (double(x) - s[bn_mean * c + j]) * s[bn_inv_std * c + j];
  return T(scale * (g - s[bn_sum * c + j] / n - xhat * s[bn_sum_xhat * c + j] / n));
}

/// Forward: in training the batch's mean and (biased) variance, two passes in double (one pass
/// of sum and sum of squares cancels catastrophically for a channel far from zero), and the
/// moving statistics updated; then y. Row-major loops: the channels are contiguous.
template <class T>
void batch_norm_forward(reference_t, const batch_norm_args& a, const T* p, const T* x, T* y,
                        double* s) noexcept {
  const std::size_t c = a.channels;
  if (a.training) {
    double* mean = s + bn_mean * c;
    double* squares = s + bn_sum * c;
    for (std::size_t j = 0; j < c; ++j) mean[j] = 0.0;
    for (std::size_t r = 0; r < a.rows; ++r)
      for (std::size_t j = 0; j < c; ++j) mean[j] += double(x[r * c + j]);
    for (std::size_t j = 0; j < c; ++j) mean[j] /= double(a.rows);
    for (std::size_t j = 0; j < c; ++j) squares[j] = 0.0;
    for (std::size_t r = 0; r < a.rows; ++r)
      for (std::size_t j = 0; j < c; ++j) {
        const double d = double(x[r * c + j]) - mean[j];
        squares[j] += d * d;
      }
  }
  for (std::size_t j = 0; j < c; ++j) batch_norm_finish_statistics(a, s, j);
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t j = 0; j < c; ++j) y[r * c + j] = batch_norm_output(a, s, p, x[r * c + j], j);
}

/// Backward after a forward with the same args: dgamma = sum(dy xhat), dbeta = sum(dy) into dp
/// (overwritten), and dx unless null.
template <class T>
void batch_norm_backward(reference_t, const batch_norm_args& a, const T* p, const T* x,
                         const T* dy, T* dx, T* dp, double* s) noexcept {
  const std::size_t c = a.channels;
  double* sum = s + bn_sum * c;
  double* sum_xhat = s + bn_sum_xhat * c;
  const double* mean = s + bn_mean * c;
  const double* inv_std = s + bn_inv_std * c;
  for (std::size_t j = 0; j < c; ++j) sum[j] = sum_xhat[j] = 0.0;
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t j = 0; j < c; ++j) {
      const double g = dy[r * c + j];
      sum[j] += g;
      sum_xhat[j] += g * (double(x[r * c + j]) - mean[j]) * inv_std[j];
    }
  for (std::size_t j = 0; j < c; ++j) {
    dp[j] = T(sum_xhat[j]);
    dp[c + j] = T(sum[j]);
  }
  if (dx == nullptr) return;
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t j = 0; j < c; ++j)
      dx[r * c + j] = batch_norm_input_gradient(a, s, p, x[r * c + j], dy[r * c + j], j);
}

}  // namespace fitcheck::kernels
