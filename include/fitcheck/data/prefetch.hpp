// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: dataset of T.  Out: the same dataset of T, produced up to `depth` elements ahead on a
// background thread, so preparing the next batch overlaps training on this one.
//
// Each pass (open()) has its own producer thread and ring of `depth` elements made with the
// source's make_element(); elements travel by swapping buffers, so nothing is allocated or
// copied per batch, and the ring's two indices are atomics, so nothing is locked: a hand-over
// costs a few nanoseconds while both threads run, and a futex wake when one had to sleep. What the source throws reaches the consumer in sequence, after the elements
// produced before it. Destroying a cursor mid-pass stops and joins its producer; a producer
// inside a slow source's next() is joined when that call returns.

#include <atomic>
#include <concepts>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/data/pipe.hpp>

namespace fitcheck::data {

namespace detail {

template <std::integral I>
constexpr void check_prefetch_depth(I depth) {
  if (std::cmp_less(depth, 1)) {
    // In a constant expression the compiler stops in this statement and prints it:
    throw argument_error(  // READ THIS: prefetch depth below 1. Fix: prefetch(2), or 1 or more
        "prefetch(" + std::to_string(depth) + "): the buffer must hold at least one element",
        "pass prefetch(1) or more; prefetch(2) overlaps preparing the next batch with training "
        "on this one");
  }
}

/// Hands a produced element to the consumer: swapping batches moves two pointers where a copy
/// would move the whole batch.
template <class E>
void prefetch_hand_over(E& produced, E& out) {
  if constexpr (batch_data<E>) {
    // A buffer of another capacity must not enter the ring: the producer fills ring slots
    // assuming make_element()'s capacity.
    if (out.capacity() == produced.capacity()) {
      using std::swap;
      swap(produced, out);
      return;
    }
  }
  out = produced;
}

/// Waits until `ready(value)` holds for `a`'s value (loaded with acquire), spinning briefly
/// first: a hand-over between two running threads then costs no system call. Returns the value.
template <class Ready>
std::size_t prefetch_wait(const std::atomic<std::size_t>& a, Ready ready) noexcept {
  std::size_t v = a.load(std::memory_order_acquire);
  for (int spin = 0; !ready(v); ++spin) {
    if (spin < 256) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    } else {
      a.wait(v, std::memory_order_acquire);  // a futex once the spin is over: no busy core
    }
    v = a.load(std::memory_order_acquire);
  }
  return v;
}

/// One pass: the ring shared by the consumer (the cursor) and the producer thread, a
/// single-producer single-consumer queue without a lock. Each side publishes its count of
/// elements with a release store (times 2: the low bit says the producer finished, or the
/// consumer stopped) and reads the other's with acquire, so a slot is written by one thread at a
/// time and its contents are visible to the other before its index is.
template <class SourceCursor, class Element>
class prefetch_pass {
public:
  prefetch_pass(SourceCursor source, std::vector<Element> ring)
      : source_(std::move(source)), ring_(std::move(ring)), producer_([this] { produce(); }) {}

  prefetch_pass(const prefetch_pass&) = delete;
  prefetch_pass& operator=(const prefetch_pass&) = delete;
  // Stops the producer (it fetches no more) and joins it before the ring and the source cursor
  // it uses go away; a producer inside a slow source's next() is joined when that call returns.
  ~prefetch_pass() {
    consumed_.store(taken_ << 1 | 1, std::memory_order_release);
    consumed_.notify_one();
    producer_.join();
  }

