// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/batch_norm.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/kernels/state_buffer.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Momentum, class Epsilon>
consteval bool batch_normalization_params_fit() {
  constexpr bool ratios = is_std_ratio<Momentum> && is_std_ratio<Epsilon>;
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
    /// Keras' weights: gamma, beta, moving_mean, moving_variance (channels each).
    static constexpr std::array<tensor_spec, 4> tensors = {
        {{"gamma", false, 0, 1, {channels}},
         {"beta", false, channels, 1, {channels}},
         {"moving_mean", true, 0, 1, {channels}},
         {"moving_variance", true, channels, 1, {channels}}}};

    bind() : state_(kernels::bn_slices * channels, 0.0) {
      std::fill_n(state_.begin() + kernels::bn_moving_variance * channels, channels, 1.0);
    }

    /// gamma = 1, beta = 0.
    void init(std::span<float> p, Rng&) const noexcept {
      for (std::size_t j = 0; j < channels; ++j) {
        p[j] = 1.0f;
        p[channels + j] = 0.0f;
      }
    }

    /// The moving statistics (after training on a device, copied from it by this call).
    [[nodiscard]] std::span<const double> moving_mean() const {
      return slice(kernels::bn_moving_mean);
    }
    [[nodiscard]] std::span<const double> moving_variance() const {
      return slice(kernels::bn_moving_variance);
    }

    template <class T, class Backend = cpu_t>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m, Backend be = {}) {
      training_ = m == mode::training;
      kernels::batch_norm_forward(be, args(batch), p, x, y, state(be));
    }

    /// With xhat = (x - mean) * inv_std: dgamma = sum(dy xhat), dbeta = sum(dy), and in
    /// training dx = gamma inv_std (dy - dbeta / n - xhat dgamma / n), the batch statistics
    /// being functions of x; after an inference forward dx = gamma inv_std dy.
    template <class T, class Backend = cpu_t>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                  Backend be = {}) {
      kernels::batch_norm_backward(be, args(batch), p, x, dy, dx, dp, state(be));
    }

    /// Writes the moving means, then the moving variances.
    void save_state(std::span<double> out) const {
      const auto mean = slice(kernels::bn_moving_mean);
      const auto variance = slice(kernels::bn_moving_variance);
      std::copy(mean.begin(), mean.end(), out.begin());
      std::copy(variance.begin(), variance.end(), out.begin() + channels);
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
      sync_host();
      std::copy(in.begin(), in.begin() + 2 * channels,
                state_.begin() + kernels::bn_moving_mean * channels);
      device_current_ = false;
    }

  private:
    kernels::batch_norm_args args(std::size_t batch) const noexcept {
      return {.rows = batch * (size / channels), .channels = channels, .momentum = momentum,
              .epsilon = epsilon, .training = training_};
    }
    // The state array the backend works on. The host's is state_; a device keeps its own copy,
    // made on its first forward, and whichever side wrote last is the current one: the other
    // copies it before reading (save_state after training on the device downloads it).
    template <class Backend>
    double* state(Backend be) {
      if constexpr (is_host_backend<Backend>) {
        sync_host();
        device_current_ = false;
        return state_.data();
      } else {
        if (device_.empty()) device_ = kernels::allocate_state(be, state_.size());
        if (!device_current_) device_.upload(state_.data());
        device_current_ = host_stale_ = true;
        return device_.data();
      }
    }
    void sync_host() const {
      if (host_stale_) device_.download(state_.data());
      host_stale_ = false;
    }
    std::span<const double> slice(kernels::batch_norm_state which) const {
      sync_host();
      return std::span<const double>(state_).subspan(which * channels, channels);
    }

    // kernels::bn_slices slices of `channels` values (kernels/batch_norm.hpp).
    mutable std::vector<double> state_;
    kernels::state_buffer device_;
    bool device_current_ = false;     // device_ holds the newest state
    mutable bool host_stale_ = false;  // state_ is older than device_
    bool training_ = true;
  };
};

}  // namespace fitcheck::nn
