// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset.  Out: every `num_shards`-th element, starting at element `index`: worker
// `index`'s part of the data in multi-worker training (tf.data's shard).

#include <concepts>
#include <cstddef>
#include <tuple>
#include <utility>

#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// The stage of shard(n, i): every n-th element starting at the i-th, for worker i of n.
template <dataset Source>
class Shard : public dataset_interface<Shard<Source>> {
  static_assert(rules::shard_order<Source>());

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = element_t<Source>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      Source::static_cardinality.shard(1, 0).erase_count();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    pipeline_traits t = Source::traits;
    t.sharded = true;
    return t;
  }();

  /// Worker `index` of `num_shards`.
  Shard(Source source, std::size_t num_shards, std::size_t index)
      : source_(std::move(source)), num_(num_shards), index_(index) {
    (void)Cardinality::infinite().shard(num_, index_);  // the argument check, in one place
    rules::check_after_prefetch<Source>("shard");
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const {
    return source_.cardinality().shard(num_, index_);
  }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return source_.epoch_cardinality().shard(num_, index_);
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The number of shards (workers).
  [[nodiscard]] std::size_t num_shards() const noexcept { return num_; }
  /// This worker's shard, 0-based.
  [[nodiscard]] std::size_t index() const noexcept { return index_; }
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
  /// Starts a pass: a cursor that fills one element per call.
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
  // shard(world): a process group's size and this process's rank (fc::mpi::World).
  template <class Group>
    requires requires(const Group& g) {
      { g.size() } -> std::convertible_to<std::size_t>;
      { g.rank() } -> std::convertible_to<std::size_t>;
    }
  auto operator()(const Group& group) const {
    return (*this)(static_cast<std::size_t>(group.size()), static_cast<std::size_t>(group.rank()));
  }
};

// Calls f(shard count, index) for the first shard stage upstream of `p` on each of its paths:
// along its sources, and into every pipeline a concatenate or sample_from_datasets joins.
template <dataset P, class F>
void for_each_shard(const P& p, F&& f) {
  if constexpr (requires { p.num_shards(); }) {
    f(p.num_shards(), p.index());
  } else if constexpr (requires { p.source(); }) {
    for_each_shard(p.source(), f);
  } else if constexpr (requires { p.parts(); }) {
    std::apply([&](const auto&... part) { (for_each_shard(part, f), ...); }, p.parts());
  } else if constexpr (requires { p.sources(); }) {
    std::apply([&](const auto&... source) { (for_each_shard(source, f), ...); }, p.sources());
  }
}
}  // namespace detail

/// `shard(num_workers, worker_index)`, or `shard(world)` with a process group (fc::mpi::World):
/// this worker's share; place it before any shuffle.
inline constexpr detail::shard_fn shard{};

}  // namespace fitcheck::data
