// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: at most its first `count` elements (per pass).

#include <cstddef>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// The stage of take(k): the first k elements of each pass.
template <dataset Source>
class Take : public dataset_interface<Take<Source>> {
  static_assert(rules::take_order<Source>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      Source::static_cardinality.take(1).erase_count();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = Source::traits;

  /// The first `count` elements of each pass.
  Take(Source source, std::size_t count) : source_(std::move(source)), count_(count) {
    rules::check_after_prefetch<Source>("take");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality().take(count_); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Take& t) : source_(t.source_.open()), left_(t.count_) {}
    bool next(element_type& out) {
      if (left_ == 0 || !source_.next(out)) return false;
      --left_;
      return true;
    }

  private:
    cursor_t<Source> source_;
    std::size_t left_;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  Source source_;
  std::size_t count_;
};

namespace detail {
struct take_fn {
  auto operator()(std::size_t count) const {
    return make_stage_closure(
        [count]<dataset S>(S source) { return Take<S>(std::move(source), count); });
  }
};
}  // namespace detail

/// `take(n)`: the first n elements. On an infinite pipeline, a finite one of n elements.
inline constexpr detail::take_fn take{};

}  // namespace fitcheck::data
