// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include <fitcheck/core/error.hpp>

namespace fitcheck {

enum class cardinality_kind : std::uint8_t {
  finite,    ///< ends after a count of elements
  unknown,   ///< ends, but nobody can say when (filter, a generator of unstated length)
  infinite,  ///< never ends (repeat() with no count)
};

/// How many elements a data set yields, with tf.data's algebra for each stage.
///
/// One value type serves both worlds: a pipeline type carries a `Cardinality` as a constant
/// (its *static* cardinality), and a pipeline object computes one from the sizes it sees at
/// run time. A static cardinality may be finite with a count that only the running program
/// knows (`finite_at_runtime()`); the algebra propagates that, so "infinite by type" is
/// known at compile time even when the sample count is not. Structural, so it can be a
/// template argument.
struct Cardinality {
  /// The count of a finite cardinality whose value is known only at run time.
  static constexpr std::size_t runtime_count = std::numeric_limits<std::size_t>::max();

  /// Exact, finite but known only at run time, unknown, or infinite.
  cardinality_kind kind = cardinality_kind::unknown;
  std::size_t count = 0;  ///< meaningful for `finite` only

  /// Exactly n elements.
  [[nodiscard]] static constexpr Cardinality finite(std::size_t n) {
    return {cardinality_kind::finite, n};
  }
  /// Finite, with the count known only once the data is opened (files, spans).
  [[nodiscard]] static constexpr Cardinality finite_at_runtime() {
    return {cardinality_kind::finite, runtime_count};
  }
  /// Finite or not, unknown until the data ends (generators, filters).
  [[nodiscard]] static constexpr Cardinality unknown() { return {cardinality_kind::unknown, 0}; }
  /// Never ends (repeat() with no count).
  [[nodiscard]] static constexpr Cardinality infinite() {
    return {cardinality_kind::infinite, 0};
  }

  /// Finite: exact, or known at run time.
  [[nodiscard]] constexpr bool is_finite() const { return kind == cardinality_kind::finite; }
  /// Unknown until the data ends.
  [[nodiscard]] constexpr bool is_unknown() const { return kind == cardinality_kind::unknown; }
  /// Infinite.
  [[nodiscard]] constexpr bool is_infinite() const { return kind == cardinality_kind::infinite; }
  /// Finite with a count the holder knows (not `finite_at_runtime()`).
  [[nodiscard]] constexpr bool is_exact() const { return is_finite() && count != runtime_count; }

  /// `repeat()`: forever. An empty data set stays empty, as in tf.data; a count known only
  /// at run time is assumed non-empty, so "infinite by type" holds for every repeat().
  [[nodiscard]] constexpr Cardinality repeat() const {
    if (is_exact() && count == 0) return finite(0);
    return infinite();
  }

  /// `repeat(times)`.
  [[nodiscard]] constexpr Cardinality repeat(std::size_t times) const {
    if (times == 0) return finite(0);
    if (!is_exact()) return *this;
    if (count != 0 && times > (runtime_count - 1) / count)
      throw argument_error("repeat(" + std::to_string(times) + ") of " +
                               std::to_string(count) + " elements overflows the element count",
                           "repeat() with no count for an endless data set");
    return finite(count * times);
  }

  /// `batch(size)`: a partial last batch is kept unless `drop_remainder`.
  [[nodiscard]] constexpr Cardinality batch(std::size_t size, bool drop_remainder = false) const {
    if (size == 0) {
      throw argument_error(  // READ THIS: batch size 0. Fix: a batch size of 1 or more
          "batch size 0: a batch must hold at least one sample",
          "pass a batch size of 1 or more, e.g. batch<32>()");
    }
    if (!is_exact()) return *this;
    return finite(drop_remainder ? count / size : count / size + (count % size != 0));
  }

  /// `take(n)`: at most the first n elements.
  [[nodiscard]] constexpr Cardinality take(std::size_t n) const {
    if (n == 0) return finite(0);
    if (is_infinite()) return finite(n);
    if (is_exact()) return finite(std::min(count, n));
    return *this;
  }

  /// `skip(n)`: all but the first n elements.
  [[nodiscard]] constexpr Cardinality skip(std::size_t n) const {
    if (!is_exact()) return *this;
    return finite(count > n ? count - n : 0);
  }

  /// `shard(num_shards, index)`: every num_shards-th element, starting at index.
  [[nodiscard]] constexpr Cardinality shard(std::size_t num_shards, std::size_t index) const {
    if (num_shards == 0 || index >= num_shards)
      throw argument_error(  // READ THIS: the shard index must be below the shard count
          "shard(" + std::to_string(num_shards) + ", " + std::to_string(index) +
                               "): the index must be below the shard count",
                           "pass shard(num_workers, worker_index) with 0 <= worker_index < "
                           "num_workers");
    if (!is_exact()) return *this;
    return finite(count / num_shards + (index < count % num_shards));
  }

  /// `filter(pred)`: how many pass is unknown until the data has been seen.
  [[nodiscard]] constexpr Cardinality filter() const {
    if (is_exact() && count == 0) return finite(0);
    return unknown();
  }

  /// `concatenate(other)`: these elements, then `other`'s. Infinite if either is (the rules
  /// refuse an infinite first part), unknown if either is, else the sum.
  [[nodiscard]] constexpr Cardinality concatenate(const Cardinality& other) const {
    if (is_infinite() || other.is_infinite()) return infinite();
    if (is_unknown() || other.is_unknown()) return unknown();
    if (!is_exact() || !other.is_exact()) return finite_at_runtime();
    if (count > runtime_count - 1 - other.count)
      throw argument_error("concatenating " + std::to_string(count) + " and " +
                               std::to_string(other.count) +
                               " elements overflows the element count",
                           "take(n) of the parts, or repeat() with no count");
    return finite(count + other.count);
  }

  /// What a type can say about a stage whose argument is a run-time value: an exact count
  /// becomes `finite_at_runtime()`, the kind stays.
  [[nodiscard]] constexpr Cardinality erase_count() const {
    return is_exact() ? finite_at_runtime() : *this;
  }

  /// Same kind and count.
  friend constexpr bool operator==(const Cardinality&, const Cardinality&) = default;
};

/// "150 elements", "a finite number of elements known at run time", "unknown", "infinite":
/// how messages name a cardinality.
std::string to_string(const Cardinality& c);

namespace detail {
template <Cardinality C>
consteval std::size_t static_count() {
  if constexpr (C.is_infinite()) {
    static_assert(C.is_finite(),
                  "cardinality: the data set is infinite (repeat() with no count), so it has no "
                  "element count. Fix: write repeat(n) or take(n) for a finite data set, or pass "
                  "StepsPerEpoch to fit");
  } else if constexpr (C.is_unknown()) {
    static_assert(C.is_finite(),
                  "cardinality: the element count is unknown (after filter() or from a "
                  "generator). Fix: declare the count with assert_cardinality(n)");
  } else {
    static_assert(C.is_exact(),
                  "cardinality: the element count is known only at run time. Fix: read it at "
                  "run time (cardinality()), or use a source with a static size");
  }
  return C.count;
}
}  // namespace detail

/// The element count of a static cardinality, for code that needs it at compile time; a
/// cardinality that is not finite and known at compile time is a compile error saying why.
template <Cardinality C>
inline constexpr std::size_t static_count_v = detail::static_count<C>();

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/cardinality_impl.hpp>
#endif
