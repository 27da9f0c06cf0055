// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/dropout.hpp>
#include <fitcheck/nn/layer.hpp>

// Keras' regularisation layers besides Dropout: GaussianNoise, GaussianDropout, AlphaDropout
// and the spatial dropouts. Each acts in training only (inference is the identity) and draws its noise as a
// counter-based function of one seed per training step and the value's index
// (kernels/dropout.hpp): the host and the cuda backend draw the same noise, backward draws the
// same factors again instead of storing them, and the seeds come from a stream that the model's
// seed starts and a training backup keeps.

namespace fitcheck::nn {

namespace detail {
template <class R>
consteval bool noise_amount_fits() {
  static_assert(is_std_ratio<R>,
                "GaussianNoise<Stddev>: Stddev must be a std::ratio (a float cannot be a type). "
                "Fix: GaussianNoise<std::ratio<1, 10>> for a standard deviation of 0.1");
  if constexpr (is_std_ratio<R>)
    static_assert(R::num >= 0, "GaussianNoise<Stddev>: a standard deviation cannot be negative. "
                               "Fix: GaussianNoise<std::ratio<N, D>> with N >= 0");
  return true;
}
template <std::size_t Rank, std::size_t Wanted>
consteval bool spatial_dropout_input_fits() {
  static_assert(Rank == Wanted,
                "SpatialDropout1D takes (steps, channels) samples (rank 2) and SpatialDropout2D "
                "(height, width, channels) ones (rank 3), and the layer before gives another "
                "rank [C1]. Fix: SpatialDropout1D after Conv1D or Embedding, SpatialDropout2D "
                "after Conv2D, or Dropout for a flat vector");
  return true;
}

// What the noise layers share: the seed stream, training only, forward and backward through
// kernels::noise_forward / noise_backward with the arguments `Noise::args` gives.
template <class Noise, Dims In, const char* const& Name>
class noise_layer {
public:
  using input_shape = shape_t<In>;
  using output_shape = shape_t<In>;
  static constexpr std::size_t size = In.size();
  static constexpr std::size_t param_count = 0;
  static constexpr const char* name = Name;
  /// Value by value, so a padding mask goes on past it.
  static constexpr bool keeps_mask = true;
  /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
  static constexpr bool in_fused_step = true;

  /// Takes one value of the model's stream as this layer's seed (params is empty).
  void init(std::span<float>, Rng& rng) noexcept { seed(rng()); }
  /// Restarts the stream of per-step seeds: the same seed gives the same noise, step by step.
  void seed(std::uint64_t s) noexcept { rng_ = Rng(s); }
  /// The stream each training step's seed is drawn from (a training backup keeps its position).
  [[nodiscard]] Rng& random_stream() noexcept { return rng_; }
  /// The stream each training step's seed is drawn from.
  [[nodiscard]] const Rng& random_stream() const noexcept { return rng_; }

  /// Training: the noise of a new seed; inference: y = x.
  template <class T, class Backend = cpu_t>
  void forward(const T*, const T* x, T* y, std::size_t batch, mode m, Backend be = {}) {
    active_ = m == mode::training && Noise::active;
    if (!active_) {
      kernels::copy_values(be, x, y, batch * size);
      return;
    }
    step_seed_ = rng_();
    kernels::noise_forward(be, Noise::template args<In>(step_seed_), x, y, batch * size);
  }
  /// dx = dy times the last training forward's factor at each value.
  template <class T, class Backend = cpu_t>
  void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    if (dx == nullptr) return;
    if (!active_)
      kernels::copy_values(be, dy, dx, batch * size);
    else
      kernels::noise_backward(be, Noise::template args<In>(step_seed_), dy, dx, batch * size);
  }

private:
  Rng rng_{0};
  std::uint64_t step_seed_ = 0;
  bool active_ = false;
};

struct noise_names {
  static constexpr const char* noise = "GaussianNoise";
  static constexpr const char* dropout = "GaussianDropout";
  static constexpr const char* spatial_1d = "SpatialDropout1D";
  static constexpr const char* spatial_2d = "SpatialDropout2D";
  static constexpr const char* alpha = "AlphaDropout";
};
}  // namespace detail

/// Keras' `GaussianNoise(stddev)`: in training adds zero-mean Gaussian noise of standard
/// deviation Stddev to every value (`GaussianNoise<std::ratio<1, 10>>`); the identity otherwise.
/// Its gradient passes unchanged. A denoising autoencoder's corruption, or a regulariser.
template <class Stddev>
struct GaussianNoise : detail::same_shape {
  static_assert(detail::noise_amount_fits<Stddev>());
  /// Whether training adds anything (a standard deviation above 0).
  static constexpr bool active = Stddev::num != 0;
  /// The noise of one training step.
  template <Dims>
  static constexpr kernels::noise_args args(std::uint64_t seed) noexcept {
    return {.kind = kernels::noise_kind::add_gaussian, .seed = seed,
            .amount = double(Stddev::num) / double(Stddev::den)};
  }
  /// The layer for input shape In.
  template <Dims In>
  using bind = detail::noise_layer<GaussianNoise, In, detail::noise_names::noise>;
};

