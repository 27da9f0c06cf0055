// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Data-parallel training: the same fit call runs in every process of a group (mpiexec -n 4
// ./train), each on its shard of the data; after each step's backward pass the gradients are
// summed over the group, so every process applies the same update to the same parameters.
// This header is the protocol, written over the `process_group` concept; fitcheck/mpi.hpp is
// the group over MPI. docs/distributed.md is the user's page.
//
// The one rule that keeps a group from hanging: every process makes the same collective calls in
// the same order. Each point where processes meet starts with the same small call, `agree`,
// which also carries whether this process failed. A process that throws anywhere in fit joins
// the next meeting as failed (the `fail` path), so the others learn of it there, receive its
// error and throw it too, instead of waiting forever for a process that has left.

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fitcheck/core/error.hpp>
#include <new>
#include <span>
#include <string>
#include <vector>

namespace fitcheck {

/// What data-parallel training needs of a group of processes (fc::mpi::World is one): its size,
/// this process's rank, element-wise sums and maxima over the group in place, and a broadcast.
template <class G>
concept process_group = requires(const G& g, std::span<float> f, std::span<double> d,
                                 std::span<std::byte> b) {
  { g.rank() } -> std::convertible_to<std::size_t>;
  { g.size() } -> std::convertible_to<std::size_t>;
  g.all_reduce_sum(f);
  g.all_reduce_sum(d);
  g.all_reduce_max(d);
  g.broadcast(b, std::size_t{0});
};

/// The tag of `DataParallel{world, fc::sharded_by_user}`: every process reads its own part of
/// the data by itself (its own files), without a shard stage in the pipeline.
struct sharded_by_user_t {
  explicit sharded_by_user_t() = default;
};
/// See sharded_by_user_t.
inline constexpr sharded_by_user_t sharded_by_user{};

/// The fit option of data-parallel training: `model.fit(train, 10, fc::DataParallel{world})`,
/// run in every process of `world`. The training pipeline must hold `shard(world)` (checked at
/// compile time, and at run time that the shard is this process's), unless `sharded_by_user`
/// says each process reads its own files.
template <process_group G, bool UserShards = false>
struct DataParallel {
  /// The processes that train together.
  G group;
  /// Each process's pipeline holds a shard stage.
  explicit DataParallel(G g) : group(std::move(g)) {}
  /// Each process reads its own data (no shard stage).
  DataParallel(G g, sharded_by_user_t) : group(std::move(g)) {}
  /// Whether each process reads its own data without a shard stage.
  static constexpr bool user_shards = UserShards;
};
template <process_group G>
DataParallel(G) -> DataParallel<G, false>;
template <process_group G>
DataParallel(G, sharded_by_user_t) -> DataParallel<G, true>;

namespace detail {

template <class T>
inline constexpr bool is_data_parallel = false;
template <class G, bool U>
inline constexpr bool is_data_parallel<DataParallel<G, U>> = true;

// The error kinds that travel between processes, so each process throws the type the failing
// one threw.
enum class error_kind : std::uint8_t { other, data, shape, numeric, resource, argument };

[[noreturn]] inline void throw_error(error_kind k, std::string problem, std::string fix) {
  switch (k) {
    case error_kind::data:
      throw data_error(std::move(problem), std::move(fix));
    case error_kind::shape:
      throw shape_error(std::move(problem), std::move(fix));
    case error_kind::numeric:
      throw numeric_error(std::move(problem), std::move(fix));
    case error_kind::resource:
      throw resource_error(std::move(problem), std::move(fix));
    case error_kind::argument:
      throw argument_error(std::move(problem), std::move(fix));
    case error_kind::other:
      break;
  }
  throw error(std::move(problem), std::move(fix));
}

// What `e` says, as the kind, problem and fix another process rebuilds it from.
inline std::string describe(std::exception_ptr e, error_kind& kind, std::string& fix) {
  try {
    std::rethrow_exception(e);
  } catch (const error& x) {
    kind = dynamic_cast<const data_error*>(&x)       ? error_kind::data
           : dynamic_cast<const shape_error*>(&x)    ? error_kind::shape
           : dynamic_cast<const numeric_error*>(&x)  ? error_kind::numeric
           : dynamic_cast<const resource_error*>(&x) ? error_kind::resource
           : dynamic_cast<const argument_error*>(&x) ? error_kind::argument
                                                     : error_kind::other;
    fix = x.fix();
    return x.problem();
  } catch (const std::bad_alloc&) {
    kind = error_kind::resource;
    fix = "lower the batch size, or free memory on that machine";
    return "out of memory";
  } catch (const std::exception& x) {
    kind = error_kind::other;
    fix = "see that process's error above; the other processes stopped with it";
    return x.what();
  } catch (...) {
    kind = error_kind::other;
    fix = "see that process's error; the other processes stopped with it";
    return "an exception of a type that is not a std::exception";
  }
}

/// The meetings of one data-parallel fit (see the top of this file). Holds the group and the
/// buffers the meetings use, sized before the first step.
template <process_group G>
class lockstep {
 public:
  explicit lockstep(const G& g) : g_(&g), rank_(g.rank()), size_(g.size()) {}

