// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cmath>
#include <cstdint>

#include <fitcheck/config.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/kernels/backend.hpp>

// Inverted dropout with a counter-based mask: whether unit i is kept is a hash of (seed, i), so a
// device thread decides its unit alone and backward finds the same mask again from the seed,
// without storing it. The cuda backend's Dropout uses it with one seed per training step drawn
// from the layer's stream; the host Dropout keeps its own sequential stream (nn/dropout.hpp). The
// noise layers (nn/noise.hpp) draw theirs this way on every backend.

namespace fitcheck::kernels {

/// True when unit i survives: the top 32 bits of splitmix64(seed, i), scaled to [0, den), are
/// at least num, so the drop probability is num / den to within den / 2^32.
FITCHECK_HOST_DEVICE constexpr bool dropout_keeps(std::uint64_t seed, std::size_t i,
                                                  std::uint64_t num, std::uint64_t den) noexcept {
  std::uint64_t state = seed ^ (0x9E3779B97F4A7C15ull * (std::uint64_t(i) + 1));
  const std::uint64_t bits = splitmix64(state) >> 32;
  return ((bits * den) >> 32) >= num;
}

/// y = x / (1 - num/den) where kept, 0 elsewhere (training); n values.
template <class T>
void dropout_forward(reference_t, std::uint64_t seed, std::uint64_t num, std::uint64_t den,
                     const T* x, T* y, std::size_t n) noexcept {
  const T scale = T(den) / T(den - num);
  for (std::size_t i = 0; i < n; ++i) y[i] = dropout_keeps(seed, i, num, den) ? x[i] * scale : T(0);
}

/// dx = dy / (1 - num/den) where the forward with the same seed kept the unit, 0 elsewhere.
template <class T>
void dropout_backward(reference_t, std::uint64_t seed, std::uint64_t num, std::uint64_t den,
                      const T* dy, T* dx, std::size_t n) noexcept {
  dropout_forward(reference, seed, num, den, dy, dx, n);
}

/// A standard normal value for (seed, i): Box-Muller on two 32-bit uniforms of
/// splitmix64(seed, i), so a device thread draws its value alone and backward draws it again.
FITCHECK_HOST_DEVICE inline double standard_normal(std::uint64_t seed, std::size_t i) noexcept {
  // Another stream than dropout_keeps' for the same (seed, i).
  std::uint64_t state =
      (seed + 0x632BE59BD9B4E019ull) ^ (0xBF58476D1CE4E5B9ull * (std::uint64_t(i) + 1));
  const std::uint64_t bits = splitmix64(state);
  const double u1 = (double(bits >> 32) + 1.0) * 0x1.0p-32;  // (0, 1]: its log is finite
  const double u2 = double(bits & 0xFFFFFFFFull) * 0x1.0p-32;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// SELU's self-normalising constants (Klambauer et al. 2017), to double precision: the SELU
/// activation's (nn/activation_functions.hpp) and AlphaDropout's.
inline constexpr double selu_alpha = 1.6732632423543772848170429916717;
inline constexpr double selu_scale = 1.0507009873554804934193349852946;
/// The value SELU tends to at minus infinity, which AlphaDropout gives dropped units.
inline constexpr double selu_floor = -selu_alpha * selu_scale;

/// The training noise of GaussianNoise, GaussianDropout, AlphaDropout and the spatial dropouts
/// (nn/noise.hpp), as counter-based functions of (seed, value index): one seed per training
/// step, the same values on the host and the device, and backward's factors drawn again.
enum class noise_kind : unsigned char {
  add_gaussian,    ///< y = x + amount z (GaussianNoise, amount = stddev)
  scale_gaussian,  ///< y = x (1 + amount z) (GaussianDropout, amount = sqrt(rate / (1 - rate)))
  drop_channels,   ///< y = x / (1 - num/den) or 0, one draw per (sample, channel)
  /// y = a x + b kept, a selu_floor + b dropped (AlphaDropout: a = amount, b = -a selu_floor
  /// rate, the rate num / den), so SELU's zero mean and unit variance stay
  alpha_drop,
};

/// One training step's noise.
struct noise_args {
  noise_kind kind = noise_kind::add_gaussian;  ///< which noise
  std::uint64_t seed = 0;                      ///< the training step's seed
  double amount = 0;               ///< add_gaussian, scale_gaussian
  std::uint64_t num = 0, den = 1;  ///< drop_channels: the rate num / den
  std::size_t sample_size = 1;     ///< drop_channels: values per sample
  std::size_t channels = 1;        ///< drop_channels: the last axis

  /// dy/dx at value i: the multiplicative factor (1 for the additive noise).
  template <class T>
  FITCHECK_HOST_DEVICE T factor(std::size_t i) const noexcept {
    switch (kind) {
      case noise_kind::scale_gaussian: return T(1.0 + amount * standard_normal(seed, i));
      case noise_kind::drop_channels: {
        const std::size_t unit = (i / sample_size) * channels + i % channels;
        return dropout_keeps(seed, unit, num, den) ? T(den) / T(den - num) : T(0);
      }
      case noise_kind::alpha_drop: return dropout_keeps(seed, i, num, den) ? T(amount) : T(0);
      default: return T(1);
    }
  }
  /// y at value i for input x.
  template <class T>
  FITCHECK_HOST_DEVICE T apply(std::size_t i, T x) const noexcept {
    if (kind == noise_kind::add_gaussian) return x + T(amount * standard_normal(seed, i));
    if (kind == noise_kind::alpha_drop) {
      const double b = -amount * selu_floor * double(num) / double(den);
      return dropout_keeps(seed, i, num, den) ? T(amount) * x + T(b)
                                              : T(amount * selu_floor + b);
    }
    return x * factor<T>(i);
  }
};

/// The noise of `a` on n values (training forward).
template <class T>
void noise_forward(reference_t, const noise_args& a, const T* x, T* y, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] = a.apply(i, x[i]);
}
/// dx = dy times the forward's factor at each value.
template <class T>
void noise_backward(reference_t, const noise_args& a, const T* dy, T* dx, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * a.factor<T>(i);
}

}  // namespace fitcheck::kernels