  bool next(Element& out) {
    const std::size_t h = taken_;
    const std::size_t p = prefetch_wait(produced_, [h](std::size_t v) { return (v >> 1) != h || (v & 1); });
    if ((p >> 1) == h) {  // finished, and everything produced was taken
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
      return false;
    }
    prefetch_hand_over(ring_[h % ring_.size()], out);
    taken_ = h + 1;
    consumed_.store(taken_ << 1, std::memory_order_release);
    consumed_.notify_one();
    return true;
  }

private:
  void produce() {
    const std::size_t n = ring_.size();
    std::size_t made = 0;
    std::exception_ptr error;
    try {
      for (;;) {
        const std::size_t c = prefetch_wait(
            consumed_, [&](std::size_t v) { return made - (v >> 1) < n || (v & 1); });
        if (c & 1) return;  // stopped: the cursor is going away
        // The slot is free: the consumer took it before publishing its count.
        if (!source_.next(ring_[made % n])) break;
        ++made;
        produced_.store(made << 1, std::memory_order_release);
        produced_.notify_one();
      }
    } catch (...) {
      error = std::current_exception();
    }
    // Published only after the handler has ended, so this thread holds no reference to the
    // exception once the consumer may rethrow it (and destroy it).
    error_ = std::move(error);
    produced_.store(made << 1 | 1, std::memory_order_release);
    produced_.notify_one();
  }

  SourceCursor source_;
  std::vector<Element> ring_;
  std::exception_ptr error_;  // written by the producer before it publishes the end
  std::size_t taken_ = 0;     // the consumer's own count
  // Each counter on a cache line of its own: the two threads write different lines.
  alignas(64) std::atomic<std::size_t> produced_{0};  // elements made x 2, | 1 at the end
  alignas(64) std::atomic<std::size_t> consumed_{0};  // elements taken x 2, | 1 on stop
  std::thread producer_;  // last: started once everything it uses exists
};

}  // namespace detail

/// A dataset whose elements are produced up to `depth` ahead on a background thread.
template <dataset Source>
class Prefetch : public dataset_interface<Prefetch<Source>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    pipeline_traits t = Source::traits;
    t.prefetched = true;
    return t;
  }();

  /// Throws `argument_error` when `depth` is 0.
  Prefetch(Source source, std::size_t depth) : source_(std::move(source)), depth_(depth) {
    detail::check_prefetch_depth(depth_);
    // [E1] on the numbers: the ring of `depth` elements is allocated at every pass's start.
    const std::size_t free = available_host_memory();
    const std::size_t each = element_bytes(source_);
    fitcheck::detail::require_memory(saturating_product(depth_, each),
                           "prefetch(" + std::to_string(depth_) + "): a ring of " +
                               std::to_string(depth_) + " elements of " + format_bytes(each),
                           "prefetch(n) with n <= " + std::to_string(free / std::max<std::size_t>(each, 1)) +
                               " (what fits in the free memory; 2 to 4 batches keep a model fed)",
                           free);
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }
  /// Elements made ahead on the background thread.
  [[nodiscard]] std::size_t depth() const noexcept { return depth_; }

  /// A pass whose producer thread runs until the source ends or the cursor is destroyed.
  class cursor {
  public:
    using pass_type = detail::prefetch_pass<cursor_t<Source>, element_type>;
    explicit cursor(std::unique_ptr<pass_type> pass) : pass_(std::move(pass)) {}
    bool next(element_type& out) { return pass_->next(out); }

  private:
    // On the heap: the producer thread holds its address while the cursor moves.
    std::unique_ptr<pass_type> pass_;
  };

  /// Opens the source and starts this pass's producer; the ring is allocated here, once.
  [[nodiscard]] cursor open() {
    std::vector<element_type> ring;
    ring.reserve(depth_);
    for (std::size_t i = 0; i < depth_; ++i) ring.push_back(source_.make_element());
    return cursor(std::make_unique<typename cursor::pass_type>(source_.open(), std::move(ring)));
  }

private:
  Source source_;
  std::size_t depth_;
};

namespace detail {
struct prefetch_fn {
  /// `source | prefetch(depth)`; a depth below 1 is an `argument_error`.
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  constexpr auto operator()(I depth) const {
    check_prefetch_depth(depth);
    const auto n = static_cast<std::size_t>(depth);
    return make_stage_closure(
        [n]<dataset Source>(Source source) { return Prefetch<Source>(std::move(source), n); });
  }
};
}  // namespace detail

/// Produces the pipeline's elements up to `depth` ahead on a background thread
/// (`source | batch<32>() | prefetch(2)`); put it last [A8].
inline constexpr detail::prefetch_fn prefetch{};

}  // namespace fitcheck::data
