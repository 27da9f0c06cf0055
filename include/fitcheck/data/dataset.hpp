// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/memory.hpp>
#include <fitcheck/data/element.hpp>

// The contract every source and stage meets.
//
// A type D is a `dataset` when it has
//   element_type                 Example<F, L> (single samples) or BatchData<F, L> (batches)
//   static_cardinality           a constexpr Cardinality: what the type alone says
//   traits                       a constexpr pipeline_traits: which stages are upstream (rules)
//   cardinality() const          the Cardinality known now (exact where the sizes are known)
//   epoch_cardinality() const    the same, counting a repeat() as one pass: "batches per epoch"
//   make_element() const         an element with its buffers sized (a batch of full capacity)
//   open()                       a cursor over one pass: `bool next(element_type&)` fills the
//                                element and returns false at the end. Opening again starts a
//                                new pass (a new epoch: shuffles reshuffle).
// Cursors may point into their dataset: a dataset outlives its cursors and is not moved while
// one is open. `next` must not allocate; buffers are sized in `open()` or the constructor.
//
// Deriving from `dataset_interface<D>` makes D an input range over one pass:
//   for (auto&& [x, y] : pipeline) ...
// A minimal conforming source is `tests/static/data/minimal_source.cpp`.

namespace fitcheck::data {

/// Which stages stand upstream, for the ordering rules (data/rules.hpp).
struct pipeline_traits {
  bool batched = false;     ///< elements are batches
  bool repeated = false;    ///< a repeat stage is upstream
  bool randomized = false;  ///< a shuffle (or other random stage) is upstream
  bool cached = false;      ///< a cache is upstream and no repeat after it
  bool prefetched = false;  ///< a prefetch is upstream
  bool augmented = false;   ///< an augment stage is upstream (training data only)
  bool sharded = false;     ///< a shard stage is upstream (data-parallel training)
};

template <class C, class E>
concept cursor_for = std::movable<C> && requires(C& c, E& e) {
  { c.next(e) } -> std::same_as<bool>;
};

template <class D>
concept dataset = std::move_constructible<D> && requires(D& d, const D& cd) {
  typename D::element_type;
  requires example<typename D::element_type> || batch_data<typename D::element_type>;
  { D::static_cardinality } -> std::convertible_to<Cardinality>;
  { D::traits } -> std::convertible_to<pipeline_traits>;
  { cd.cardinality() } -> std::same_as<Cardinality>;
  { cd.epoch_cardinality() } -> std::same_as<Cardinality>;
  { cd.make_element() } -> std::same_as<typename D::element_type>;
  { d.open() } -> cursor_for<typename D::element_type>;
};

template <dataset D>
using element_t = typename D::element_type;
template <dataset D>
using cursor_t = decltype(std::declval<D&>().open());

namespace detail {
// The size of the batch stage a pipeline ends in, through the stages after it (they all name
// their upstream with source()); 1 when there is none.
template <class P>
std::size_t batch_capacity(const P& p) noexcept {
  if constexpr (requires { p.batch_size(); })
    return p.batch_size();
  else if constexpr (requires { p.source(); })
    return batch_capacity(p.source());
  else
    return 1;
}
}  // namespace detail

/// Bytes one element of `d` holds, from the numbers alone (no element is built, so a size too
/// large for the machine can be refused before it is allocated [E1]): a sample's features and
/// label, times the batch size when the elements are batches.
template <dataset D>
[[nodiscard]] std::size_t element_bytes(const D& d) noexcept {
  using E = element_t<D>;
  if constexpr (batch_data<E>)
    return saturating_product(detail::batch_capacity(d), E::sample_bytes);
  else
    return sizeof(E);
}

/// Iterates one pass of a dataset, owning the cursor and one element buffer.
template <class D>
class epoch_iterator {
public:
  /// The element type.
  using value_type = element_t<D>;
  /// As std::input_iterator asks.
  using difference_type = std::ptrdiff_t;

  /// Starts a pass over d and reads its first element.
  explicit epoch_iterator(D& d) : cursor_(d.open()), element_(d.make_element()) { advance(); }
  /// Move-only: a pass cannot be copied.
  epoch_iterator(epoch_iterator&&) noexcept = default;
  /// Move-only: a pass cannot be copied.
  epoch_iterator& operator=(epoch_iterator&&) noexcept = default;

  /// The current element (valid until the next increment).
  const value_type& operator*() const noexcept { return element_; }
  /// Reads the next element.
  epoch_iterator& operator++() {
    advance();
    return *this;
  }
  /// Reads the next element.
  void operator++(int) { advance(); }
  /// True once the pass has ended. (A member, not a hidden friend: g++ follows an unrelated
  /// compile error in a program using fit with "inline function ... used but never defined"
  /// for a friend of a class template.)
  bool operator==(std::default_sentinel_t) const noexcept { return done_; }

private:
  void advance() { done_ = !cursor_.next(element_); }

  cursor_t<D> cursor_;
  value_type element_;
  bool done_ = false;
};

/// CRTP base giving a dataset its range interface (`begin()` opens a new pass) and the
/// default `epoch_cardinality()` of a source (one pass is all of it).
template <class Derived>
class dataset_interface {
public:
  /// Starts a pass (an epoch): shuffles reshuffle, sources start over.
  [[nodiscard]] auto begin() { return epoch_iterator<Derived>(self()); }
  /// The end of a pass.
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return self().cardinality(); }

private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }
  const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

}  // namespace fitcheck::data
