// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of Examples.  Out: BatchData of `N` samples each (static `batch<N>()` or
// run-time `batch(n)`); the last batch of the data is partial unless drop_remainder.

#include <cstddef>
#include <cstdint>
#include <utility>

#include <fitcheck/core/error.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>
#include <fitcheck/data/tensor_slices.hpp>

namespace fitcheck::data {

/// Tag: `batch<32>(drop_remainder)` drops the last, partial batch.
struct drop_remainder_t {
  explicit constexpr drop_remainder_t() = default;
};
inline constexpr drop_remainder_t drop_remainder{};

namespace detail {
template <class E>
struct batch_of;
template <class F, class L>
struct batch_of<Example<F, L>> {
  using type = BatchData<F, L>;
};
}  // namespace detail

/// `N` samples a batch; `N == dynamic_size` for a batch size chosen at run time.
template <dataset Source, std::size_t N, bool DropRemainder = false>
class Batch : public dataset_interface<Batch<Source, N, DropRemainder>> {
  static_assert(rules::batch_once<Source>());
  static_assert(rules::batch_size_fits<Source, N, DropRemainder, N == dynamic_size>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = typename detail::batch_of<element_t<Source>>::type;
  /// True for batch(n, drop_remainder): a last partial batch is dropped.
  static constexpr bool drops_remainder = DropRemainder;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      N == dynamic_size ? Source::static_cardinality.batch(1, DropRemainder).erase_count()
                        : Source::static_cardinality.batch(N, DropRemainder);
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    auto t = Source::traits;
    t.batched = true;
    return t;
  }();

  /// Batches of the static size N.
  explicit Batch(Source source)
    requires(N != dynamic_size)
      : source_(std::move(source)), size_(N) {
    check();
  }
  /// Batches of a run-time size (N = dynamic_size).
  Batch(Source source, std::size_t batch_size)
    requires(N == dynamic_size)
      : source_(std::move(source)), size_(batch_size) {
    if (size_ == 0)
      throw argument_error("batch(0): a batch must hold at least one sample",
                           "batch(n) with n >= 1");
    check();
  }

  /// Samples per full batch.
  [[nodiscard]] std::size_t batch_size() const noexcept { return size_; }
  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const {
    return source_.cardinality().batch(size_, DropRemainder);
  }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().batch(size_, DropRemainder);
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return element_type(size_); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Batch& b) : source_(b.source_.open()), sample_(b.source_.make_element()) {}
    bool next(element_type& out) {
      out.clear();
      while (!out.full() && source_.next(sample_)) out.push(sample_);
      if (out.empty()) return false;
      return !(DropRemainder && !out.full());
    }

  private:
    cursor_t<Source> source_;
    element_t<Source> sample_;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  void check() const {
    rules::check_after_prefetch<Source>("batch");
    rules::check_batch_size(source_.cardinality(), size_, DropRemainder);
    // [E1] on the numbers: one batch buffer must fit before anything is allocated.
    const std::size_t free = available_host_memory();
    constexpr std::size_t per_sample = element_type::sample_bytes;
    fitcheck::detail::require_memory(saturating_product(size_, per_sample),
                           "batch(" + std::to_string(size_) + "): one batch of " +
                               std::to_string(size_) + " samples of " +
                               std::to_string(per_sample) + " bytes",
                           "batch(n) with n <= " + std::to_string(free / per_sample) +
                               " (what fits in the free memory; the model's activations need "
                               "more per sample, and fit says how many fit before training)",
                           free);
  }

  Source source_;
  std::size_t size_;
};

namespace detail {
template <std::size_t N>
struct static_batch_fn {
  auto operator()() const {
    return make_stage_closure([]<dataset S>(S s) { return Batch<S, N>(std::move(s)); });
  }
  auto operator()(drop_remainder_t) const {
    return make_stage_closure([]<dataset S>(S s) { return Batch<S, N, true>(std::move(s)); });
  }
};
struct batch_fn {
  auto operator()(std::size_t n) const {
    return make_stage_closure(
        [n]<dataset S>(S s) { return Batch<S, dynamic_size>(std::move(s), n); });
  }
  auto operator()(std::size_t n, drop_remainder_t) const {
    return make_stage_closure(
        [n]<dataset S>(S s) { return Batch<S, dynamic_size, true>(std::move(s), n); });
  }
};
}  // namespace detail

/// `batch<32>()` or `batch<32>(drop_remainder)`: a static batch size, checked against static
/// data set sizes at compile time.
template <std::size_t N>
auto batch() {
  return detail::static_batch_fn<N>{}();
}
template <std::size_t N>
auto batch(drop_remainder_t tag) {
  return detail::static_batch_fn<N>{}(tag);
}
/// `batch(n)` or `batch(n, drop_remainder)`: a batch size chosen at run time.
inline auto batch(std::size_t n) { return detail::batch_fn{}(n); }
inline auto batch(std::size_t n, drop_remainder_t tag) { return detail::batch_fn{}(n, tag); }

}  // namespace fitcheck::data
