// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: the same elements; the first complete pass is kept in memory and later
// passes read from there. A pass stopped early is discarded, as tf.data does.

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fitcheck/core/format.hpp>
#include <fitcheck/core/memory.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// The stage of cache(): the first pass fills memory with the elements; later passes read them from
/// there.
template <dataset Source>
class Cache : public dataset_interface<Cache<Source>> {
  static_assert(rules::cache_order<Source>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    auto t = Source::traits;
    t.cached = true;
    return t;
  }();

  /// Caches `source`.
  explicit Cache(Source source) : source_(std::move(source)) {
    rules::check_after_prefetch<Source>("cache");
    const Cardinality c = source_.cardinality();
    if (c.is_infinite())
      throw argument_error("cache() of an infinite data set would fill memory forever",
                           "cache before repeat: source | cache() | repeat()");
    if (c.is_exact()) check_memory(c.count);
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }
  /// Whether a complete pass has been stored.
  [[nodiscard]] bool complete() const noexcept { return stored_ != nullptr; }

  class cursor {
  public:
    explicit cursor(Cache& c) : c_(&c) {
      if (!c.stored_) {
        filling_ = std::make_unique<std::vector<element_type>>();
        const Cardinality n = c.source_.cardinality();
        if (n.is_exact()) filling_->reserve(n.count);
        source_ = std::make_unique<cursor_t<Source>>(c.source_.open());
      }
    }
    bool next(element_type& out) {
      if (!filling_) {
        if (i_ == c_->stored_->size()) return false;
        out = (*c_->stored_)[i_++];
        return true;
      }
      if (!source_->next(out)) {
        c_->stored_ = std::move(filling_);  // the pass completed: keep it
        source_.reset();
        i_ = c_->stored_->size();
        return false;
      }
      // A source of unknown size is checked as the cache grows, each time it doubles.
      const std::size_t n = filling_->size();
      if (n >= 1024 && (n & (n - 1)) == 0 && !c_->source_.cardinality().is_exact())
        c_->check_memory(n);
      filling_->push_back(out);
      return true;
    }

  private:
    Cache* c_;
    std::unique_ptr<cursor_t<Source>> source_;
    std::unique_ptr<std::vector<element_type>> filling_;
    std::size_t i_ = 0;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  // [E1] on the numbers: `count` more elements kept (a pass of known size is checked whole
  // before it is read).
  void check_memory(std::size_t count) const {
    const std::size_t each = element_bytes(source_);
    const std::size_t free = available_host_memory();
    fitcheck::detail::require_memory(
        saturating_product(count, each),
        "cache(): keeping " + std::to_string(count) + " elements of " + format_bytes(each),
        "cache a part that fits (source | take(" + std::to_string(free / each) +
            ") | cache()), or leave cache() out: a file source reads the file again each "
            "epoch",
        free);
  }

  Source source_;
  std::shared_ptr<const std::vector<element_type>> stored_;
};

namespace detail {
struct cache_fn {
  auto operator()() const {
    return make_stage_closure([]<dataset S>(S source) { return Cache<S>(std::move(source)); });
  }
};
}  // namespace detail

/// `cache()`: keep the first complete pass in memory. Place it before shuffle and take.
inline constexpr detail::cache_fn cache{};

}  // namespace fitcheck::data
