// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fitcheck/core/error.hpp>

// Strong argument types: `fit(train, Epochs{5}, StepsPerEpoch{31})` cannot swap its numbers.
// Each takes any integer type but not bool or floating point, explicitly, and rejects values
// below its minimum where they are made: in a constant expression that is a compile error.

namespace fitcheck {

namespace detail {
template <class I>
concept count_integer = std::integral<I> && !std::same_as<I, bool>;

template <count_integer I>
constexpr std::uint64_t checked_count(I value, std::string_view name, std::uint64_t minimum) {
  if (std::cmp_less(value, minimum)) {
    // In a constant expression the compiler stops on the next line and prints it:
    throw argument_error(  // READ THIS: the argument is below its minimum (Epochs{0}?)
        std::string(name) + "{" + std::to_string(value) + "}: must be at least " +
            std::to_string(minimum),
        "pass " + std::string(name) + "{n} with n >= " + std::to_string(minimum));
  }
  return static_cast<std::uint64_t>(value);
}
}  // namespace detail

/// Passes over the data for `fit`; at least 1.
struct Epochs {
  /// The count.
  std::size_t value;
  /// Checks n >= 1: a literal below is a compile error, a run-time value an argument_error.
  template <detail::count_integer I>
  constexpr explicit Epochs(I n) : value(detail::checked_count(n, "Epochs", 1)) {}
  /// Equal counts.
  friend constexpr bool operator==(Epochs, Epochs) = default;
};

/// Batches per epoch; required by `fit` when the pipeline is infinite; at least 1.
struct StepsPerEpoch {
  /// The count.
  std::size_t value;
  /// Checks n >= 1, as Epochs does.
  template <detail::count_integer I>
  constexpr explicit StepsPerEpoch(I n) : value(detail::checked_count(n, "StepsPerEpoch", 1)) {}
  /// Equal counts.
  friend constexpr bool operator==(StepsPerEpoch, StepsPerEpoch) = default;
};

/// Training steps fit may queue on an asynchronous engine (fc::cuda_t) before it reads the first
/// of their results, as Keras' `steps_per_execution`; at least 1 (the default). Every step is
/// still reported, in order, to the guards, the metrics and the callbacks; what a batch-end
/// callback does (stop training, change the learning rate or the weights) takes effect after
/// the steps already queued. On the CPU backends, which finish each step before fit goes on,
/// it changes nothing (docs/training.md).
struct StepsPerExecution {
  /// The count.
  std::size_t value;
  /// Checks n >= 1, as Epochs does.
  template <detail::count_integer I>
  constexpr explicit StepsPerExecution(I n)
      : value(detail::checked_count(n, "StepsPerExecution", 1)) {}
  /// Equal counts.
  friend constexpr bool operator==(StepsPerExecution, StepsPerExecution) = default;
};

/// Batches per validation run; required when the validation pipeline is infinite.
struct ValidationSteps {
  /// The count.
  std::size_t value;
  /// Checks n >= 1, as Epochs does.
  template <detail::count_integer I>
  constexpr explicit ValidationSteps(I n)
      : value(detail::checked_count(n, "ValidationSteps", 1)) {}
  /// Equal counts.
  friend constexpr bool operator==(ValidationSteps, ValidationSteps) = default;
};

/// Samples per batch where the batch size is a run-time value; at least 1.
struct BatchSize {
  /// The count.
  std::size_t value;
  /// Checks n >= 1, as Epochs does.
  template <detail::count_integer I>
  constexpr explicit BatchSize(I n) : value(detail::checked_count(n, "BatchSize", 1)) {}
  /// Equal counts.
  friend constexpr bool operator==(BatchSize, BatchSize) = default;
};

/// Seed of a random stream (shuffles, initial weights, dropout). The same seed gives the same
/// stream, bit for bit.
struct Seed {
  /// The seed.
  std::uint64_t value;
  /// Any non-negative integer; a negative one is rejected as Epochs rejects 0.
  template <detail::count_integer I>
  constexpr explicit Seed(I n) : value(detail::checked_count(n, "Seed", 0)) {}
  /// Equal seeds.
  friend constexpr bool operator==(Seed, Seed) = default;
};

/// `epochs<5>`: an epoch count known at compile time, so `fit` can check at compile time that
/// a pipeline of static size holds enough batches [A2]. Converts to `Epochs`.
template <std::size_t N>
struct StaticEpochs {
  static_assert(N >= 1, "epochs<N>: must be at least 1. Fix: epochs<1> or more");
  /// The count, N.
  static constexpr std::size_t value = N;
  /// The run-time form.
  constexpr operator Epochs() const { return Epochs{N}; }
};
template <std::size_t N>
inline constexpr StaticEpochs<N> epochs{};

/// `steps_per_epoch<31>`: a step count known at compile time (see `epochs<N>`).
template <std::size_t N>
struct StaticStepsPerEpoch {
  static_assert(N >= 1, "steps_per_epoch<N>: must be at least 1. Fix: steps_per_epoch<1> or more");
  /// The count, N.
  static constexpr std::size_t value = N;
  /// The run-time form.
  constexpr operator StepsPerEpoch() const { return StepsPerEpoch{N}; }
};
template <std::size_t N>
inline constexpr StaticStepsPerEpoch<N> steps_per_epoch{};

}  // namespace fitcheck
