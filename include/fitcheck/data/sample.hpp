// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: two or more datasets of the same samples and a weight for each.  Out: their elements
// interleaved at random, each element drawn from dataset i with probability weight i / the
// weights' sum (tf.data's `Dataset.sample_from_datasets`): class balancing by oversampling, or
// mixing data sets in set proportions. A new order every epoch (the seed's stream for that
// epoch, as shuffle).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/concatenate.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/rules.hpp>

namespace fitcheck::data {

/// What a sampling pass does when one of its datasets runs out.
enum class on_empty : std::uint8_t {
  continue_with_the_rest,  ///< draw from the others, reweighted (tf.data's default)
  stop,                    ///< end the pass (tf.data's stop_on_empty_dataset=True)
};

namespace detail {
// The element count of a sampling pass from its sources' (`unused`: weight 0, never drawn).
// Continuing with the rest, a pass yields every element of every drawn dataset: infinite if one
// is; stopping, it ends with the first dataset to run out, which is known only as it happens
// unless every one is infinite.
template <on_empty OnEmpty, std::size_t N>
constexpr Cardinality sampled_cardinality(const std::array<Cardinality, N>& c,
                                          const std::array<bool, N>& unused) {
  bool all_infinite = true, any_infinite = false, any_unknown = false;
  Cardinality sum = Cardinality::finite(0);
  for (std::size_t i = 0; i < N; ++i) {
    if (unused[i]) continue;
    all_infinite = all_infinite && c[i].is_infinite();
    any_infinite = any_infinite || c[i].is_infinite();
    any_unknown = any_unknown || c[i].is_unknown();
    if (!c[i].is_infinite()) sum = sum.concatenate(c[i]);
  }
  if constexpr (OnEmpty == on_empty::stop) {
    return all_infinite ? Cardinality::infinite() : Cardinality::unknown();
  } else {
    if (any_infinite) return Cardinality::infinite();
    if (any_unknown) return Cardinality::unknown();
    return sum;
  }
}
}  // namespace detail

/// The stage of sample_from_datasets(weights, a, b, ...).
template <on_empty OnEmpty, dataset... Sources>
class SampleFromDatasets : public dataset_interface<SampleFromDatasets<OnEmpty, Sources...>> {
  static constexpr std::size_t n_sources = sizeof...(Sources);
  static_assert(n_sources >= 2, "sample_from_datasets mixes two or more pipelines");
  static_assert(detail::same_elements<Sources...>());
  static_assert((rules::mix_samples<Sources, true>() && ...));

 public:
  /// What one pass yields, element by element: single samples.
  using element_type = element_t<std::tuple_element_t<0, std::tuple<Sources...>>>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      detail::sampled_cardinality<OnEmpty, n_sources>({Sources::static_cardinality...}, {});
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits = [] {
    auto t = detail::combined_traits<Sources...>();
    t.randomized = true;
    return t;
  }();

  /// Draws from `sources` with probabilities proportional to `weights` (each finite and >= 0,
  /// their sum > 0), the order seeded by `seed`.
  SampleFromDatasets(const std::array<double, n_sources>& weights, Seed seed, Sources... sources)
      : weights_(weights), seed_(seed.value), sources_(std::move(sources)...) {
    double total = 0;
    for (std::size_t i = 0; i < n_sources; ++i) {
      const double w = weights_[i];
      if (!std::isfinite(w) || w < 0)
        throw argument_error("sample_from_datasets: weight " + std::to_string(i) + " is " +
                                 format_number(w) + ", but a weight must be a finite number >= 0",
                             "give each dataset a weight >= 0, e.g. {0.5, 0.5}");
      total += w;
    }
    if (total <= 0)
      throw argument_error("sample_from_datasets: every weight is 0, so no dataset can be drawn",
                           "give at least one dataset a weight > 0, e.g. {0.5, 0.5}");
    (rules::check_after_prefetch<Sources>("sample_from_datasets"), ...);
    if constexpr (OnEmpty == on_empty::continue_with_the_rest) warn_if_weights_only_reorder();
  }

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const {
    return std::apply(
        [&](const auto&... s) {
          return detail::sampled_cardinality<OnEmpty, n_sources>({s.cardinality()...},
                                                                 zero_weight());
        },
        sources_);
  }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const {
    return std::apply(
        [&](const auto&... s) {
          return detail::sampled_cardinality<OnEmpty, n_sources>({s.epoch_cardinality()...},
                                                                 zero_weight());
        },
        sources_);
  }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return std::get<0>(sources_).make_element(); }
  /// The weights, as given.
  [[nodiscard]] const std::array<double, n_sources>& weights() const noexcept { return weights_; }
  /// The sources (read-only), so checks can walk the pipeline.
  [[nodiscard]] const std::tuple<Sources...>& sources() const noexcept { return sources_; }

  class cursor {
   public:
    cursor(SampleFromDatasets& s, std::uint64_t epoch)
        : s_(&s), rng_(s.seed_, epoch), live_(s.weights_) {
      for (const double w : live_) total_ += w;
      open_all(std::index_sequence_for<Sources...>{});
    }
    bool next(element_type& out) {
      while (total_ > 0) {
        const std::size_t i = draw();
        if (next_of(i, out, std::index_sequence_for<Sources...>{})) return true;
        // Dataset i has run out: stop, or take its weight out of the draw.
        if constexpr (OnEmpty == on_empty::stop) return total_ = 0, false;
        total_ -= live_[i];
        live_[i] = 0;
        if (total_ <= 1e-12 * (1 + total_)) total_ = 0;  // only rounding left
      }
      return false;
    }

