// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of Examples.  Out: f(example) for each, an Example of possibly other
// features and label kind (checked at compile time). With Parallel{n}, f runs on n threads,
// the outputs still in the input's order (tf.data's num_parallel_calls, deterministic).

#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>

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

/// How many threads `map(fn, Parallel{n})` calls `fn` on (tf.data's num_parallel_calls).
struct Parallel {
  /// Threads, 1 or more.
  std::size_t workers;
  /// Throws argument_error for 0.
  explicit Parallel(std::size_t n) : workers(n) {
    if (n == 0)
      throw argument_error("Parallel{0}: no thread would call the function",
                           "Parallel{n} with n >= 1 (the cores the pipeline may use), or map(fn) "
                           "without it");
  }
};

namespace detail {
/// One pass of a parallel map: the consumer reads the source into free slots (in order), the
/// workers call fn on queued slots, the consumer takes the slots back in order.
template <class SourceCursor, class In, class Out, class Fn>
class parallel_map_pass {
public:
  parallel_map_pass(SourceCursor source, const Fn& fn, std::size_t workers)
      : source_(std::move(source)), fn_(&fn), slots_(2 * workers) {
    try {
      for (std::size_t w = 0; w < workers; ++w) threads_.emplace_back([this] { work(); });
    } catch (...) {
      stop();
      throw;
    }
  }
  parallel_map_pass(const parallel_map_pass&) = delete;
  parallel_map_pass& operator=(const parallel_map_pass&) = delete;
  ~parallel_map_pass() { stop(); }

  bool next(Out& out) {
    // Keep every free slot fed, in source order, before waiting for the oldest.
    while (!ended_ && queued_ - taken_ < slots_.size()) {
      slot& s = slots_[queued_ % slots_.size()];
      bool more = false;
      try {
        more = source_.next(s.in);
      } catch (...) {
        // Raised after the elements before it, as a serial map would.
        source_error_ = std::current_exception();
      }
      if (!more) {
        ended_ = true;
        break;
      }
      {
        std::lock_guard lock(mutex_);
        s.now = phase::queued;
        ++queued_;
      }
      work_.notify_one();
    }
    if (taken_ == queued_) {
      if (source_error_) std::rethrow_exception(std::exchange(source_error_, nullptr));
      return false;
    }
    slot& s = slots_[taken_ % slots_.size()];
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return s.now == phase::done; });
    s.now = phase::free;
    ++taken_;
    lock.unlock();
    if (s.error) std::rethrow_exception(std::exchange(s.error, nullptr));
    using std::swap;
    swap(out, s.out);
    return true;
  }

private:
  enum class phase : std::uint8_t { free, queued, running, done };
  struct slot {
    In in{};
    Out out{};
    phase now = phase::free;
    std::exception_ptr error;
  };

  void work() {
    std::unique_lock lock(mutex_);
    for (;;) {
      work_.wait(lock, [&] { return stopping_ || started_ < queued_; });
      if (stopping_) return;
      slot& s = slots_[started_++ % slots_.size()];
      s.now = phase::running;
      lock.unlock();
      try {
        s.out = (*fn_)(std::as_const(s.in));
      } catch (...) {
        s.error = std::current_exception();
      }
      lock.lock();
      s.now = phase::done;
      done_.notify_all();
    }
  }

  void stop() noexcept {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    for (auto& t : threads_) t.join();
  }

  SourceCursor source_;
  const Fn* fn_;
  std::vector<slot> slots_;
  std::size_t queued_ = 0;   // slots handed to the workers (the consumer writes, under the lock)
  std::size_t started_ = 0;  // slots a worker took
  std::size_t taken_ = 0;    // slots the consumer took back (its own)
  bool ended_ = false;       // the source ended (the consumer's own)
  std::exception_ptr source_error_;  // what the source threw, raised when its turn comes
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable work_;  // workers: a slot was queued, or stop
  std::condition_variable done_;  // the consumer: a slot is done
  std::vector<std::thread> threads_;  // last: joined before the slots go away
};
}  // namespace detail

/// The stage of map(fn, Parallel{n}): fn on n threads, outputs in the input's order.
template <dataset Source, class Fn>
class ParallelMap : public dataset_interface<ParallelMap<Source, Fn>> {
  static_assert(rules::per_sample_stage<Source>());
  static_assert(detail::map_function_fits<Source, Fn>());

public:
  /// fn's result type.
  using element_type = detail::map_result_t<Source, Fn>;
  /// As the source: map keeps every element.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// As the source's.
  static constexpr pipeline_traits traits = Source::traits;

  /// Calls `fn` on `parallel.workers` threads; fn must be safe to call from several at once.
  ParallelMap(Source source, Fn fn, Parallel parallel)
      : source_(std::move(source)), fn_(std::move(fn)), workers_(parallel.workers) {
    rules::check_after_prefetch<Source>("map");
  }

  /// The element count over all passes.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The stage upstream.
  [[nodiscard]] const Source& source() const noexcept { return source_; }
  /// Threads per pass.
  [[nodiscard]] std::size_t workers() const noexcept { return workers_; }

  /// A pass with its own threads, stopped and joined when the cursor is destroyed.
  class cursor {
  public:
    using pass_type = detail::parallel_map_pass<cursor_t<Source>, element_t<Source>, element_type, Fn>;
    explicit cursor(std::unique_ptr<pass_type> pass) : pass_(std::move(pass)) {}
    bool next(element_type& out) { return pass_->next(out); }

  private:
    std::unique_ptr<pass_type> pass_;  // on the heap: the threads hold its address
  };
  /// Starts a pass and its threads.
  [[nodiscard]] cursor open() {
    return cursor(std::make_unique<typename cursor::pass_type>(source_.open(), fn_, workers_));
  }

private:
  Source source_;
  Fn fn_;
  std::size_t workers_;
};

namespace detail {
struct map_fn {
  template <class Fn>
  auto operator()(Fn fn) const {
    return make_stage_closure([fn = std::move(fn)]<dataset S>(S source) {
      return Map<S, Fn>(std::move(source), fn);
    });
  }
  template <class Fn>
  auto operator()(Fn fn, Parallel parallel) const {
    return make_stage_closure([fn = std::move(fn), parallel]<dataset S>(S source) {
      return ParallelMap<S, Fn>(std::move(source), fn, parallel);
    });
  }
};
}  // namespace detail

/// `map([](const auto& e) { auto out = e; ...; return out; })`: transform each sample.
/// `map(fn, Parallel{n})` calls fn on n threads (it must not modify shared state: it is called
/// as const from several threads at once), the outputs still in the input's order.
inline constexpr detail::map_fn map{};

}  // namespace fitcheck::data
