// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: two or more datasets of the same samples.  Out: the first's elements, then the second's,
// and so on (tf.data's `a.concatenate(b)`). Each pass opens the parts again, one at a time.

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

namespace detail {
// What the stages upstream of any part do: a rule that fires for one part fires for the whole.
// Sharded is the exception: the whole is one process's share only if every part is (H1).
template <class... Parts>
constexpr pipeline_traits combined_traits() {
  pipeline_traits t{};
  t.sharded = true;
  ((t.batched |= Parts::traits.batched, t.repeated |= Parts::traits.repeated,
    t.randomized |= Parts::traits.randomized, t.cached |= Parts::traits.cached,
    t.prefetched |= Parts::traits.prefetched, t.augmented |= Parts::traits.augmented,
    t.sharded &= Parts::traits.sharded),
   ...);
  return t;
}

template <class First, class... Rest>
consteval bool same_elements() {
  static_assert((std::is_same_v<element_t<First>, element_t<Rest>> && ...),
                "the pipelines joined yield different samples (another feature shape or label "
                "kind), so one model could not read them all. Fix: map each to the same "
                "Features<...> and label kind before joining them");
  return true;
}

// The rules between each part and the next (A15).
template <class First, class Second, class... Rest>
consteval bool parts_in_order() {
  static_assert(rules::concatenate_order<First, Second>());
  if constexpr (sizeof...(Rest) > 0) static_assert(parts_in_order<Second, Rest...>());
  return true;
}
}  // namespace detail

/// The stage of concatenate(a, b, ...): each part's elements in turn.
template <dataset... Parts>
class Concatenate : public dataset_interface<Concatenate<Parts...>> {
  static_assert(sizeof...(Parts) >= 2, "concatenate joins two or more pipelines");
  static_assert(detail::same_elements<Parts...>());
  static_assert(detail::parts_in_order<Parts...>());
  static_assert((rules::mix_samples<Parts, false>() && ...));

 public:
  /// What one pass yields, element by element: single samples.
  using element_type = element_t<std::tuple_element_t<0, std::tuple<Parts...>>>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = [] {
    Cardinality c = Cardinality::finite(0);
    ((c = c.concatenate(Parts::static_cardinality)), ...);
    return c;
  }();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = detail::combined_traits<Parts...>();

  /// The parts, in the order they are read.
  explicit Concatenate(Parts... parts) : parts_(std::move(parts)...) {
    (rules::check_after_prefetch<Parts>("concatenate"), ...);
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const {
    return std::apply(
        [](const auto&... p) {
          Cardinality c = Cardinality::finite(0);
          ((c = c.concatenate(p.cardinality())), ...);
          return c;
        },
        parts_);
  }
  /// One pass of each part.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return std::apply(
        [](const auto&... p) {
          Cardinality c = Cardinality::finite(0);
          ((c = c.concatenate(p.epoch_cardinality())), ...);
          return c;
        },
        parts_);
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return std::get<0>(parts_).make_element(); }
  /// The parts (read-only), so checks can walk the pipeline.
  [[nodiscard]] const std::tuple<Parts...>& parts() const noexcept { return parts_; }

  class cursor {
   public:
    explicit cursor(Concatenate& c) : c_(&c) {}
    bool next(element_type& out) {
      while (part_ < sizeof...(Parts)) {
        if (next_of(out, std::index_sequence_for<Parts...>{})) return true;
        ++part_;
      }
      return false;
    }

   private:
    // Reads from the current part, opening it first; closes it at its end (one part open at a
    // time: a file source holds its file only while it is read).
    template <std::size_t... I>
    bool next_of(element_type& out, std::index_sequence<I...>) {
      bool got = false;
      (void)((part_ == I ? (got = read<I>(out), true) : false) || ...);
      return got;
    }
    template <std::size_t I>
    bool read(element_type& out) {
      auto& open = std::get<I>(open_);
      if (!open) open.emplace(std::get<I>(c_->parts_).open());
      if (open->next(out)) return true;
      open.reset();
      return false;
    }

    Concatenate* c_;
    std::tuple<std::optional<cursor_t<Parts>>...> open_;
    std::size_t part_ = 0;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

 private:
  std::tuple<Parts...> parts_;
};

/// `concatenate(a, b, ...)`: a's elements, then b's, ... (tf.data's `a.concatenate(b)`). The
/// parts yield the same samples and are not batched (batch after joining them); a part that is
/// infinite by type can only be the last [A15].
template <dataset... Parts>
requires(sizeof...(Parts) >= 2) [[nodiscard]] auto concatenate(Parts... parts) {
  return Concatenate<Parts...>(std::move(parts)...);
}

}  // namespace fitcheck::data
