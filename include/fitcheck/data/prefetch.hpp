// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: dataset of T.  Out: the same dataset of T, produced up to `depth` elements ahead on a
// background thread, so preparing the next batch overlaps training on this one.
//
// Each pass (open()) has its own producer thread and ring of `depth` elements made with the
// source's make_element(); elements travel by swapping buffers, so nothing is allocated or
// copied per batch. What the source throws reaches the consumer in sequence, after the elements
// produced before it. Destroying a cursor mid-pass stops and joins its producer; a producer
// inside a slow source's next() is joined when that call returns.

#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <stop_token>
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

/// One pass: the ring shared by the consumer (the cursor) and the producer thread.
template <class SourceCursor, class Element>
class prefetch_pass {
public:
  prefetch_pass(SourceCursor source, std::vector<Element> ring)
      : source_(std::move(source)), ring_(std::move(ring)),
        producer_([this](std::stop_token stop) { produce(stop); }) {}

  prefetch_pass(const prefetch_pass&) = delete;
  prefetch_pass& operator=(const prefetch_pass&) = delete;
  // producer_, declared last, is destroyed first: std::jthread requests stop and joins before
  // the ring and the source cursor the thread uses go away.
  ~prefetch_pass() = default;

  bool next(Element& out) {
    std::size_t slot = 0;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return ready_count_ > 0 || finished_; });
      if (ready_count_ == 0) {
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
        return false;
      }
      slot = head_;
    }
    // The producer writes only free slots, and this one stays counted as ready until below.
    prefetch_hand_over(ring_[slot], out);
    {
      std::lock_guard lock(mutex_);
      head_ = (head_ + 1) % ring_.size();
      --ready_count_;
    }
    space_.notify_one();
    return true;
  }

private:
  void produce(std::stop_token stop) {
    std::exception_ptr error;
    try {
      for (;;) {
        std::size_t slot = 0;
        {
          std::unique_lock lock(mutex_);
          space_.wait(lock, stop, [&] { return ready_count_ < ring_.size(); });
          // wait() returns true on a stop when a slot is free; a stopped pass fetches no more.
          if (stop.stop_requested()) return;
          slot = tail_;
        }
        // Outside the lock: the source's work is what runs in parallel with the consumer.
        const bool produced = source_.next(ring_[slot]);
        {
          std::lock_guard lock(mutex_);
          if (produced) {
            tail_ = (tail_ + 1) % ring_.size();
            ++ready_count_;
          } else {
            finished_ = true;
          }
        }
        ready_.notify_one();
        if (!produced) return;
      }
    } catch (...) {
      error = std::current_exception();
    }
    // Published only after the handler has ended, so this thread holds no reference to the
    // exception once the consumer may rethrow it (and destroy it).
    {
      std::lock_guard lock(mutex_);
      error_ = std::move(error);
      finished_ = true;
    }
    ready_.notify_one();
  }

  SourceCursor source_;
  std::vector<Element> ring_;
  std::mutex mutex_;
  std::condition_variable ready_;      // consumer waits: an element is ready or the pass ended
  std::condition_variable_any space_;  // producer waits: a slot is free or stop was requested
  std::size_t head_ = 0;               // next slot to consume
  std::size_t tail_ = 0;               // next slot to fill
  std::size_t ready_count_ = 0;
  bool finished_ = false;
  std::exception_ptr error_;
  std::jthread producer_;
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