/// Keras' `GaussianDropout(rate)`: in training multiplies every value by Gaussian noise of mean
/// 1 and standard deviation sqrt(Rate / (1 - Rate)), dropout's variance without its zeros; the
/// identity otherwise. Its gradient is scaled by the same factors.
template <class Rate>
struct GaussianDropout : detail::same_shape {
  static_assert(detail::dropout_rate_fits<Rate>());
  /// Whether training multiplies by anything but 1 (a rate above 0).
  static constexpr bool active = Rate::num != 0;
  /// The noise of one training step.
  template <Dims>
  static constexpr kernels::noise_args args(std::uint64_t seed) noexcept {
    return {.kind = kernels::noise_kind::scale_gaussian, .seed = seed,
            .amount = std::sqrt(double(Rate::num) / double(Rate::den - Rate::num))};
  }
  /// The layer for input shape In.
  template <Dims In>
  using bind = detail::noise_layer<GaussianDropout, In, detail::noise_names::dropout>;
};

/// Keras' `AlphaDropout(rate)`, the dropout of self-normalising networks (SELU with
/// `lecun_uniform` weights): in training each value is dropped with probability Rate to SELU's
/// floor -alpha scale (not to 0), then every value is mapped by a x + b, a = ((1 - Rate) (1 +
/// Rate floor^2))^-1/2 and b = -a floor Rate, so inputs of mean 0 and variance 1 keep them; the
/// identity otherwise. The gradient is a where kept, 0 where dropped. Keras' noise_shape is not
/// offered.
template <class Rate>
struct AlphaDropout : detail::same_shape {
  static_assert(detail::dropout_rate_fits<Rate>());
  /// Whether training drops anything (a rate above 0).
  static constexpr bool active = Rate::num != 0;
  /// The noise of one training step.
  template <Dims>
  static constexpr kernels::noise_args args(std::uint64_t seed) noexcept {
    constexpr double rate = double(Rate::num) / double(Rate::den);
    constexpr double floor = kernels::selu_floor;
    return {.kind = kernels::noise_kind::alpha_drop, .seed = seed,
            .amount = 1.0 / std::sqrt((1 - rate) * (1 + rate * floor * floor)),
            .num = Rate::num, .den = Rate::den};
  }
  /// The layer for input shape In.
  template <Dims In>
  using bind = detail::noise_layer<AlphaDropout, In, detail::noise_names::alpha>;
};

namespace detail {
// Keras' SpatialDropout1D / 2D: dropout of whole channels (the last axis) of a sample.
template <class Rate, std::size_t Rank>
struct spatial_dropout : same_shape {
  static_assert(dropout_rate_fits<Rate>());
  static constexpr bool active = Rate::num != 0;
  template <Dims In>
  static constexpr kernels::noise_args args(std::uint64_t seed) noexcept {
    return {.kind = kernels::noise_kind::drop_channels, .seed = seed, .num = Rate::num,
            .den = Rate::den, .sample_size = In.size(), .channels = In.extent[In.rank - 1]};
  }
};
}  // namespace detail

/// Keras' `SpatialDropout1D(rate)`: in training drops whole channels of a (steps, channels)
/// sample, each with probability Rate (the same channel at every step), scaling the kept ones by
/// 1 / (1 - Rate). After Conv1D or Embedding, where neighbouring steps are correlated and
/// Dropout's single values would barely regularise.
template <class Rate>
struct SpatialDropout1D : detail::spatial_dropout<Rate, 2> {
  template <Dims In>
  struct bind
      : detail::noise_layer<SpatialDropout1D, In, detail::noise_names::spatial_1d> {
    static_assert(detail::spatial_dropout_input_fits<In.rank, 2>());
  };
};

/// Keras' `SpatialDropout2D(rate)`: the same over the channels of (height, width, channels)
/// samples (channels last), after Conv2D.
template <class Rate>
struct SpatialDropout2D : detail::spatial_dropout<Rate, 3> {
  template <Dims In>
  struct bind
      : detail::noise_layer<SpatialDropout2D, In, detail::noise_names::spatial_2d> {
    static_assert(detail::spatial_dropout_input_fits<In.rank, 3>());
  };
};

}  // namespace fitcheck::nn
