// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: the same elements, shuffled within a sliding window of `buffer`
// elements (tf.data's shuffle), reshuffled each epoch unless asked not to.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// What a shuffle may follow: samples only (the default), whole batches (`shuffle_batches`),
/// or a repeat (`shuffle_across_epochs`). The opt-outs keep the intent visible in the code.
enum class shuffle_scope : std::uint8_t { samples, batches, across_epochs };

/// Whether every epoch gets a new order (tf.data's reshuffle_each_iteration).
enum class reshuffle : std::uint8_t { each_epoch, never };

namespace detail {
/// A source that reads sample `i` directly (in-memory arrays, image files): shuffle then keeps
/// a window of 4-byte sample indices instead of whole samples, and reads each sample once, when
/// drawn. `read` may throw (a corrupt file): the pass then ends with that error.
template <class S>
concept random_access_source =
    requires(const S& s, std::size_t i, element_t<S>& e) {
      { s.size() } -> std::convertible_to<std::size_t>;
      s.read(i, e);
      { s.prefetch(i) } noexcept;
    };
}  // namespace detail

/// The stage of shuffle(buffer): elements in a random order, drawn from a window of `buffer`.
template <dataset Source, shuffle_scope Scope = shuffle_scope::samples>
class Shuffle : public dataset_interface<Shuffle<Source, Scope>> {
  static_assert(rules::shuffle_order<Source, Scope == shuffle_scope::batches,
                                     Scope == shuffle_scope::across_epochs>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    auto t = Source::traits;
    t.randomized = true;
    return t;
  }();

  /// Shuffles `source` through a window of `buffer` elements with a stream seeded by `seed`.
  Shuffle(Source source, std::size_t buffer, Seed seed = Seed{0},
          reshuffle when = reshuffle::each_epoch)
      : source_(std::move(source)), buffer_(buffer), seed_(seed.value), when_(when) {
    if (buffer_ == 0)
      throw argument_error("shuffle(0): the buffer must hold at least one element",
                           "shuffle(n) with n >= 1; n >= the data set size shuffles fully");
    rules::check_after_prefetch<Source>("shuffle");
    check_memory();
    small_buffer_warned_ = rules::check_shuffle_buffer(source_, buffer_);
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }

  // Over a random-access source: the same sliding-window draws (the same RNG calls, so the
  // same order as the element window below), on a window of indices. The next `lookahead`
  // draws are made early and their samples prefetched, so several cache misses overlap.
  class index_cursor {
  public:
    index_cursor(Shuffle& s, std::uint64_t epoch)
        : source_(&s.source_), rng_(s.seed_, epoch), n_(s.source_.size()) {
      if (n_ > std::numeric_limits<std::uint32_t>::max())
        throw argument_error("shuffle: more than 2^32 samples in one source",
                             "shard the data set, or shuffle a smaller source");
      const std::size_t slots = std::min(s.buffer_, n_);
      window_.resize(slots);  // the one allocation of the pass: 4 bytes a slot
      for (std::size_t i = 0; i < slots; ++i) window_[i] = static_cast<std::uint32_t>(i);
      next_in_ = slots;
      for (std::size_t k = 0; k < lookahead; ++k) draw();
    }

    bool next(element_type& out) noexcept(noexcept(std::declval<const Source&>().read(0, out))) {
      if (head_ == tail_) return false;
      source_->read(ahead_[head_++ % lookahead], out);
      draw();
      return true;
    }

  private:
    static constexpr std::size_t lookahead = 16;
    void draw() noexcept {
      if (window_.empty()) return;
      const auto i = static_cast<std::size_t>(rng_.below(window_.size()));
      const std::uint32_t id = window_[i];
      source_->prefetch(id);
      if (next_in_ < n_) {
        window_[i] = static_cast<std::uint32_t>(next_in_++);  // the source's next sample
      } else {
        window_[i] = window_.back();
        window_.pop_back();
      }
      ahead_[tail_++ % lookahead] = id;
    }

    const Source* source_;
    Rng rng_;
    std::size_t n_;
    std::size_t next_in_ = 0;
    std::vector<std::uint32_t> window_;
    std::array<std::uint32_t, lookahead> ahead_{};
    std::size_t head_ = 0;
    std::size_t tail_ = 0;
  };

