// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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

// "column 12" for flat features, "column 12 (index (1, 4))" for rank > 1, so the user can
// find the value in the array they loaded.
template <feature_spec F>
std::string column_name(std::size_t flat) {
  std::string out = "column " + std::to_string(flat);
  if constexpr (F::shape::rank > 1) {
    std::array<std::size_t, F::shape::rank> index{};
    std::size_t rest = flat;
    for (std::size_t d = F::shape::rank; d-- > 0;) {
      index[d] = rest % F::shape::dims[d];
      rest /= F::shape::dims[d];
    }
    out += " (index " + format_shape(std::span<const std::size_t>(index)) + ")";
  }
  return out;
}

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
                             " (in pass order), feature " + pd::column_name<F>(c) + " is " +
                             format_number(v) + " [D2]",
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

  const std::size_t n = report.samples_scanned;
  if (n == 0) {
    std::string why;
    if (epoch.is_exact() && epoch.count == 0)
      why = ": its size is 0 (an empty source, take(0), skip past the end, or batch with "
            "drop_remainder on too few samples)";
    else
      why = ": a filter may reject every sample, or the source is empty";
    throw data_error("the pipeline produced no samples" + why + " [B6]",
                     "check the source path and each filter/take/skip stage; a pipeline must "
                     "yield at least one batch per epoch");
  }

  const std::string scope =
      report.complete ? "" : " in the first " + std::to_string(n) + " samples scanned";
  auto raise = [&](const std::string& code, const std::string& problem, const std::string& fix) {
    report.warnings.push_back(code);
    if (options.level == check::error) throw warning_error(warning{code, problem, fix});
    warn(code, problem, fix);
  };

  using First = pd::first_layer_t<Net>;
  constexpr bool scaled_first = pd::is_rescaling<First> || std::is_same_v<First, nn::Normalization>;
  // Indices into a table or a code book have no scale to check.
  constexpr bool indices_first = pd::is_category<First> || pd::is_embedding<First>;

  // D1: values far from [-1, 1], or columns whose spreads differ by orders of magnitude.
  if constexpr (!scaled_first && !indices_first) {
    float narrowest = std::numeric_limits<float>::infinity();
    std::size_t narrow_col = 0;
    for (std::size_t c = 0; c < width; ++c) {
      const float r = columns[c].range();
      if (r > 0 && r < narrowest) {
        narrowest = r;
        narrow_col = c;
      }
    }
    for (std::size_t c = 0; c < width; ++c) {
      const auto& col = columns[c];
      if (col.magnitude() > 10.0f || (col.range() > 100.0f * narrowest))
        report.unscaled_columns.push_back(c);
    }
    if (!report.unscaled_columns.empty()) {
      auto shown = report.unscaled_columns;
      std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) {
        return columns[a].magnitude() > columns[b].magnitude();
      });
      std::string list;
      for (std::size_t i = 0; i < shown.size() && i < 5; ++i) {
        const auto& col = columns[shown[i]];
        list += (i == 0 ? "" : ", ") + pd::column_name<F>(shown[i]) + " in [" +
                format_number(col.min) + ", " + format_number(col.max) + "]";
      }
      if (shown.size() > 5) list += " and " + std::to_string(shown.size() - 5) + " more";
      const bool spread = narrowest < std::numeric_limits<float>::infinity() &&
                          std::any_of(report.unscaled_columns.begin(),
                                      report.unscaled_columns.end(), [&](std::size_t c) {
                                        return columns[c].range() > 100.0f * narrowest;
                                      });
      std::string narrow;
      if (spread)
        narrow = "; the narrowest, " + pd::column_name<F>(narrow_col) + ", spans only [" +
                 format_number(columns[narrow_col].min) + ", " +
                 format_number(columns[narrow_col].max) + "]";
      raise("D1",
            "the inputs look unscaled" + scope + ": " + list + narrow +
                " (values beyond +-10 or ranges more than 100x apart make gradients vanish or "
                "explode)",
            "put nn::Normalization first in the model and adapt it to the training data, or "
            "nn::Rescaling<std::ratio<1, S>> when all columns share a known range (e.g. S = "
            "255 for pixels)");
    }
  }

  // C5: a handful of distinct integers is how category codes look; Dense treats them as
  // ordered quantities.
  // Not when most columns are integers with many values (pixels, counts): there the
  // few-valued columns (image edges) are the same quantity, not codes.
  const auto many_valued = static_cast<std::size_t>(
      std::count_if(columns.begin(), columns.end(), [](const pd::column_stats& col) {
        return col.integral && col.distinct == pd::column_stats::distinct_cap;
      }));
  if (nn::detail::is_dense<typename Net::template layer_t<0>> && 2 * many_valued <= width) {
    std::string list;
    for (std::size_t c = 0; c < width; ++c) {
      const auto& col = columns[c];
      if (!col.integral || col.distinct < 3 || col.distinct > 10) continue;
      report.categorical_columns.push_back(c);
      if (report.categorical_columns.size() > 5) continue;
      auto values = col.values;
      std::sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(col.distinct));
      std::string shown;
      for (std::size_t i = 0; i < col.distinct; ++i)
        shown += (i == 0 ? "" : " ") + format_number(values[i]);
      list += (list.empty() ? "" : ", ") + pd::column_name<F>(c) + " {" + shown + "}";
    }
    if (report.categorical_columns.size() > 5)
      list += " and " + std::to_string(report.categorical_columns.size() - 5) + " more";
    if (!report.categorical_columns.empty())
      raise("C5",
            "feature columns hold only a few distinct integers, like category codes, and go "
            "straight into Dense as numbers" + scope + ": " + list,
            "encode each categorical column, e.g. nn::OneHot<K> or nn::CategoryEncoding<K> "
            "before Dense (K = the number of categories); if the numbers are real quantities, "
            "scale them and ignore this warning");
  }

  // I2: at least a tenth of the sequences end in two or more 0 tokens.
  if constexpr (unmasked_recurrent < Net::depth) {
    if (width >= 2 && padded_samples * 10 >= n)
      raise("I2",
            std::to_string(padded_samples) + " of " + std::to_string(n) +
                " samples end in padding (token 0, up to " + std::to_string(longest_padding) +
                " of " + std::to_string(width) + " positions)" + scope + " and reach " +
                Net::template layer_t<unmasked_recurrent>::name +
                " through an Embedding without mask_zero: it reads the padding as data, so its "
                "last step comes after the padding and holds little of the text",
            "Embedding<V, D, fc::mask_zero>: LSTM, GRU and Bidirectional then skip token 0 (if 0 "
            "is a real token, shift the tokens by one and keep 0 for padding)");
  }

  // A11 / A12: equal labels in long runs. Random order over the same class counts gives runs
  // of about ln(n) / ln(1 / p) (p the largest class share), so imbalanced but shuffled data
  // does not trigger; a run within 2 batches is harmless (order inside a batch is irrelevant).
  if (report.longest_label_run < n) {  // at least 2 distinct labels
    double random_run = 0;
    if constexpr (counts_classes) {
      const std::size_t top = *std::max_element(class_count.begin(), class_count.end());
      const double p = std::min(0.999, static_cast<double>(top) / static_cast<double>(n));
      random_run = std::log(static_cast<double>(n)) / std::log(1.0 / p);
    }
    const double threshold =
        std::max({2.0 * static_cast<double>(batch_capacity), 0.1 * static_cast<double>(n),
                  3.0 * random_run, 3.0});
    const std::size_t longest = report.longest_label_run;
    if (static_cast<double>(longest) > threshold) {
      const Cardinality size = pipeline.cardinality();
      const std::string n_text = size.is_exact() && !P::traits.batched && !P::traits.repeated
                                     ? " (" + std::to_string(size.count) + ")"
                                     : "";
      if constexpr (P::traits.randomized) {
        // check::error still throws: the stage's warning did not stop anything.
        if (options.level == check::error || !pd::shuffle_warned_a11(pipeline))
          raise("A11",
                "labels still arrive in runs of up to " + std::to_string(longest) +
                    " equal values after the pipeline's shuffle" + scope +
                    ": the shuffle buffer cannot mix classes, so batches stay single-class",
                "shuffle(n) before batch with a buffer as large as the data set" + n_text);
      } else {
        raise("A12",
              "labels arrive in runs of up to " + std::to_string(longest) +
                  " equal values (sorted by label?) and the pipeline has no shuffle" + scope,
              "add shuffle(n) before batch, n >= the data set size" + n_text);
      }
    }
  }
  return report;
}

}  // namespace fitcheck
