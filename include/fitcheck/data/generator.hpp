// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a factory making a fresh generator per pass.  Out: dataset of Example<F, L>, of unknown
// cardinality (declare it with assert_cardinality(n)).
//
// The factory is called once per open(), i.e. once per epoch, so a generator that can be
// consumed only once still serves every epoch [B2]. A factory that hands back the same
// already-exhausted generator (one that captures its position by reference) makes epoch 2
// empty; fit reports that with the counts when the data runs out (B1).

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>

namespace fitcheck::data {

// The generator's internals get their own namespace: names such as always_false or number are
// too common to share detail:: with every other stage.
namespace detail::gen {

template <class...>
inline constexpr bool always_false = false;

template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;

template <class T>
inline constexpr bool is_pair_or_tuple = false;
template <class A, class B>
inline constexpr bool is_pair_or_tuple<std::pair<A, B>> = true;
template <class... T>
inline constexpr bool is_pair_or_tuple<std::tuple<T...>> = true;

/// How a generator's result is consumed: called until nullopt, or iterated.
enum class generator_kind : std::uint8_t { none, callable, range };

// A factory returning an lvalue reference hands out its own generator; keep the reference so
// the user's object is the one that advances, as they would expect.
template <class R>
using stored_callable_t =
    std::conditional_t<std::is_lvalue_reference_v<R>,
                       std::reference_wrapper<std::remove_reference_t<R>>, std::remove_cvref_t<R>>;

// A range returned by value is kept for the pass; one returned by reference is iterated in
// place. (Not std::views::all: clang 14's <ranges> support fails on libstdc++ 12's views.)
template <class R>
using stored_range_t =
    std::conditional_t<std::is_lvalue_reference_v<R>, R, std::remove_cvref_t<R>>;

template <class R>
consteval generator_kind generator_kind_of() {
  using G = stored_callable_t<R>;
  if constexpr (std::invocable<G&>) {
    if constexpr (is_optional<std::remove_cvref_t<std::invoke_result_t<G&>>>)
      return generator_kind::callable;
  }
  if constexpr (std::ranges::input_range<std::remove_reference_t<stored_range_t<R>>&> &&
                std::constructible_from<stored_range_t<R>, R>)
    return generator_kind::range;
  return generator_kind::none;
}

template <class R, generator_kind = generator_kind_of<R>()>
struct generator_yield {
  using type = void;
};
template <class R>
struct generator_yield<R, generator_kind::callable> {
  using type =
      typename std::remove_cvref_t<std::invoke_result_t<stored_callable_t<R>&>>::value_type;
};
template <class R>
struct generator_yield<R, generator_kind::range> {
  using type = std::ranges::range_reference_t<std::remove_reference_t<stored_range_t<R>>&>;
};

/// The extent of an array-like type whose size is part of its type, 0 if it has none.
template <class T>
inline constexpr std::size_t static_extent = 0;
template <class T, std::size_t N>
inline constexpr std::size_t static_extent<std::array<T, N>> = N;
template <class T, std::size_t N>
inline constexpr std::size_t static_extent<T[N]> = N;
template <class T, std::size_t N>
inline constexpr std::size_t static_extent<std::span<T, N>> = N == std::dynamic_extent ? 0 : N;

template <class T>
concept number = std::is_arithmetic_v<std::remove_cvref_t<T>>;

template <class T>
concept static_numbers = static_extent<std::remove_cvref_t<T>> != 0 &&
                         std::ranges::sized_range<T> && number<std::ranges::range_value_t<T>>;

template <class T>
concept dynamic_numbers = !static_numbers<T> && std::ranges::input_range<T> &&
                          std::ranges::sized_range<T> && number<std::ranges::range_value_t<T>>;

// The sizes are template arguments, the yielded one first: the line after the sentence shows
// them ("the comparison reduces to '(3 == 2)'" with g++, "requirement '3UL == 2UL'" with clang).
template <std::size_t Declared, std::size_t Yielded>
consteval bool static_feature_count() {
  static_assert(Yielded == Declared,
                "from_generator: the generator yields a fixed-size array of features whose size "
                "is not the Features<...> size declared [B4] (yielded == declared, below). Fix: "
                "yield a std::array<float, N> with N the declared Features size, or declare the "
                "Features<...> the data has");
  return true;
}

template <std::size_t Declared, std::size_t Yielded>
consteval bool static_label_count() {
  static_assert(Yielded == Declared,
                "from_generator: the generator yields a fixed-size array of label values whose "
                "size is not the label kind's width [B4] (yielded == declared, below). Fix: yield "
                "as many label values as the label kind holds, or declare the label kind the data "
                "has");
  return true;
}

template <std::size_t Declared>
consteval bool scalar_label_allowed() {
  static_assert(1 == Declared,
                "from_generator: the generator yields one number as the label, but the label "
                "kind holds several values per sample [B4] (yielded == declared, below). Fix: "
                "yield a std::array<float, N> (or a std::vector) of the label kind's N values");
  return true;
}

template <feature_spec F, class X>
consteval bool check_features() {
  if constexpr (static_numbers<X>) {
    return static_feature_count<F::size, static_extent<std::remove_cvref_t<X>>>();
  } else if constexpr (!dynamic_numbers<X>) {
    static_assert(always_false<X>,
                  "from_generator: the features a generator yields must be numbers in a "
                  "std::array<float, N> or in a sized range such as std::vector<float> or "
                  "std::span<const float>. Fix: yield (features, label) with features of one of "
                  "those types");
  }
  return true;
}

template <label_kind L, class Y>
consteval bool check_label() {
  if constexpr (number<Y>) {
    return scalar_label_allowed<label_width<L>>();
  } else if constexpr (static_numbers<Y>) {
    return static_label_count<label_width<L>, static_extent<std::remove_cvref_t<Y>>>();
  } else if constexpr (!dynamic_numbers<Y>) {
    static_assert(always_false<Y>,
                  "from_generator: the label a generator yields must be a number, or numbers in "
                  "a std::array or a sized range such as std::vector. Fix: yield (features, "
                  "label) with a label of one of those types");
  }
  return true;
}

template <feature_spec F, label_kind L, class X>
consteval bool check_yield() {
  using V = std::remove_cvref_t<X>;
  if constexpr (is_example<V>) {
    static_assert(std::is_same_v<V, Example<F, L>>,
                  "from_generator: the generator yields an Example of other Features or another "
                  "label kind than from_generator<Features, Label> declares. Fix: declare the "
                  "same Features and label kind in both places");
  } else if constexpr (is_pair_or_tuple<V>) {
    if constexpr (std::tuple_size_v<V> != 2) {
      static_assert(always_false<V>,
                    "from_generator: a generator yielding a tuple must yield exactly two items, "
                    "(features, label). Fix: yield std::pair{features, label}");
    } else {
      return check_features<F, std::tuple_element_t<0, V>>() &&
             check_label<L, std::tuple_element_t<1, V>>();
    }
  } else {
    static_assert(always_false<V>,
                  "from_generator: a generator must yield Example<F, L> or a (features, label) "
                  "pair or tuple. Fix: yield std::pair{features, label}, e.g. "
                  "std::pair{std::array<float, N>{...}, 3}");
  }
  return true;
}

template <feature_spec F, label_kind L, class Factory>
consteval bool check_factory() {
  if constexpr (!std::invocable<Factory&>) {
    static_assert(always_false<Factory>,
                  "from_generator: the factory must be callable with no arguments, and return a "
                  "fresh generator for each pass. Fix: pass a lambda, e.g. "
                  "from_generator<F, L>([&]() -> auto& { return samples; })");
  } else {
    using R = std::invoke_result_t<Factory&>;
    if constexpr (generator_kind_of<R>() != generator_kind::none) {
      return check_yield<F, L, typename generator_yield<R>::type>();
    } else if constexpr (is_optional<std::remove_cvref_t<R>>) {
      static_assert(always_false<Factory>,
                    "from_generator: the factory must return a generator: a callable returning "
                    "std::optional<...> or an input range; this one returns std::optional, so "
                    "it is a generator itself. Fix: pass a factory making a fresh generator for "
                    "each pass, e.g. [] { return my_generator{}; }");
    } else {
      static_assert(always_false<Factory>,
                    "from_generator: the factory must return a generator: a callable returning "
                    "std::optional<...> or an input range. Fix: return a lambda returning "
                    "std::optional<std::pair<features, label>> (std::nullopt at the end), or a "
                    "range of such pairs");
    }
  }
  return true;
}

/// One label value converted to the kind's value type, or a data_error naming the element.
template <label_kind L, number V>
typename L::value_type checked_label(V v, std::size_t index) {
  if (const auto t = label_value_of<L>(v)) return *t;
  throw data_error("from_generator: element " + std::to_string(index) + " (0-based) has label " +
                       format_number(v) + ", expected " + L::expected(),
                   "correct the labels the generator yields, or declare the label kind the data "
                   "has");
}

template <class Numbers>
std::size_t count_of(const Numbers& values) {
  return static_cast<std::size_t>(std::ranges::size(values));
}

template <feature_spec F, class X>
void copy_features(X&& x, std::array<float, F::size>& out, std::size_t index) {
  if constexpr (dynamic_numbers<X>) {
    const std::size_t got = count_of(x);
    if (got != F::size) {
      throw shape_error("from_generator: element " + std::to_string(index) + " (0-based) has " +
                            std::to_string(got) + " feature values, expected " +
                            std::to_string(F::size) + " (shape " +
                            format_shape<typename F::shape>() + ")",
                        "yield exactly " + std::to_string(F::size) +
                            " feature values per element (row-major), or declare the "
                            "Features<...> the data has");
    }
  }
  auto it = out.begin();
  for (auto&& v : x) *it++ = static_cast<float>(v);
}

template <label_kind L, class Y>
void copy_labels(Y&& y, std::array<typename L::value_type, label_width<L>>& out,
                 std::size_t index) {
  if constexpr (number<Y>) {
    out[0] = checked_label<L>(y, index);
  } else {
    if constexpr (dynamic_numbers<Y>) {
      const std::size_t got = count_of(y);
      if (got != label_width<L>) {
        throw shape_error("from_generator: element " + std::to_string(index) + " (0-based) has " +
                              std::to_string(got) + " label values, expected " +
                              std::to_string(label_width<L>) + " (label shape " +
                              format_shape<typename L::shape>() + ")",
                          "yield exactly " + std::to_string(label_width<L>) +
                              " label values per element, or declare the label kind the data "
                              "has");
      }
    }
    auto it = out.begin();
    for (auto&& v : y) *it++ = checked_label<L>(v, index);
  }
}

/// Writes one yielded item into `out`, checking sizes and label values.
template <feature_spec F, label_kind L, class X>
void yield_into(X&& x, Example<F, L>& out, std::size_t index) {
  if constexpr (is_example<std::remove_cvref_t<X>>) {
    out = x;
    for (const auto& v : out.y) checked_label<L>(v, index);
  } else {
    copy_features<F>(std::get<0>(x), out.x, index);
    copy_labels<L>(std::get<1>(x), out.y, index);
  }
}

/// A pass over a callable generator: called until it returns nullopt.
template <feature_spec F, label_kind L, class G>
class callable_cursor {
public:
  explicit callable_cursor(G generator) : generator_(std::make_unique<G>(std::move(generator))) {}

