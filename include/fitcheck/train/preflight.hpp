// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/config.hpp>
#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/embedding.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/one_hot.hpp>
#include <fitcheck/nn/regularizers.hpp>
#include <fitcheck/nn/rescaling.hpp>
#include <fitcheck/nn/sequential.hpp>

// The pre-flight data scan `fit` runs before the first step ([B6], [C4], [C5], [D1], [D2], [A11],
// [A12], [I2]). It reads a COPY of the pipeline, so the caller's shuffle epoch counters and
// caches stay as they were and training is bit-identical with and without the scan; since the
// copy holds the same seeds and epoch counters, the scan sees exactly the order of the first
// epoch.
//
// Findings and how they are raised:
//   B6, C4, D2   always `data_error` (unless the level is `off`): training on them cannot work.
//   D1, C5, A11, A12, I2
//                with `check::warn` through the warning channel (`warn(code, ...)`); with
//                `check::error` they throw `warning_error` (its `code()` names the row), the
//                same type `set_warnings_as_errors(true)` gives, so one catch handles both.
// A10 is warned when the batch stage is built (data/rules.hpp), not here; so is A11 when the
// source knows its label runs (in-memory data), and the scan then does not repeat it.
//
// The scan is a pass of its own: a from_generator source calls its factory once more than there
// are epochs. That pass is also what lets fit tell a one-shot generator (B2) from an empty
// pipeline (B6). `check::off` skips it.

namespace fitcheck {

/// How the pre-flight scan reports what it finds.
enum class check : std::uint8_t {
  off,   ///< no scan at all
  warn,  ///< warnings through the warning channel; B6/C4/D2 still throw data_error
  error  ///< every finding throws (warnings as warning_error)
};

/// A `fit` argument: `fit(train, Epochs{5}, Preflight{check::error})`.
struct Preflight {
  /// What the scan does with what it finds: warn, or off.
  check level = check::warn;
  /// The scan reads at most this many samples (of one epoch); messages then say so.
  std::size_t max_samples = 10'000;
};

/// What the scan saw.
struct preflight_report {
  /// Samples the scan read.
  std::size_t samples_scanned = 0;
  /// The whole epoch was read (not cut at `max_samples`); false when the level is `off`.
  bool complete = false;
  /// Longest run of consecutive samples with equal labels, in pass order.
  std::size_t longest_label_run = 0;
  /// Flat feature indices flagged as unscaled (D1) and as category codes (C5).
  std::vector<std::size_t> unscaled_columns;
  /// Feature columns that look like category codes [C5].
  std::vector<std::size_t> categorical_columns;
  /// The warning codes raised, in order.
  std::vector<std::string> warnings;
};

namespace detail::preflight {

// "column 12" for flat features, "column 12 (index (1, 4))" for rank > 1 (`dims`: the features'
// shape), so the user can find the value in the array they loaded.
std::string column_name(std::span<const std::size_t> dims, std::size_t flat);

template <class S>
inline constexpr bool is_rescaling = false;
template <class Scale, class Offset>
inline constexpr bool is_rescaling<nn::Rescaling<Scale, Offset>> = true;

template <std::size_t K, nn::encoding E>
std::true_type category_probe(const nn::detail::category_encoding<K, E>*);
std::false_type category_probe(const void*);
template <class S>
inline constexpr bool is_category = decltype(category_probe(static_cast<S*>(nullptr)))::value;

// The first layer that looks at values: a leading Flatten only reshapes, so an image model
// `Input<28, 28>, Flatten, Rescaling<...>` counts as rescaled.
template <class Net, std::size_t I = 0,
          bool Skip = std::is_same_v<typename Net::template spec_t<I>, nn::Flatten> &&
                      (I + 1 < Net::depth)>
struct first_value_layer {
  using type = typename Net::template spec_t<I>;
};
template <class Net, std::size_t I>
struct first_value_layer<Net, I, true> {
  using type = typename first_value_layer<Net, I + 1>::type;
};

template <class Net>
using first_layer_t = typename first_value_layer<Net>::type;

// [I2]: the first recurrent layer (LSTM, GRU, Bidirectional) when the model starts with an
// Embedding without mask_zero; depth when there is none.
template <class B>
concept recurrent_bound = requires { requires B::recurrent_layer; };
template <class Net>
constexpr std::size_t unmasked_recurrent() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    std::size_t first = Net::depth;
    ((first = first == Net::depth && recurrent_bound<typename Net::template layer_t<I>> &&
                      Net::mask_sources[I] == Net::no_mask
                  ? I
                  : first),
     ...);
    return first;
  }(std::make_index_sequence<Net::depth>{});
}

template <class S>
inline constexpr bool is_embedding = false;
template <std::size_t V, std::size_t D, nn::token_mask M>
inline constexpr bool is_embedding<nn::Embedding<V, D, M>> = true;
template <std::size_t V, std::size_t D, nn::token_mask M>
inline constexpr bool is_embedding<nn::TokenAndPositionEmbedding<V, D, M>> = true;
template <class L, class... R>
inline constexpr bool is_embedding<nn::Regularized<L, R...>> = is_embedding<L>;

