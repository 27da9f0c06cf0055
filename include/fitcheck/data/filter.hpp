// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of Examples.  Out: those for which pred(example) is true. How many pass is
// unknown until the data has been seen, so the cardinality becomes unknown.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include <fitcheck/core/error.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

namespace detail {
template <class Source, class Pred>
consteval bool filter_predicate_fits() {
  static_assert(std::predicate<const Pred&, const element_t<Source>&>,
                "filter: the predicate must take one sample and return bool. Fix: "
                "filter([](const auto& example) { return /* keep? */ true; })");
  return true;
}
}  // namespace detail

/// The stage of filter(pred): keeps the elements for which pred is true.
template <dataset Source, class Pred>
class Filter : public dataset_interface<Filter<Source, Pred>> {
  static_assert(rules::per_sample_stage<Source>());
  static_assert(detail::filter_predicate_fits<Source, Pred>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Source::static_cardinality.filter();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = Source::traits;

  /// Keeps the elements of `source` for which `pred` returns true.
  Filter(Source source, Pred pred) : source_(std::move(source)), pred_(std::move(pred)) {
    rules::check_after_prefetch<Source>("filter");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality().filter(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().filter();
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Filter& f) : f_(&f), source_(f.source_.open()), limit_(f.rejection_limit()) {}
    bool next(element_type& out) {
      std::size_t rejected = 0;
      while (source_.next(out)) {
        if (f_->pred_(std::as_const(out))) return true;
        if (++rejected == limit_) [[unlikely]]
          f_->rejects_everything(rejected);
      }
      return false;
    }

  private:
    Filter* f_;
    cursor_t<Source> source_;
    std::size_t limit_;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  // After repeat(), a filter that keeps nothing would search forever [B6]. Any run of two passes
  // holds a whole pass, so a predicate of the sample that rejects that many in a row rejects
  // every sample; at least 2^20, so that a random subsampling filter is not mistaken for one.
  // Without an exact pass size (a generator) there is no such bound.
  std::size_t rejection_limit() const {
    if (!source_.cardinality().is_infinite()) return 0;
    const Cardinality pass = source_.epoch_cardinality();
    if (!pass.is_exact()) return 0;
    return std::max<std::size_t>(2 * pass.count, std::size_t{1} << 20);
  }
  [[noreturn]] void rejects_everything(std::size_t rejected) const {
    throw data_error("filter: rejected " + std::to_string(rejected) +
                         " samples in a row after repeat(), at least two whole passes of the " +
                         std::to_string(source_.epoch_cardinality().count) +
                         " samples before it: it keeps none, so the pipeline would search forever "
                         "[B6]",
                     "check the filter's predicate (print a few samples it sees), or filter "
                     "before repeat()");
  }

  Source source_;
  Pred pred_;
};

namespace detail {
struct filter_fn {
  template <class Pred>
  auto operator()(Pred pred) const {
    return make_stage_closure([pred = std::move(pred)]<dataset S>(S source) {
      return Filter<S, Pred>(std::move(source), pred);
    });
  }
};
}  // namespace detail

/// `filter([](const auto& e) { return e.label() != 3; })`: keep the samples that pass.
inline constexpr detail::filter_fn filter{};

}  // namespace fitcheck::data
