// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: all but its first `count` elements (per pass).

#include <cstddef>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// The stage of skip(k): each pass without its first k elements.
template <dataset Source>
class Skip : public dataset_interface<Skip<Source>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      Source::static_cardinality.skip(1).erase_count();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = Source::traits;

  /// Skips the first `count` elements of each pass.
  Skip(Source source, std::size_t count) : source_(std::move(source)), count_(count) {
    rules::check_after_prefetch<Source>("skip");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality().skip(count_); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().skip(count_);
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Skip& s) : source_(s.source_.open()), to_skip_(s.count_) {}
    bool next(element_type& out) {
      for (; to_skip_ > 0; --to_skip_)
        if (!source_.next(out)) return false;
      return source_.next(out);
    }

  private:
    cursor_t<Source> source_;
    std::size_t to_skip_;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  Source source_;
  std::size_t count_;
};

namespace detail {
struct skip_fn {
  auto operator()(std::size_t count) const {
    return make_stage_closure(
        [count]<dataset S>(S source) { return Skip<S>(std::move(source), count); });
  }
};
}  // namespace detail

/// `skip(n)`: drop the first n elements.
inline constexpr detail::skip_fn skip{};

}  // namespace fitcheck::data
