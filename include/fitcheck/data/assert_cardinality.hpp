// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: dataset of T whose length the library cannot know (a generator, a filter).
// Out: the same dataset of T, declared to hold exactly n elements, verified while iterating.
//
// The declaration makes the count known [B5], so the epoch planning that needs it
// (A1, A2, A9) applies; as in tf.data, a source that turns out shorter or longer is an error at
// the moment that becomes visible.

#include <cstddef>
#include <string>
#include <utility>

#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>

namespace fitcheck::data {

/// A dataset declared to hold exactly `count` elements; a pass that ends early or runs long
/// throws `data_error`.
template <dataset Source>
class AssertCardinality : public dataset_interface<AssertCardinality<Source>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Cardinality::finite_at_runtime();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = Source::traits;

  /// Throws `data_error` when the source already knows a different length: the declaration
  /// would fail on the first pass, so it fails here, before any training.
  AssertCardinality(Source source, std::size_t count)
      : source_(std::move(source)), count_(count) {
    const Cardinality known = source_.cardinality();
    if (known.is_infinite()) {
      throw data_error(name() + ": the source never ends (it has " + to_string(known) + ")",
                       "put take(" + std::to_string(count_) +
                           ") before it, or remove the repeat() that makes the source endless");
    }
    if (known.is_exact() && known.count != count_) {
      throw data_error(name() + ": the source has " + to_string(known),
                       "declare the count it has, assert_cardinality(" +
                           std::to_string(known.count) + "), or put take(" +
                           std::to_string(count_) + ") before it");
    }
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return Cardinality::finite(count_); }
  /// One pass is the declared count: an assertion upstream of a repeat covers one epoch.
  [[nodiscard]] Cardinality epoch_cardinality() const { return Cardinality::finite(count_); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  /// A pass that counts the source's elements against the declared count.
  class cursor {
  public:
    cursor(cursor_t<Source> source, std::size_t count)
        : source_(std::move(source)), count_(count) {}

    bool next(element_type& out) {
      if (done_) return false;
      if (seen_ == count_) {
        // tf.data asks for one more to tell "exactly n" from "at least n + 1".
        done_ = true;
        if (source_.next(out)) {
          throw data_error(name(count_) + ": the source yields more than " +
                               elements(count_),
                           "declare the count the source has, or put take(" +
                               std::to_string(count_) + ") before assert_cardinality to keep "
                               "the first " + elements(count_));
        }
        return false;
      }
      if (!source_.next(out)) {
        done_ = true;
        throw data_error(name(count_) + ": the source ended after " + elements(seen_),
                         "declare the count the source has, assert_cardinality(" +
                             std::to_string(seen_) + "), or make the source yield " +
                             elements(count_) + " (a generator's factory must return a fresh "
                             "generator for each pass)");
      }
      ++seen_;
      return true;
    }

  private:
    cursor_t<Source> source_;
    std::size_t count_;
    std::size_t seen_ = 0;
    bool done_ = false;
  };

  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(source_.open(), count_); }

private:
  static std::string name(std::size_t count) {
    return "assert_cardinality(" + std::to_string(count) + ")";
  }
  [[nodiscard]] std::string name() const { return name(count_); }
  static std::string elements(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " element" : " elements");
  }

  Source source_;
  std::size_t count_;
};

namespace detail {
struct assert_cardinality_fn {
  /// `source | assert_cardinality(n)`; a negative n is an `argument_error`.
  template <fitcheck::detail::count_integer I>
  constexpr auto operator()(I count) const {
    if (std::cmp_less(count, 0)) {
      throw argument_error("assert_cardinality(" + std::to_string(count) +
                               "): an element count cannot be negative",
                           "pass the number of elements the source yields, 0 or more");
    }
    const auto n = static_cast<std::size_t>(count);
    return make_stage_closure([n]<dataset Source>(Source source) {
      return AssertCardinality<Source>(std::move(source), n);
    });
  }
};
}  // namespace detail

/// Declares the element count of its source (`source | assert_cardinality(1000)`) and checks
/// it on every pass.
inline constexpr detail::assert_cardinality_fn assert_cardinality{};

}  // namespace fitcheck::data
