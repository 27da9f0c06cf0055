// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of Examples.  Out: those for which pred(example) is true. How many pass is
// unknown until the data has been seen, so the cardinality becomes unknown.

#include <concepts>
#include <type_traits>
#include <utility>

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

template <dataset Source, class Pred>
class Filter : public dataset_interface<Filter<Source, Pred>> {
  static_assert(rules::per_sample_stage<Source>());
  static_assert(detail::filter_predicate_fits<Source, Pred>());

public:
  using element_type = element_t<Source>;
  static constexpr Cardinality static_cardinality = Source::static_cardinality.filter();
  static constexpr pipeline_traits traits = Source::traits;

  Filter(Source source, Pred pred) : source_(std::move(source)), pred_(std::move(pred)) {
    rules::check_after_prefetch<Source>("filter");
  }

  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality().filter(); }
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().filter();
  }
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Filter& f) : f_(&f), source_(f.source_.open()) {}
    bool next(element_type& out) {
      while (source_.next(out))
        if (f_->pred_(std::as_const(out))) return true;
      return false;
    }

  private:
    Filter* f_;
    cursor_t<Source> source_;
  };
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
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