// Whether a shuffle stage upstream already warned A11 when it was built (it knew the label runs
// of its source): the scan then stays silent, one warning per cause.
template <class P>
bool shuffle_warned_a11(const P& p) noexcept {
  bool warned = false;
  if constexpr (requires { p.small_buffer_warned(); }) warned = p.small_buffer_warned();
  if constexpr (requires { p.source(); }) warned = warned || shuffle_warned_a11(p.source());
  return warned;
}

/// Per-column facts, sized once by the feature count.
struct column_stats {
  static constexpr std::size_t distinct_cap = 11;  // C5 needs 3..10; 11 means "many"
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
  bool integral = true;
  std::size_t distinct = 0;
  std::array<float, distinct_cap> values{};

  void add(float v) noexcept {
    min = std::min(min, v);
    max = std::max(max, v);
    if (!integral) return;
    if (v != std::trunc(v)) {
      integral = false;
      return;
    }
    if (distinct == distinct_cap) return;
    for (std::size_t i = 0; i < distinct; ++i)
      if (values[i] == v) return;
    values[distinct++] = v;
  }
  [[nodiscard]] float magnitude() const noexcept { return std::max(std::abs(min), std::abs(max)); }
  [[nodiscard]] float range() const noexcept { return max - min; }
};

// What the scan saw, for the findings no type of the user's shapes (B6, D1, C5, I2, A11, A12):
// their checks and sentences are compiled once (config.hpp, FITCHECK_SEPARATE).
struct scan_facts {
  Cardinality epoch;                         // the pipeline's epoch, for B6's sentence
  std::span<const column_stats> columns;     // one per feature column
  std::span<const std::size_t> dims;         // the features' shape
  bool check_scale = false;                  // no Rescaling, Normalization or lookup first (D1)
  bool check_categories = false;             // Dense first (C5)
  const char* unmasked_recurrent = nullptr;  // the recurrent layer reading padding (I2)
  std::size_t padded_samples = 0, longest_padding = 0;
  std::span<const std::size_t> class_count;  // per class; empty for labels that are not classes
  std::size_t batch_capacity = 1;
  bool randomized = false;          // the pipeline shuffles (A11, else A12)
  bool a11_said = false;            // a shuffle stage warned A11 already
  std::optional<std::size_t> size;  // the data set's size, when known, for the fixes
};

// B6 throws; D1, C5, I2, A11 and A12 are added to `report` and raised as `options` says.
void report_findings(const scan_facts& facts, const Preflight& options, preflight_report& report);

}  // namespace detail::preflight

