// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Momentum, class Epsilon>
consteval bool batch_normalization_params_fit() {
  constexpr bool ratios = requires {
    Momentum::num;
    Momentum::den;
    Epsilon::num;
    Epsilon::den;
  };
  static_assert(ratios, "BatchNormalization<Momentum, Epsilon>: both must be std::ratio values "
                        "(a float cannot be a type). Fix: BatchNormalization<std::ratio<99, 100>, "
                        "std::ratio<1, 1000>> (Keras' defaults, also what BatchNormalization<> "
                        "gives)");
  if constexpr (ratios) {
    static_assert(Momentum::num >= 0 && Momentum::num < Momentum::den,
                  "BatchNormalization: the momentum must lie in [0, 1) (the moving statistics "
                  "keep that share of their value per step; 1 would never learn them). Fix: "
                  "std::ratio<99, 100>, Keras' default");
    static_assert(Epsilon::num > 0,
                  "BatchNormalization: epsilon must be positive (it keeps 1 / sqrt(variance + "
                  "epsilon) finite on a constant channel). Fix: std::ratio<1, 1000>, Keras' "
                  "default");
  }
  return true;
}
}  // namespace detail

/// Keras' `BatchNormalization(axis=-1, momentum, epsilon)`: each index of the last axis (the
/// channel of an image, the unit of a vector) is standardised over every other axis of the
/// batch, then scaled by gamma and shifted by beta (trainable, initially 1 and 0).
///
/// In training the batch's own mean and (biased) variance are used, and the moving statistics
/// follow them: moving = moving * momentum + batch * (1 - momentum), Keras' rule (PyTorch
/// folds in the unbiased variance; the difference is a factor n / (n - 1) in the moving
/// variance only). `evaluate` and `predict` use the moving statistics, which start at mean 0,
/// variance 1 and are state that save_weights writes.
template <class Momentum = std::ratio<99, 100>, class Epsilon = std::ratio<1, 1000>>
struct BatchNormalization {
  static_assert(detail::batch_normalization_params_fit<Momentum, Epsilon>());
  /// Never the model's last layer: Sequential rejects it there [C7].
  static constexpr bool normalizes_output = true;

  /// The input's shape.
  static constexpr Dims output_dims(Dims in) { return in; }

  template <Dims In>
  class bind {
  public:
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    /// Statistics per index of the last axis.
    static constexpr std::size_t channels = In.rank == 0 ? 1 : In.extent[In.rank - 1];
    /// gamma (channels values), then beta.
    static constexpr std::size_t param_count = 2 * channels;
    static constexpr const char* name = "BatchNormalization";
    static constexpr double momentum = double(Momentum::num) / double(Momentum::den);
    static constexpr double epsilon = double(Epsilon::num) / double(Epsilon::den);
    /// Saved with the weights: the moving means, then the moving variances.
    static constexpr std::size_t state_count = 2 * channels;

    bind()
        : moving_mean_(channels, 0.0), moving_variance_(channels, 1.0), mean_(channels),
          inv_std_(channels), sum_(channels), sum_xhat_(channels) {}

    /// gamma = 1, beta = 0.
    void init(std::span<float> p, Rng&) const noexcept {
      for (std::size_t j = 0; j < channels; ++j) {
        p[j] = 1.0f;
        p[channels + j] = 0.0f;
      }
    }

