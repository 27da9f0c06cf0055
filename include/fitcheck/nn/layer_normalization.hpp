// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/kernels/layer_norm.hpp>
#include <fitcheck/kernels/state_buffer.hpp>
#include <fitcheck/nn/layer.hpp>
#include <ratio>
#include <span>
#include <vector>

namespace fitcheck::nn {

namespace detail {
template <class Epsilon>
consteval bool layer_normalization_epsilon_fits() {
  static_assert(is_std_ratio<Epsilon>,
                "LayerNormalization<Epsilon>: Epsilon must be a std::ratio (a float cannot be a "
                "type). Fix: LayerNormalization<std::ratio<1, 100000>> for PyTorch's 1e-5, "
                "LayerNormalization<> for Keras' 1e-3");
  if constexpr (is_std_ratio<Epsilon>)
    static_assert(Epsilon::num > 0,
                  "LayerNormalization: epsilon must be positive (it keeps 1 / sqrt(variance + "
                  "epsilon) finite on a constant sample). Fix: std::ratio<1, 1000>, Keras' "
                  "default");
  return true;
}
}  // namespace detail

/// Keras' `LayerNormalization(axis=-1, epsilon)`: each sample's last axis (a vector's units, each
/// step of a sequence, each pixel's channels) is standardised over itself, then scaled by gamma
/// and shifted by beta (trainable per index of the last axis, initially 1 and 0). Unlike
/// BatchNormalization it reads no other sample, so training and inference compute the same thing
/// and there is no state to keep; it keeps a sequence's padding mask (each step on its own).
/// Epsilon is a std::ratio: Keras' 1e-3 by default, PyTorch's LayerNorm uses 1e-5.
template <class Epsilon = std::ratio<1, 1000>>
struct LayerNormalization {
  static_assert(detail::layer_normalization_epsilon_fits<Epsilon>());
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
    /// The axis each row is standardised over.
    static constexpr std::size_t channels = In.rank == 0 ? 1 : In.extent[In.rank - 1];
    /// Rows per sample: the steps of a sequence, the pixels of an image, 1 for a vector.
    static constexpr std::size_t sample_rows = size / channels;
    /// gamma (channels values), then beta.
    static constexpr std::size_t param_count = 2 * channels;
    static constexpr const char* name = "LayerNormalization";
    static constexpr double epsilon = detail::ratio_value<Epsilon>();
    /// Each step is normalised on its own: a padding mask goes on to the next layer.
    static constexpr bool keeps_mask = true;
    /// Keras' weights: gamma, beta.
    static constexpr std::array<tensor_spec, 2> tensors = {
        {{"gamma", false, 0, 1, {channels}}, {"beta", false, channels, 1, {channels}}}};
    /// The rows' statistics (two doubles each) kept from forward for backward.
    static constexpr std::size_t sample_workspace_floats = 4 * sample_rows;
    /// The parameter gradients' sums (two doubles per channel).
    static constexpr std::size_t workspace_floats = 4 * channels;
    /// The same in a device backend's memory at `batch`, for [E1].
    static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
      return 2 * kernels::layer_norm_workspace(batch * sample_rows, channels);
    }

    /// gamma = 1, beta = 0.
    void init(std::span<float> p, Rng&) const noexcept {
      std::fill_n(p.begin(), channels, 1.0f);
      std::fill_n(p.begin() + channels, channels, 0.0f);
    }

    /// Sizes the host workspace for batches up to max_batch: a training step allocates nothing.
    void reserve(std::size_t max_batch) {
      const std::size_t n = kernels::layer_norm_workspace(max_batch * sample_rows, channels);
      if (host_.size() < n) host_.resize(n);
    }

    template <class T, class Backend = cpu_t>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {}) {
      kernels::layer_norm_forward(be, args(batch), p, x, y, workspace(be, batch));
    }

    /// With g = dy gamma and xhat = (x - mean) inv_std per row: dgamma = sum(dy xhat),
    /// dbeta = sum(dy), dx = inv_std (g - mean(g) - xhat mean(g xhat)).
    template <class T, class Backend = cpu_t>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                  Backend be = {}) {
      kernels::layer_norm_backward(be, args(batch), p, x, dy, dx, dp, workspace(be, batch));
    }

   private:
    static kernels::layer_norm_args args(std::size_t batch) noexcept {
      return {.rows = batch * sample_rows, .channels = channels, .epsilon = epsilon};
    }
    // The backend's workspace for `batch`: grown only past the largest batch reserved (the
    // gradient checks, a first device step), so a training step allocates nothing.
    template <class Backend>
    double* workspace(Backend be, std::size_t batch) {
      const std::size_t n = kernels::layer_norm_workspace(batch * sample_rows, channels);
      if constexpr (is_host_backend<Backend>) {
        if (host_.size() < n) host_.resize(n);
        return host_.data();
      } else {
        if (device_.size() < n) device_ = kernels::allocate_state(be, n);
        return device_.data();
      }
    }

    std::vector<double> host_;
    kernels::state_buffer device_;
  };
};

}  // namespace fitcheck::nn
