// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

#include <fitcheck/data/dataset.hpp>

// `source | shuffle(1000) | batch<32>()`: each adaptor returns a closure holding its arguments;
// piping a dataset into it builds the stage type, the same type written by hand. Closures
// compose: `auto prep = shuffle(1000) | batch<32>(); source | prep`.

namespace fitcheck::data {

/// A stage waiting for its source: `source | closure` builds the stage; closures compose.
template <class Fn>
class stage_closure {
public:
  /// `fn(source)` builds the stage.
  explicit constexpr stage_closure(Fn fn) : fn_(std::move(fn)) {}

  /// Builds the stage over `source` (taken by value: pipelines own their stages).
  template <dataset Source>
    requires std::invocable<const Fn&, Source>
  friend auto operator|(Source source, const stage_closure& closure) {
    return closure.fn_(std::move(source));
  }

  /// The closure that applies `first`, then `second`.
  template <class G>
  friend constexpr auto operator|(stage_closure first, stage_closure<G> second) {
    return stage_closure<compose<G>>(compose<G>{std::move(first), std::move(second)});
  }

private:
  template <class G>
  struct compose {
    stage_closure first;
    stage_closure<G> second;
    template <dataset Source>
    auto operator()(Source source) const {
      return std::move(source) | first | second;
    }
  };

  Fn fn_;
};

/// Makes a closure from a callable taking the source dataset and returning the stage.
template <class Fn>
constexpr auto make_stage_closure(Fn fn) {
  return stage_closure<Fn>(std::move(fn));
}

}  // namespace fitcheck::data
