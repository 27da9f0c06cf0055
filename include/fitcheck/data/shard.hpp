// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: every `num_shards`-th element, starting at element `index`: worker
// `index`'s part of the data in multi-worker training (tf.data's shard).

#include <cstddef>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

template <dataset Source>
class Shard : public dataset_interface<Shard<Source>> {
  static_assert(rules::shard_order<Source>());

public:
  using element_type = element_t<Source>;
  static constexpr Cardinality static_cardinality =
      Source::static_cardinality.shard(1, 0).erase_count();
  static constexpr pipeline_traits traits = Source::traits;

  Shard(Source source, std::size_t num_shards, std::size_t index)
      : source_(std::move(source)), num_(num_shards), index_(index) {
    (void)Cardinality::infinite().shard(num_, index_);  // the argument check, in one place
    rules::check_after_prefetch<Source>("shard");
  }

  [[nodiscard]] Cardinality cardinality() const {
    return source_.cardinality().shard(num_, index_);
  }
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().shard(num_, index_);
  }
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream (read-only), so checks can walk the pipeline.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  class cursor {
  public:
    explicit cursor(Shard& s) : s_(&s), source_(s.source_.open()) {}
    bool next(element_type& out) {
      // Elements index, index + num, index + 2 num, ...: skip to the next one of ours.
      const std::size_t skip = first_ ? s_->index_ : s_->num_ - 1;
      first_ = false;
      for (std::size_t i = 0; i < skip; ++i)
        if (!source_.next(out)) return false;
      return source_.next(out);
    }

  private:
    Shard* s_;
    cursor_t<Source> source_;
    bool first_ = true;
  };
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  Source source_;
  std::size_t num_;
  std::size_t index_;
};

namespace detail {
struct shard_fn {
  auto operator()(std::size_t num_shards, std::size_t index) const {
    return make_stage_closure([num_shards, index]<dataset S>(S source) {
      return Shard<S>(std::move(source), num_shards, index);
    });
  }
};
}  // namespace detail

/// `shard(num_workers, worker_index)`: this worker's share; place it before any shuffle.
inline constexpr detail::shard_fn shard{};

}  // namespace fitcheck::data
