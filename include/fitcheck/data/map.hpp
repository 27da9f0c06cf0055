// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of Examples.  Out: f(example) for each, an Example of possibly other
// features and label kind (checked at compile time).

#include <concepts>
#include <type_traits>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

namespace detail {
template <class Source, class Fn>
consteval bool map_function_fits() {
  using In = element_t<Source>;
  if constexpr (!std::invocable<const Fn&, const In&>) {
    static_assert(std::invocable<const Fn&, const In&>,
                  "map: the function cannot be called with one sample. Fix: take "
                  "`const auto& example` (an Example with .x and .y) and return an Example");
  } else {
    using Out = std::remove_cvref_t<std::invoke_result_t<const Fn&, const In&>>;
    static_assert(example<Out>,
                  "map: the function must return one sample, a fitcheck::data::Example<Features<"
                  "...>, LabelKind>. Fix: build and return an Example (its features x and label y)");
  }
  return true;
}
template <class Source, class Fn>
using map_result_t = std::remove_cvref_t<std::invoke_result_t<const Fn&, const element_t<Source>&>>;
}  // namespace detail

/// The stage of map(fn): each element replaced by fn(element).
template <dataset Source, class Fn>
class Map : public dataset_interface<Map<Source, Fn>> {
  static_assert(rules::per_sample_stage<Source>());
  static_assert(detail::map_function_fits<Source, Fn>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = detail::map_result_t<Source, Fn>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = Source::traits;

  /// Applies `fn` to each element of `source`.
  Map(Source source, Fn fn) : source_(std::move(source)), fn_(std::move(fn)) {
    rules::check_after_prefetch<Source>("map");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Map& m) : m_(&m), source_(m.source_.open()) {}
    bool next(element_type& out) {
      if (!source_.next(in_)) return false;
      out = m_->fn_(std::as_const(in_));
      return true;
    }

  private:
    Map* m_;
    cursor_t<Source> source_;
    element_t<Source> in_{};
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  Source source_;
  Fn fn_;
};

namespace detail {
struct map_fn {
  template <class Fn>
  auto operator()(Fn fn) const {
    return make_stage_closure([fn = std::move(fn)]<dataset S>(S source) {
      return Map<S, Fn>(std::move(source), fn);
    });
  }
};
}  // namespace detail

/// `map([](const auto& e) { auto out = e; ...; return out; })`: transform each sample.
inline constexpr detail::map_fn map{};

}  // namespace fitcheck::data