  class element_cursor {
  public:
    element_cursor(Shuffle& s, std::uint64_t epoch)
        : source_(s.source_.open()), rng_(s.seed_, epoch) {
      // Never more slots than elements: a buffer of 1e6 over 150 samples holds 150.
      const Cardinality n = s.source_.cardinality();
      const std::size_t slots = n.is_exact() ? std::min(s.buffer_, n.count) : s.buffer_;
      buffer_.reserve(slots);
      for (std::size_t i = 0; i < slots; ++i) {
        buffer_.push_back(s.source_.make_element());
        if (!source_.next(buffer_.back())) {
          buffer_.pop_back();
          break;
        }
      }
    }

    bool next(element_type& out) {
      if (buffer_.empty()) return false;
      const auto i = static_cast<std::size_t>(rng_.below(buffer_.size()));
      std::swap(out, buffer_[i]);
      if (!source_.next(buffer_[i])) {
        std::swap(buffer_[i], buffer_.back());
        buffer_.pop_back();
      }
      return true;
    }

  private:
    cursor_t<Source> source_;
    Rng rng_;
    std::vector<element_type> buffer_;
  };

  /// The pass over the data: an index permutation for random-access sources, a buffer otherwise.
  using cursor = std::conditional_t<detail::random_access_source<Source>, index_cursor,
                                    element_cursor>;
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() {
    const std::uint64_t epoch = when_ == reshuffle::each_epoch ? epoch_++ : 0;
    return cursor(*this, epoch);
  }

  /// The stage upstream.
  [[nodiscard]] const Source& source() const noexcept { return source_; }
  /// Whether building this stage warned A11 (its buffer cannot mix the label runs).
  [[nodiscard]] bool small_buffer_warned() const noexcept { return small_buffer_warned_; }

private:
  // [E1] on the numbers: the buffer a pass fills (never more slots than elements), 4 bytes a slot
  // over a random-access source, an element a slot otherwise.
  void check_memory() const {
    const Cardinality n = source_.cardinality();
    const std::size_t slots = n.is_exact() ? std::min(buffer_, n.count) : buffer_;
    std::size_t each = element_bytes(source_);
    if constexpr (detail::random_access_source<Source>) each = sizeof(std::uint32_t);
    const std::size_t free = available_host_memory();
    fitcheck::detail::require_memory(saturating_product(slots, each),
                           "shuffle(" + std::to_string(buffer_) + "): a buffer of " +
                               std::to_string(slots) + " elements of " + format_bytes(each),
                           "shuffle(n) with n <= " + std::to_string(free / each) +
                               " (what fits in the free memory; a buffer as large as the data "
                               "set shuffles it fully)",
                           free);
  }

  Source source_;
  std::size_t buffer_;
  std::uint64_t seed_;
  reshuffle when_;
  bool small_buffer_warned_ = false;
  std::uint64_t epoch_ = 0;
};

namespace detail {
template <shuffle_scope Scope>
struct shuffle_fn {
  auto operator()(std::size_t buffer, Seed seed = Seed{0},
                  reshuffle when = reshuffle::each_epoch) const {
    return make_stage_closure([=]<dataset S>(S source) {
      return Shuffle<S, Scope>(std::move(source), buffer, seed, when);
    });
  }
};
}  // namespace detail

/// `shuffle(buffer, Seed{42})`: shuffle samples within a window of `buffer`; a buffer at least
/// the data set size shuffles fully. Place it before repeat and batch.
inline constexpr detail::shuffle_fn<shuffle_scope::samples> shuffle{};
/// `shuffle_batches(n)`: shuffle whole batches, on purpose (e.g. bucketing); contents stay.
inline constexpr detail::shuffle_fn<shuffle_scope::batches> shuffle_batches{};
/// `shuffle_across_epochs(n)`: shuffle after repeat, on purpose; epochs blur.
inline constexpr detail::shuffle_fn<shuffle_scope::across_epochs> shuffle_across_epochs{};

}  // namespace fitcheck::data
