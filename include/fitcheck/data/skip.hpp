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

template <dataset Source>
class Skip : public dataset_interface<Skip<Source>> {
public:
  using element_type = element_t<Source>;
  static constexpr Cardinality static_cardinality =
      Source::static_cardinality.skip(1).erase_count();
  static constexpr pipeline_traits traits = Source::traits;

  Skip(Source source, std::size_t count) : source_(std::move(source)), count_(count) {
    rules::check_after_prefetch<Source>("skip");
  }

  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality().skip(count_); }
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().skip(count_);
  }
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
