// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cstdint>

#include <fitcheck/config.hpp>

// fitcheck's own random streams, so that the same seed gives the same shuffles, weights and
// dropout masks on every platform and standard library (std::uniform_int_distribution is not
// specified bit for bit).

namespace fitcheck {

namespace detail {
__extension__ using uint128 = unsigned __int128;  // g++ and clang; -Wpedantic needs the marker
}

/// SplitMix64: seeds other generators and mixes (seed, stream) pairs; the device's dropout masks
/// hash with it (kernels/dropout.hpp).
FITCHECK_HOST_DEVICE constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, passes BigCrush.
class Rng {
public:
  /// A UniformRandomBitGenerator of 64-bit values.
  using result_type = std::uint64_t;

  /// The stream for `seed`; `stream` selects an independent stream (e.g. the epoch number).
  constexpr explicit Rng(std::uint64_t seed, std::uint64_t stream = 0) noexcept {
    std::uint64_t sm = seed ^ (0xD1B54A32D192ED03ull * (stream + 1));
    for (auto& w : s_) w = splitmix64(sm);
  }

  /// The smallest value: 0.
  static constexpr result_type min() noexcept { return 0; }
  /// The largest value: 2^64 - 1.
  static constexpr result_type max() noexcept { return ~result_type{0}; }

  /// The next value of the stream.
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, bound), bound > 0, without modulo bias (Lemire's multiply-shift method).
  constexpr std::uint64_t below(std::uint64_t bound) noexcept {
    detail::uint128 m = static_cast<detail::uint128>((*this)()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<detail::uint128>((*this)()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// Uniform in [0, 1) with 24 random bits: every float32 value in the range is reachable.
  constexpr float uniform_float() noexcept {
    return static_cast<float>((*this)() >> 40) * 0x1.0p-24f;
  }

  /// The stream's position, 256 bits: a training backup keeps it (train/backup.hpp).
  [[nodiscard]] constexpr std::array<std::uint64_t, 4> state() const noexcept {
    return {s_[0], s_[1], s_[2], s_[3]};
  }
  /// Continues the stream from a position `state()` returned.
  constexpr void set_state(const std::array<std::uint64_t, 4>& s) noexcept {
    for (int i = 0; i < 4; ++i) s_[i] = s[i];
  }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
  }
  std::uint64_t s_[4]{};
};

}  // namespace fitcheck