   private:
    // The first dataset whose cumulative weight passes a uniform draw in [0, total); a dataset
    // of weight 0 is never drawn.
    std::size_t draw() {
      const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * total_;
      double acc = 0;
      std::size_t last = 0;
      for (std::size_t i = 0; i < n_sources; ++i) {
        if (live_[i] <= 0) continue;
        acc += live_[i];
        last = i;
        if (u < acc) return i;
      }
      return last;  // u at the very top after rounding
    }
    template <std::size_t... I>
    void open_all(std::index_sequence<I...>) {
      (std::get<I>(open_).emplace(std::get<I>(s_->sources_).open()), ...);
    }
    template <std::size_t... I>
    bool next_of(std::size_t i, element_type& out, std::index_sequence<I...>) {
      bool got = false;
      (void)((i == I ? (got = std::get<I>(open_)->next(out), true) : false) || ...);
      return got;
    }

    SampleFromDatasets* s_;
    Rng rng_;
    std::array<double, n_sources> live_;
    double total_ = 0;
    std::tuple<std::optional<cursor_t<Sources>>...> open_;
  };
  /// Starts a pass (a new order each epoch): a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(*this, epoch_++); }

 private:
  std::array<bool, n_sources> zero_weight() const noexcept {
    std::array<bool, n_sources> z{};
    for (std::size_t i = 0; i < n_sources; ++i) z[i] = weights_[i] == 0;
    return z;
  }

  // [A17] Continuing with the rest, a pass of finite datasets yields every element of each
  // dataset drawn (weight > 0) once: the weights set the order, not the proportions. Said when
  // the two differ.
  void warn_if_weights_only_reorder() const {
    std::array<Cardinality, n_sources> c{};
    std::apply([&](const auto&... s) { c = {s.cardinality()...}; }, sources_);
    std::array<double, n_sources> size{};
    double total_weight = 0, total_size = 0;
    for (std::size_t i = 0; i < n_sources; ++i) {
      if (!c[i].is_exact()) return;
      size[i] = weights_[i] > 0 ? double(c[i].count) : 0.0;
      total_weight += weights_[i];
      total_size += size[i];
    }
    if (total_size == 0) return;
    double worst = 0;
    for (std::size_t i = 0; i < n_sources; ++i)
      worst = std::max(worst, std::abs(weights_[i] / total_weight - size[i] / total_size));
    if (worst <= 0.05) return;
    std::string sizes, given, share;
    for (std::size_t i = 0; i < n_sources; ++i) {
      const char* sep = i == 0 ? "" : (i + 1 == n_sources ? " and " : ", ");
      sizes += sep + std::to_string(c[i].count);
      given += sep + format_number(weights_[i] / total_weight);
      share += sep + format_number(std::round(1000 * size[i] / total_size) / 1000);
    }
    warn("A17",
         "sample_from_datasets over finite datasets of " + sizes + " samples with weights " +
             given + ": each epoch still yields every sample once, in the proportions " + share +
             "; the weights change only the order, so nothing is oversampled",
         "repeat() each dataset and give fit StepsPerEpoch{n} (tf.data's oversampling recipe: "
         "sample_from_datasets(w, a | repeat(), b | repeat())), or stop_on_empty_dataset to "
         "end the epoch when the first dataset runs out");
  }

  std::array<double, n_sources> weights_;
  std::uint64_t seed_;
  std::tuple<Sources...> sources_;
  std::uint64_t epoch_ = 0;
};

/// tf.data's `stop_on_empty_dataset=True`, as an argument of sample_from_datasets.
struct stop_on_empty_dataset_t {};
/// End each sampling pass when the first dataset runs out.
inline constexpr stop_on_empty_dataset_t stop_on_empty_dataset{};

/// `sample_from_datasets({0.5, 0.5}, a, b)`: each element drawn from a with probability 0.5 and
/// from b with 0.5; when one runs out, from the rest (tf.data's default). A seed and
/// `stop_on_empty_dataset` may come before the datasets: `sample_from_datasets(w, Seed{7},
/// stop_on_empty_dataset, a, b)`. The datasets yield the same samples and are not batched
/// (batch after sampling [A16]).
template <dataset... Sources>
requires(sizeof...(Sources) >= 2)
    [[nodiscard]] auto sample_from_datasets(const std::array<double, sizeof...(Sources)>& weights,
                                            Sources... sources) {
  return SampleFromDatasets<on_empty::continue_with_the_rest, Sources...>(weights, Seed{0},
                                                                          std::move(sources)...);
}
/// As above, with the order's seed.
template <dataset... Sources>
requires(sizeof...(Sources) >= 2)
    [[nodiscard]] auto sample_from_datasets(const std::array<double, sizeof...(Sources)>& weights,
                                            Seed seed, Sources... sources) {
  return SampleFromDatasets<on_empty::continue_with_the_rest, Sources...>(weights, seed,
                                                                          std::move(sources)...);
}
/// As above, ending each pass when the first dataset runs out (`on_empty::stop`).
template <dataset... Sources>
requires(sizeof...(Sources) >= 2)
    [[nodiscard]] auto sample_from_datasets(const std::array<double, sizeof...(Sources)>& weights,
                                            Seed seed, stop_on_empty_dataset_t,
                                            Sources... sources) {
  return SampleFromDatasets<on_empty::stop, Sources...>(weights, seed, std::move(sources)...);
}

}  // namespace fitcheck::data
