// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>

#include <fitcheck/config.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/kernels/backend.hpp>

// Inverted dropout with a counter-based mask: whether unit i is kept is a hash of (seed, i), so a
// device thread decides its unit alone and backward finds the same mask again from the seed,
// without storing it. The cuda backend's Dropout uses it with one seed per training step drawn
// from the layer's stream; the host Dropout keeps its own sequential stream (nn/dropout.hpp).

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

}  // namespace fitcheck::kernels