    [[nodiscard]] std::span<const double> moving_mean() const noexcept { return moving_mean_; }
    [[nodiscard]] std::span<const double> moving_variance() const noexcept {
      return moving_variance_;
    }

    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m) noexcept {
      const std::size_t rows = batch * (size / channels);
      training_ = m == mode::training;
      if (training_) {
        // Two passes, in double: the mean, then the squared deviations from it (one pass of
        // sum and sum of squares cancels catastrophically for a channel far from zero).
        std::fill(mean_.begin(), mean_.end(), 0.0);
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t j = 0; j < channels; ++j) mean_[j] += double(x[r * channels + j]);
        for (double& v : mean_) v /= double(rows);
        std::fill(sum_.begin(), sum_.end(), 0.0);
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t j = 0; j < channels; ++j) {
            const double d = double(x[r * channels + j]) - mean_[j];
            sum_[j] += d * d;
          }
        for (std::size_t j = 0; j < channels; ++j) {
          const double variance = sum_[j] / double(rows);
          inv_std_[j] = 1.0 / std::sqrt(variance + epsilon);
          moving_mean_[j] = moving_mean_[j] * momentum + mean_[j] * (1.0 - momentum);
          moving_variance_[j] = moving_variance_[j] * momentum + variance * (1.0 - momentum);
        }
      } else {
        for (std::size_t j = 0; j < channels; ++j) {
          mean_[j] = moving_mean_[j];
          inv_std_[j] = 1.0 / std::sqrt(moving_variance_[j] + epsilon);
        }
      }
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < channels; ++j)
          y[r * channels + j] =
              T((double(x[r * channels + j]) - mean_[j]) * inv_std_[j]) * p[j] + p[channels + j];
    }

    /// With xhat = (x - mean) * inv_std: dgamma = sum(dy xhat), dbeta = sum(dy), and in
    /// training dx = gamma inv_std (dy - dbeta / n - xhat dgamma / n), the batch statistics
    /// being functions of x; after an inference forward dx = gamma inv_std dy.
    template <class T>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp,
                  std::size_t batch) noexcept {
      const std::size_t rows = batch * (size / channels);
      std::fill(sum_.begin(), sum_.end(), 0.0);
      std::fill(sum_xhat_.begin(), sum_xhat_.end(), 0.0);
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < channels; ++j) {
          const double g = dy[r * channels + j];
          sum_[j] += g;
          sum_xhat_[j] += g * (double(x[r * channels + j]) - mean_[j]) * inv_std_[j];
        }
      for (std::size_t j = 0; j < channels; ++j) {
        dp[j] = T(sum_xhat_[j]);
        dp[channels + j] = T(sum_[j]);
      }
      if (dx == nullptr) return;
      const double n = double(rows);
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < channels; ++j) {
          const double scale = double(p[j]) * inv_std_[j];
          const double g = dy[r * channels + j];
          if (!training_) {
            dx[r * channels + j] = T(scale * g);
            continue;
          }
          const double xhat = (double(x[r * channels + j]) - mean_[j]) * inv_std_[j];
          dx[r * channels + j] = T(scale * (g - sum_[j] / n - xhat * sum_xhat_[j] / n));
        }
    }

    /// Writes the moving means, then the moving variances.
    void save_state(std::span<double> out) const noexcept {
      std::copy(moving_mean_.begin(), moving_mean_.end(), out.begin());
      std::copy(moving_variance_.begin(), moving_variance_.end(), out.begin() + channels);
    }
    /// Restores what save_state wrote; a non-finite value or a negative variance is a
    /// data_error and changes nothing.
    void load_state(std::span<const double> in) {
      for (std::size_t j = 0; j < channels; ++j) {
        const double m = in[j], v = in[channels + j];
        if (!std::isfinite(m) || !std::isfinite(v) || v < 0)
          throw data_error("BatchNormalization: the saved moving statistics of channel " +
                               std::to_string(j) + " are mean " + std::to_string(m) +
                               " and variance " + std::to_string(v),
                           "means must be finite and variances finite and >= 0; the weights "
                           "file was not written by fitcheck's save_weights, save it again");
      }
      std::copy(in.begin(), in.begin() + channels, moving_mean_.begin());
      std::copy(in.begin() + channels, in.begin() + 2 * channels, moving_variance_.begin());
    }

  private:
    std::vector<double> moving_mean_, moving_variance_;
    // The last forward's statistics (batch or moving), for backward; sums reused by both.
    std::vector<double> mean_, inv_std_, sum_, sum_xhat_;
    bool training_ = true;
  };
};

}  // namespace fitcheck::nn