/// Scans (a copy of) `pipeline` for data that cannot train or will train badly, before the
/// first step of `fit`. `Net` is the model's `nn::Sequential`. Throws `data_error` for B6, C4
/// and D2; warns (or throws `warning_error` with `check::error`) for D1, C5, A11, A12 and I2.
template <class Net, data::dataset P>
preflight_report preflight_scan(const P& pipeline, const Preflight& options = {}) {
  namespace pd = detail::preflight;
  using E = data::element_t<P>;
  using F = typename E::features_type;
  using L = typename E::label_type;
  using V = typename L::value_type;
  constexpr std::size_t width = F::size;
  constexpr std::size_t label_values = label_width<L>;
  constexpr bool batched = data::batch_data<E>;

  preflight_report report;
  if (options.level == check::off) return report;

  // The copy: the caller's pipeline is never opened, so its next pass is the one training
  // gets.
  P scan = pipeline;
  const Cardinality epoch = scan.epoch_cardinality();
  // One epoch at most: a repeat() would otherwise feed the scan the same samples again.
  const std::size_t element_limit =
      epoch.is_exact() ? epoch.count : std::numeric_limits<std::size_t>::max();

  std::vector<pd::column_stats> columns(width);
  // Class counts for the run test (how long a run random order would give); one-hot labels
  // count their hot index.
  constexpr std::size_t classes = L::classes;
  constexpr bool counts_classes = L::category == label_category::binary ||
                                  L::category == label_category::class_index ||
                                  L::category == label_category::one_hot;
  std::vector<std::size_t> class_count(counts_classes ? classes : 0);
  std::array<V, label_values> previous{};
  std::size_t run = 0;
  std::size_t batch_capacity = 1;

  // I2: token sequences that end in padding, read by a recurrent layer without a mask.
  constexpr std::size_t unmasked_recurrent =
      pd::is_embedding<typename Net::template spec_t<0>> ? pd::unmasked_recurrent<Net>()
                                                         : Net::depth;
  std::size_t padded_samples = 0, longest_padding = 0;

  auto scan_sample = [&](const float* x, const V* y) {
    const std::size_t s = report.samples_scanned;
    if constexpr (unmasked_recurrent < Net::depth) {
      std::size_t zeros = 0;
      while (zeros < width && x[width - 1 - zeros] == 0.0f) ++zeros;
      // One trailing 0 may be a token; two in a row are padding (a chance of 1 / V^2 otherwise).
      padded_samples += zeros >= 2 ? 1 : 0;
      longest_padding = std::max(longest_padding, zeros);
    }
    for (std::size_t c = 0; c < width; ++c) {
      const float v = x[c];
      if (!std::isfinite(v))
        throw data_error("the data holds a non-finite value: sample " + std::to_string(s) +
                             " (in pass order), feature " + pd::column_name(F::shape::dims, c) +
                             " is " + format_number(v) + " [D2]",
                         "clean the data before training: drop the sample (filter) or replace "
                         "the value (map) with a finite one; one NaN or Inf makes the loss NaN");
      columns[c].add(v);
    }
    std::size_t hot = 0, ones = 0;
    for (std::size_t k = 0; k < label_values; ++k) {
      if (!L::accepts(y[k]))
        throw data_error("the data holds a label the label kind does not accept: sample " +
                             std::to_string(s) + " (in pass order) has label " +
                             (label_values > 1 ? "value " + std::to_string(k) + " = " : "") +
                             format_number(y[k]) + ", but the labels must be " +
                             L::expected() + " [C4]",
                         "fix the labels (or the map that makes them), or declare the label "
                         "kind the data has");
      if (y[k] == V{1}) {
        hot = k;
        ++ones;
      }
    }
    if constexpr (L::category == label_category::one_hot) {
      if (ones != 1)
        throw data_error("the data holds a label the label kind does not accept: sample " +
                             std::to_string(s) + " (in pass order) has " + std::to_string(ones) +
                             " ones in its one-hot label, but the labels must be " +
                             L::expected() + " [C4]",
                         "fix the labels (or the map that makes them), or use MultiLabel<K> "
                         "for several classes per sample");
    }
    if constexpr (counts_classes) {
      const std::size_t cls =
          L::category == label_category::one_hot ? hot : static_cast<std::size_t>(y[0]);
      ++class_count[cls];
    }
    const bool same = s != 0 && std::equal(previous.begin(), previous.end(), y);
    run = same ? run + 1 : 1;
    report.longest_label_run = std::max(report.longest_label_run, run);
    std::copy_n(y, label_values, previous.begin());
    ++report.samples_scanned;
  };

  {
    // At least one sample, so a zero limit cannot pass for an empty pipeline (B6).
    const std::size_t limit = std::max<std::size_t>(options.max_samples, 1);
    auto cursor = scan.open();
    E element = scan.make_element();
    std::size_t elements = 0;
    for (;;) {
      if (elements == element_limit || !cursor.next(element)) {
        report.complete = true;
        break;
      }
      ++elements;
      std::size_t in_element = 1;
      if constexpr (batched) {
        batch_capacity = std::max(batch_capacity, element.capacity());
        in_element = element.size();
      }
      const std::size_t take = std::min(in_element, limit - report.samples_scanned);
      for (std::size_t i = 0; i < take; ++i) {
        if constexpr (batched) {
          scan_sample(element.x_data() + i * width, element.y_data() + i * label_values);
        } else {
          scan_sample(element.x.data(), element.y.data());
        }
      }
      if (take < in_element) break;  // cut inside a batch: partial
      if (report.samples_scanned == limit) {
        // A data set of exactly `limit` samples is still complete: peek (on the copy).
        report.complete = elements == element_limit || !cursor.next(element);
        break;
      }
    }
  }

  using First = pd::first_layer_t<Net>;
  pd::scan_facts facts;
  facts.epoch = epoch;
  facts.columns = columns;
  facts.dims = F::shape::dims;
  // Inputs a first Rescaling or Normalization scales, and indices into a table or a code book,
  // have no scale to check.
  facts.check_scale = !(pd::is_rescaling<First> || std::is_same_v<First, nn::Normalization> ||
                        pd::is_category<First> || pd::is_embedding<First>);
  facts.check_categories = nn::detail::is_dense<typename Net::template layer_t<0>>;
  if constexpr (unmasked_recurrent < Net::depth)
    facts.unmasked_recurrent = Net::template layer_t<unmasked_recurrent>::name;
  facts.padded_samples = padded_samples;
  facts.longest_padding = longest_padding;
  facts.class_count = class_count;
  facts.batch_capacity = batch_capacity;
  facts.randomized = P::traits.randomized;
  if constexpr (P::traits.randomized) facts.a11_said = pd::shuffle_warned_a11(pipeline);
  if (const Cardinality size = pipeline.cardinality();
      size.is_exact() && !P::traits.batched && !P::traits.repeated)
    facts.size = size.count;
  pd::report_findings(facts, options, report);
  return report;
}

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/train/preflight_impl.hpp>
#endif