  bool next(Example<F, L>& out) {
    auto item = std::invoke(*generator_);
    if (!item) return false;
    yield_into<F, L>(*std::move(item), out, index_++);
    return true;
  }

private:
  // On the heap so the cursor is movable and assignable even when G (a lambda) is not.
  std::unique_ptr<G> generator_;
  std::size_t index_ = 0;
};

/// A pass over a range generator.
template <feature_spec F, label_kind L, class R>
class range_cursor {
public:
  explicit range_cursor(R&& range) : state_(std::make_unique<state>(std::forward<R>(range))) {}

  bool next(Example<F, L>& out) {
    if (state_->it == state_->end) return false;
    yield_into<F, L>(*state_->it, out, index_++);
    ++state_->it;
    return true;
  }

private:
  using range_type = std::remove_reference_t<stored_range_t<R>>;
  // The iterators may point into the range (std::array, small views), so the range must not
  // move when the cursor does.
  struct state {
    explicit state(R&& r)
        : range(std::forward<R>(r)), it(std::ranges::begin(range)), end(std::ranges::end(range)) {}
    stored_range_t<R> range;
    std::ranges::iterator_t<range_type> it;
    std::ranges::sentinel_t<range_type> end;
  };
  std::unique_ptr<state> state_;
  std::size_t index_ = 0;
};

}  // namespace detail::gen

/// A dataset of `Example<F, L>` drawn from a fresh generator per pass, made by `factory`.
template <feature_spec F, label_kind L, class Factory>
class GeneratorSource : public dataset_interface<GeneratorSource<F, L, Factory>> {
  static_assert(detail::gen::check_factory<F, L, Factory>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = Example<F, L>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Cardinality::unknown();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits{};

  /// A source over the generators `factory` makes, one per pass.
  explicit GeneratorSource(Factory factory) : factory_(std::move(factory)) {}

  /// Unknown: a generator does not say how long it is; assert_cardinality(n) declares it.
  [[nodiscard]] Cardinality cardinality() const { return static_cardinality; }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return {}; }

  /// Calls the factory and starts a pass over the generator it returns.
  [[nodiscard]] auto open() {
    using R = std::invoke_result_t<Factory&>;
    if constexpr (detail::gen::generator_kind_of<R>() == detail::gen::generator_kind::callable) {
      using G = detail::gen::stored_callable_t<R>;
      return detail::gen::callable_cursor<F, L, G>(G(std::invoke(factory_)));
    } else {
      return detail::gen::range_cursor<F, L, R>(std::invoke(factory_));
    }
  }

private:
  Factory factory_;
};

/// Makes a source from a factory that returns, for each pass, a generator: a callable returning
/// `std::optional<X>` (nullopt ends the pass) or an input range of X, where X is `Example<F, L>`
/// or a (features, label) pair or tuple.
template <feature_spec F, label_kind L, class Factory>
[[nodiscard]] auto from_generator(Factory&& factory) {
  return GeneratorSource<F, L, std::decay_t<Factory>>(std::forward<Factory>(factory));
}

}  // namespace fitcheck::data