  [[nodiscard]] std::size_t rank() const noexcept { return rank_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// What the processes said at a meeting: sums over the group.
  struct said {
    bool any_batch = false;  ///< some process holds a batch for this step
    bool any_stop = false;   ///< some process's callbacks stopped training
    double samples = 0;      ///< the samples of this step over the group
    double loss_sum = 0;     ///< the sum of the step's losses weighted by samples
  };

  /// Every meeting starts here: this process has (or has not) a batch for this step, wants (or
  /// not) to stop, and brings its step's samples and loss. Throws the error of the lowest-ranked
  /// failed process when one failed.
  said agree(bool has_batch, bool stop, std::size_t samples = 0, double loss = 0) {
    header_ = {0.0, has_batch ? 1.0 : 0.0, stop ? 1.0 : 0.0, double(samples),
               loss * double(samples)};
    g_->all_reduce_sum(std::span<double>(header_));
    if (header_[0] > 0) resolve(nullptr);
    return {header_[1] > 0, header_[2] > 0, header_[3], header_[4]};
  }

  /// The failure path, from anywhere in fit: joins the meeting the other processes are at (or
  /// will reach next), tells them of the failure, and rethrows `e`. Once a failure has been
  /// agreed (the other processes' error, thrown by agree), `e` is rethrown as it is.
  [[noreturn]] void fail(std::exception_ptr e) {
    if (failure_agreed_) std::rethrow_exception(e);
    header_ = {1.0, 0.0, 0.0, 0.0, 0.0};
    g_->all_reduce_sum(std::span<double>(header_));
    resolve(e);
  }

  /// The step's gradients, this process's mean over `samples` samples, become the mean over
  /// every sample of the step in the group (samples 0: this process had no batch and its
  /// gradients are zero). `said` is the step's meeting.
  void average_gradients(std::span<float> grads, std::size_t samples, const said& s) const {
    // The meeting told the step's sample count: one pass weights this process's mean, the sum
    // is the group's mean.
    const auto weight = static_cast<float>(double(samples) / s.samples);
    if (weight != 1.0f)
      for (float& v : grads) v *= weight;
    if (size_ > 1) g_->all_reduce_sum(grads);
  }

  /// Element-wise sums over the group, in place (metric counts, validation sums).
  void sum(std::span<double> v) const { g_->all_reduce_sum(v); }
  /// Element-wise maxima over the group, in place.
  void max(std::span<double> v) const { g_->all_reduce_max(v); }

  /// A refusal every process reached alike, from values the group agreed on: a data_error in
  /// each, with no further meeting.
  [[noreturn]] void refuse(std::string problem, std::string fix) {
    failure_agreed_ = true;
    throw data_error(std::move(problem), std::move(fix));
  }
  /// Rank 0's values in every process.
  void from_root(std::span<float> v) const { g_->broadcast(std::as_writable_bytes(v), 0); }
  /// Rank 0's values in every process.
  void from_root(std::span<double> v) const { g_->broadcast(std::as_writable_bytes(v), 0); }

  /// The facts every process of a fit must share, each the same in all (else their meetings
  /// would not match): an argument_error naming the first that differs.
  void same_everywhere(std::span<const double> facts, std::span<const char* const> names) {
    std::vector<double> v(2 * facts.size());
    for (std::size_t i = 0; i < facts.size(); ++i) {
      v[i] = facts[i];
      v[facts.size() + i] = -facts[i];
    }
    g_->all_reduce_max(std::span<double>(v));
    for (std::size_t i = 0; i < facts.size(); ++i) {
      const double most = v[i], least = -v[facts.size() + i];
      if (most != least) {
        failure_agreed_ = true;  // every process finds the same difference: no meeting follows
        throw argument_error(
            "fit with DataParallel: the processes disagree on " + std::string(names[i]) + " (" +
                number(least) + " in some, " + number(most) + " in others, this is rank " +
                std::to_string(rank_) + " of " + std::to_string(size_) +
                "), so they cannot take their steps together",
            "run the same program with the same arguments in every process; only the shard "
            "of the data may differ");
      }
    }
  }

 private:
  static std::string number(double d) { return std::to_string(static_cast<long long>(d)); }

  // A meeting found a failure: the lowest failed rank sends its error, every process throws
  // (its own, if it failed itself).
  [[noreturn]] void resolve(std::exception_ptr own) {
    failure_agreed_ = true;
    std::array<double, 1> lowest{own ? double(size_ - rank_) : 0.0};
    g_->all_reduce_max(std::span<double>(lowest));
    const std::size_t from = size_ - static_cast<std::size_t>(lowest[0]);
    error_kind kind = error_kind::other;
    std::string problem, fix;
    if (rank_ == from) problem = describe(own, kind, fix);
    std::array<std::uint64_t, 3> sizes{std::uint64_t(kind), problem.size(), fix.size()};
    g_->broadcast(std::as_writable_bytes(std::span(sizes)), from);
    problem.resize(sizes[1]);
    fix.resize(sizes[2]);
    g_->broadcast(std::as_writable_bytes(std::span(problem.data(), problem.size())), from);
    g_->broadcast(std::as_writable_bytes(std::span(fix.data(), fix.size())), from);
    if (own) std::rethrow_exception(own);
    throw_error(static_cast<error_kind>(sizes[0]),
                "rank " + std::to_string(from) + " of " + std::to_string(size_) + ": " + problem,
                fix);
  }

  const G* g_;
  std::size_t rank_, size_;
  std::array<double, 5> header_{};
  bool failure_agreed_ = false;
};

}  // namespace detail
}  // namespace fitcheck
