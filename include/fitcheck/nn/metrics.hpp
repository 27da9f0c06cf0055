// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

#include <fitcheck/core/labels.hpp>

// Metrics. A metric is a default-constructible type with
//   static constexpr const char* name            the log key ("accuracy")
//   void reset()                                 at the start of each epoch / evaluation
//   template <label_kind L, class Y> void update(const float* out, const Y* y,
//                                                std::size_t batch, std::size_t width)
//   double result() const
// and, for a score per class or output (Keras' average=None), logged as name[0], name[1], ...
// in its place:
//   std::vector<double> results() const
// and, for a training backup within an epoch (BackupAndRestore's save_freq), what it has counted
// since reset() as numbers:
//   std::vector<double> backup_state() const;  void restore_state(std::span<const double>)
// `out` is what the model outputs (probabilities after sigmoid/softmax, raw values otherwise);
// `update` must not allocate. Models take them as `Metrics<metrics::Accuracy, ...>`.
//
// Names are the default `name`s of the Keras metric classes, so logs and callbacks read the same
// keys ("val_auc", "val_precision", ...). Results that are undefined (no samples, no predicted
// positives for precision, no positives for recall, one class only for AUC) are 0, as Keras'
// divide_no_nan makes them. A metric that cannot mean anything for a label kind (accuracy on
// regression targets, precision on class indices) is rejected at compile time, where Keras would
// either fail on shapes at run time or report a number that means nothing.
//
// Metrics always see probabilities: with a FromLogits<...> loss the model applies the loss's
// activation before updating them (unlike Keras, where a 0.5 threshold then judges logits).

namespace fitcheck {

/// The metrics a model reports besides its loss.
template <class... Ms>
struct Metrics {
  /// The metrics a Model keeps.
  using type = std::tuple<Ms...>;
};

namespace metrics {

namespace detail {
template <class L>
inline constexpr bool per_unit_binary = L::category == label_category::binary ||
                                        L::category == label_category::multi_label ||
                                        L::category == label_category::one_hot;

template <class Y>
constexpr bool is_positive(Y v) noexcept {
  return static_cast<float>(v) > 0.5f;
}

// Calls f(score, positive) for every (output, 0/1 label) pair a per-unit binary metric scores,
// as Keras does over the flattened outputs. BinaryLabel stores one value per sample; its score is
// the last output unit, which is the one sigmoid output, or p(class 1) of a two-unit softmax
// (SparseCategoricalCrossentropy with BinaryLabel), so both layouts score the same way.
// Multi-label and one-hot labels score unit by unit; the loss rules make the output as wide as
// the label, and min() keeps any other pairing in bounds.
template <label_kind L, class Y, class F>
void for_each_unit(const float* out, const Y* y, std::size_t batch, std::size_t width, F&& f) {
  if constexpr (L::category == label_category::binary) {
    for (std::size_t r = 0; r < batch; ++r) f(out[r * width + width - 1], is_positive(y[r]));
  } else {
    constexpr std::size_t lw = label_width<L>;
    const std::size_t w = std::min(width, lw);
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t j = 0; j < w; ++j) f(out[r * width + j], is_positive(y[r * lw + j]));
  }
}

// The first index of the largest output: the predicted class (Keras' argmax, ties to the first).
inline std::size_t arg_max(const float* o, std::size_t width) noexcept {
  std::size_t best = 0;
  for (std::size_t j = 1; j < width; ++j)
    if (o[j] > o[best]) best = j;
  return best;
}

inline double ratio_or_zero(double num, double den) noexcept { return den == 0 ? 0.0 : num / den; }

// Counts for a fraction-of-correct metric.
struct hit_count {
  std::size_t correct = 0;
  std::size_t total = 0;
  void reset() noexcept { correct = total = 0; }
  void add(bool hit) noexcept {
    correct += hit;
    ++total;
  }
  [[nodiscard]] double result() const noexcept {
    return ratio_or_zero(double(correct), double(total));
  }
};

// What the fraction-of-correct metrics share: their counts, and everything done with them.
class hit_metric {
public:
  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { hits_.reset(); }
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept { return hits_.result(); }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const {
    return {double(hits_.correct), double(hits_.total)};
  }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    hits_.correct = static_cast<std::size_t>(v[0]);
    hits_.total = static_cast<std::size_t>(v[1]);
  }

protected:
  hit_count hits_;
};

// The mean of a per-element error over everything seen since reset.
template <class Op>
struct mean_error {
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category != label_category::class_index,
                  "a regression metric compares outputs and targets value by value, but "
                  "ClassLabel<K> labels are class indices, one per sample. Fix: "
                  "SparseCategoricalAccuracy (or Accuracy) for class labels");
    if constexpr (L::category == label_category::binary) {
      // One 0/1 target per sample against the positive-class output (see for_each_unit).
      for_each_unit<L>(out, y, batch, width, [&](float s, bool pos) {
        sum_ += Op::f(double(s), pos ? 1.0 : 0.0);
        ++count_;
      });
    } else {
      constexpr std::size_t lw = label_width<L>;
      const std::size_t w = std::min(width, lw);
      for (std::size_t r = 0; r < batch; ++r)
        for (std::size_t j = 0; j < w; ++j) {
          sum_ += Op::f(double(out[r * width + j]), double(y[r * lw + j]));
          ++count_;
        }
    }
  }
  void reset() noexcept {
    sum_ = 0;
    count_ = 0;
  }
  [[nodiscard]] double result() const noexcept { return ratio_or_zero(sum_, double(count_)); }
  /// The sum and count since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return {sum_, double(count_)}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    sum_ = v[0];
    count_ = static_cast<std::size_t>(v[1]);
  }

private:
  // Summed in double so that a long epoch of float errors does not lose the small terms.
  double sum_ = 0;
  std::size_t count_ = 0;
};
// Each the per-value term of the Keras metric of that name, computed in double.
struct square_op {
  static double f(double o, double y) noexcept { return (o - y) * (o - y); }
};
struct abs_op {
  static double f(double o, double y) noexcept { return std::abs(o - y); }
};
struct percentage_op {
  static double f(double o, double y) noexcept {
    return 100.0 * std::abs(o - y) / std::max(std::abs(y), 1e-7);
  }
};
struct squared_log_op {
  static double f(double o, double y) noexcept {
    const double d = std::log1p(std::max(o, 1e-7)) - std::log1p(std::max(y, 1e-7));
    return d * d;
  }
};
struct log_cosh_op {
  static double f(double o, double y) noexcept {
    const double a = std::abs(o - y);
    return a + std::log1p(std::exp(-2 * a)) - 0.6931471805599453;
  }
};

// Whether the label's true class is among the k largest outputs of a row: fewer than k outputs
// are strictly larger than its own (a tie at the boundary counts in, as tf.math.in_top_k).
inline bool in_top_k(const float* o, std::size_t width, std::size_t truth, std::size_t k) noexcept {
  if (truth >= width) return false;
  std::size_t larger = 0;
  for (std::size_t j = 0; j < width; ++j) larger += o[j] > o[truth];
  return larger < k;
}
}  // namespace detail

/// The fraction of samples whose predicted class is right, chosen by label kind as Keras'
/// "accuracy": a 0.5 threshold per unit for binary / multi-label data (BinaryAccuracy), the
/// arg-max for class indices (SparseCategoricalAccuracy) and one-hot labels
/// (CategoricalAccuracy).
struct Accuracy : detail::hit_metric {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "accuracy";

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    constexpr auto kind = L::category;
    static_assert(kind != label_category::regression,
                  "Accuracy with regression targets: there are no classes to be right about "
                  "(Keras would count exactly equal floats). Fix: Metrics<metrics::"
                  "MeanAbsoluteError> or Metrics<metrics::MeanSquaredError>");
    if constexpr (kind == label_category::binary || kind == label_category::multi_label) {
      detail::for_each_unit<L>(out, y, batch, width,
                               [&](float s, bool pos) { hits_.add((s > 0.5f) == pos); });
    } else {
      for (std::size_t r = 0; r < batch; ++r) {
        const std::size_t best = detail::arg_max(out + r * width, width);
        if constexpr (kind == label_category::one_hot) {
          hits_.add(best < label_width<L> && detail::is_positive(y[r * label_width<L> + best]));
        } else {
          hits_.add(best == static_cast<std::size_t>(y[r]));
        }
      }
    }
  }
};

/// Keras' BinaryAccuracy: the fraction of (unit, label) pairs where output > 0.5 agrees with the
/// 0/1 label. For BinaryLabel, MultiLabel<K> and OneHotLabel<K> (unit by unit, as Keras).
struct BinaryAccuracy : detail::hit_metric {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "binary_accuracy";
  /// An output above this counts as a positive prediction.
  static constexpr float threshold = 0.5f;

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(detail::per_unit_binary<L>,
                  "BinaryAccuracy thresholds each output unit against a 0/1 label, but the labels "
                  "are class indices or regression targets. Fix: SparseCategoricalAccuracy (or "
                  "Accuracy) for ClassLabel<K>, MeanAbsoluteError for regression");
    detail::for_each_unit<L>(out, y, batch, width,
                             [&](float s, bool pos) { hits_.add((s > threshold) == pos); });
  }
};

/// Keras' SparseCategoricalAccuracy: the arg-max of the outputs equals the integer label. For
/// ClassLabel<K>, and BinaryLabel read as class 0 / 1 (a two-unit softmax; a single sigmoid unit
/// predicts class 1 when above 0.5, where Keras' arg-max of one unit would always say 0).
struct SparseCategoricalAccuracy : detail::hit_metric {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "sparse_categorical_accuracy";

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category == label_category::class_index ||
                      L::category == label_category::binary,
                  "SparseCategoricalAccuracy needs integer class labels (ClassLabel<K>). Fix: "
                  "CategoricalAccuracy for OneHotLabel<K>, BinaryAccuracy for MultiLabel<K>");
    for (std::size_t r = 0; r < batch; ++r) {
      const float* o = out + r * width;
      const std::size_t predicted =
          width == 1 ? std::size_t(o[0] > 0.5f) : detail::arg_max(o, width);
      hits_.add(predicted == static_cast<std::size_t>(y[r]));
    }
  }
};

/// Keras' CategoricalAccuracy: the arg-max of the outputs equals the arg-max of the one-hot label.
struct CategoricalAccuracy : detail::hit_metric {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "categorical_accuracy";

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category == label_category::one_hot,
                  "CategoricalAccuracy needs one-hot labels (OneHotLabel<K>). Fix: "
                  "SparseCategoricalAccuracy for ClassLabel<K>, BinaryAccuracy for BinaryLabel or "
                  "MultiLabel<K>");
    constexpr std::size_t lw = label_width<L>;
    const std::size_t w = std::min(width, lw);
    for (std::size_t r = 0; r < batch; ++r) {
      // Keras compares arg-maxes (ties to the first); for a valid one-hot row that is the 1.
      std::size_t truth = 0;
      for (std::size_t j = 1; j < lw; ++j)
        if (y[r * lw + j] > y[r * lw + truth]) truth = j;
      hits_.add(detail::arg_max(out + r * width, w) == truth);
    }
  }
};

/// Keras' Precision: true positives / predicted positives, an output above 0.5 predicting
/// positive, over every (unit, label) pair (micro-averaged for multi-label data). 0 while
/// nothing has been predicted positive.
struct Precision {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "precision";
  /// An output above this counts as a positive prediction.
  static constexpr float threshold = 0.5f;

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { tp_ = fp_ = 0; }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(detail::per_unit_binary<L>,
                  "Precision scores each output unit against a 0/1 label, but the labels are "
                  "class indices or regression targets. Fix: declare BinaryLabel, MultiLabel<K> "
                  "or OneHotLabel<K> labels, or use SparseCategoricalAccuracy for ClassLabel<K>");
    detail::for_each_unit<L>(out, y, batch, width, [&](float s, bool pos) {
      if (s > threshold) (pos ? tp_ : fp_) += 1;
    });
  }
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    return detail::ratio_or_zero(double(tp_), double(tp_ + fp_));
  }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return {double(tp_), double(fp_)}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    tp_ = static_cast<std::size_t>(v[0]);
    fp_ = static_cast<std::size_t>(v[1]);
  }

private:
  std::size_t tp_ = 0, fp_ = 0;
};

/// Keras' Recall: true positives / actual positives, an output above 0.5 predicting positive,
/// over every (unit, label) pair. 0 while no positive label has been seen.
struct Recall {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "recall";
  /// An output above this counts as a positive prediction.
  static constexpr float threshold = 0.5f;

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { tp_ = fn_ = 0; }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(detail::per_unit_binary<L>,
                  "Recall scores each output unit against a 0/1 label, but the labels are class "
                  "indices or regression targets. Fix: declare BinaryLabel, MultiLabel<K> or "
                  "OneHotLabel<K> labels, or use SparseCategoricalAccuracy for ClassLabel<K>");
    detail::for_each_unit<L>(out, y, batch, width, [&](float s, bool pos) {
      if (pos) (s > threshold ? tp_ : fn_) += 1;
    });
  }
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    return detail::ratio_or_zero(double(tp_), double(tp_ + fn_));
  }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return {double(tp_), double(fn_)}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    tp_ = static_cast<std::size_t>(v[0]);
    fn_ = static_cast<std::size_t>(v[1]);
  }

private:
  std::size_t tp_ = 0, fn_ = 0;
};

namespace detail {
// What Keras' threshold metrics keep, as histograms: each update puts an output in the bucket
// between two of their 200 thresholds by a binary search over a fixed table, so the state is two
// fixed-size arrays inside the object: update never allocates and costs O(log 200) per output,
// not 200 comparisons. The true and false positives at threshold i are the positives and
// negatives in the buckets above it. AUC's thresholds end at -1e-7 and 1 + 1e-7 (`Padded`), the
// sensitivity and specificity metrics' at 0 and 1, as Keras' do.
template <bool Padded>
class threshold_histograms {
public:
  /// Keras' default number of thresholds.
  static constexpr std::size_t num_thresholds = 200;

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept {
    pos_.fill(0);
    neg_.fill(0);
  }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(per_unit_binary<L>,
                  "AUC, PRAUC and the rate-at-rate metrics (PrecisionAtRecall, ...) score each "
                  "output unit against a 0/1 label, but the labels are class indices or "
                  "regression targets. Fix: declare BinaryLabel, MultiLabel<K> or OneHotLabel<K> "
                  "labels, or use SparseCategoricalAccuracy for ClassLabel<K>");
    for_each_unit<L>(out, y, batch, width, [&](float s, bool pos) {
      // k = how many thresholds s is strictly above (Keras: predicted positive iff s > t); a NaN
      // is above none, i.e. negative at every threshold.
      const auto k = static_cast<std::size_t>(
          std::partition_point(thresholds.begin(), thresholds.end(),
                               [s](float t) { return s > t; }) -
          thresholds.begin());
      ++(pos ? pos_ : neg_)[k];
    });
  }
  /// The two histograms since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const {
    std::vector<double> v(pos_.begin(), pos_.end());
    v.insert(v.end(), neg_.begin(), neg_.end());
    return v;
  }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    for (std::size_t k = 0; k <= num_thresholds; ++k) {
      pos_[k] = static_cast<std::uint64_t>(v[k]);
      neg_[k] = static_cast<std::uint64_t>(v[num_thresholds + 1 + k]);
    }
  }

  /// Keras' thresholds, as float32 as Keras stores them.
  static constexpr std::array<float, num_thresholds> thresholds = [] {
    std::array<float, num_thresholds> t{};
    t[0] = Padded ? 0.0f - 1e-7f : 0.0f;
    for (std::size_t i = 1; i + 1 < num_thresholds; ++i)
      t[i] = static_cast<float>(double(i) / double(num_thresholds - 1));
    t[num_thresholds - 1] = Padded ? 1.0f + 1e-7f : 1.0f;
    return t;
  }();

protected:
  // The true and false positives at each threshold (the outputs above it), and the positives and
  // negatives seen.
  struct confusion {
    std::array<double, num_thresholds> tp{}, fp{};
    double positives = 0, negatives = 0;
  };
  [[nodiscard]] confusion counts() const noexcept {
    confusion c;
    double tp = 0, fp = 0;
    for (std::size_t i = num_thresholds; i-- > 0;) {  // above threshold i: buckets i + 1 ...
      tp += double(pos_[i + 1]);
      fp += double(neg_[i + 1]);
      c.tp[i] = tp;
      c.fp[i] = fp;
    }
    c.positives = tp + double(pos_[0]);
    c.negatives = fp + double(neg_[0]);
    return c;
  }

private:
  // pos_[k] / neg_[k]: outputs above exactly k thresholds (k = 0 ... 200).
  std::array<std::uint64_t, num_thresholds + 1> pos_{};
  std::array<std::uint64_t, num_thresholds + 1> neg_{};
};
}  // namespace detail

/// Keras' AUC with its defaults: the area under the ROC curve from 200 thresholds, trapezoid rule
/// ("interpolation"), over every (unit, label) pair. Scores closer than one bucket count as ties
/// (half credit). 0 until both classes have been seen. Outputs are expected in [0, 1] (sigmoid /
/// softmax), as Keras expects: one below -1e-7 counts as negative at every threshold.
struct AUC : detail::threshold_histograms<true> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "auc";

  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    const confusion c = counts();
    if (c.positives == 0 || c.negatives == 0) return 0.0;
    // Each pair of neighbouring thresholds adds one trapezoid of the ROC curve.
    double area = 0;
    for (std::size_t i = num_thresholds - 1; i-- > 0;)
      area += (c.fp[i] - c.fp[i + 1]) / c.negatives * (c.tp[i + 1] + c.tp[i]) /
              (2 * c.positives);
    return area;
  }
};

/// Keras' `AUC(curve="PR")`: the area under the precision-recall curve from the same 200
/// thresholds, with Keras' interpolation (Davis & Goadrich: true and predicted positives vary
/// linearly between thresholds, so precision is integrated in closed form, not by trapezoids,
/// which overstate it). The metric of imbalanced classification, where a model that never finds
/// the rare class still has a high ROC AUC. 0 until a positive has been seen. Keras names it
/// "auc" too; here it is "pr_auc", so that both can be reported.
struct PRAUC : detail::threshold_histograms<true> {
  /// The name in logs, History and messages.
  static constexpr const char* name = "pr_auc";

  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    const confusion c = counts();
    if (c.positives == 0) return 0.0;
    double area = 0;
    for (std::size_t i = 0; i + 1 < num_thresholds; ++i) {
      // Keras' interpolate_pr_auc, its divide_no_nan cases included.
      const double dtp = c.tp[i] - c.tp[i + 1];
      const double p = c.tp[i] + c.fp[i], p_next = c.tp[i + 1] + c.fp[i + 1];
      const double dp = p - p_next;
      const double slope = dp > 0 ? dtp / dp : 0.0;
      const double intercept = c.tp[i + 1] - slope * p_next;
      const double ratio = p > 0 && p_next > 0 ? p / p_next : 1.0;
      area += slope * (dtp + intercept * std::log(ratio)) / c.positives;
    }
    return area;
  }
};

/// Keras' MeanSquaredError metric: mean((output - target)^2) over every value seen.
struct MeanSquaredError : detail::mean_error<detail::square_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_squared_error";
};

/// Keras' MeanAbsoluteError metric: mean(|output - target|) over every value seen.
struct MeanAbsoluteError : detail::mean_error<detail::abs_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_absolute_error";
};

/// Keras' RootMeanSquaredError: the square root of the mean squared error over every value seen.
struct RootMeanSquaredError : detail::mean_error<detail::square_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "root_mean_squared_error";
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    return std::sqrt(detail::mean_error<detail::square_op>::result());
  }
};

/// Keras' MeanAbsolutePercentageError: 100 |output - target| / max(|target|, 1e-7), averaged.
struct MeanAbsolutePercentageError : detail::mean_error<detail::percentage_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_absolute_percentage_error";
};

/// Keras' MeanSquaredLogarithmicError: (log(1 + output) - log(1 + target))^2, both floored at
/// 1e-7, averaged.
struct MeanSquaredLogarithmicError : detail::mean_error<detail::squared_log_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_squared_logarithmic_error";
};

/// Keras' LogCoshError: log cosh(output - target), averaged.
struct LogCoshError : detail::mean_error<detail::log_cosh_op> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "logcosh";
};

/// Keras' TopKCategoricalAccuracy: the fraction of samples whose one-hot class is among the K
/// largest outputs (a tie at the K-th place counts in, as tf.math.in_top_k). K = 5 is Keras'
/// default, ImageNet's top-5 accuracy.
template <std::size_t K = 5>
struct TopKCategoricalAccuracy : detail::hit_metric {
  static_assert(K >= 1, "TopKCategoricalAccuracy<0> counts nothing. Fix: K >= 1, e.g. 5");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "top_k_categorical_accuracy";

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category == label_category::one_hot,
                  "TopKCategoricalAccuracy needs one-hot labels (OneHotLabel<K>). Fix: "
                  "SparseTopKCategoricalAccuracy for ClassLabel<K>");
    constexpr std::size_t lw = label_width<L>;
    for (std::size_t r = 0; r < batch; ++r) {
      std::size_t truth = 0;
      for (std::size_t j = 1; j < lw; ++j)
        if (y[r * lw + j] > y[r * lw + truth]) truth = j;
      hits_.add(detail::in_top_k(out + r * width, width, truth, K));
    }
  }
};

/// Keras' SparseTopKCategoricalAccuracy: as TopKCategoricalAccuracy, with integer class labels.
template <std::size_t K = 5>
struct SparseTopKCategoricalAccuracy : detail::hit_metric {
  static_assert(K >= 1, "SparseTopKCategoricalAccuracy<0> counts nothing. Fix: K >= 1, e.g. 5");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "sparse_top_k_categorical_accuracy";

  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category == label_category::class_index,
                  "SparseTopKCategoricalAccuracy needs integer class labels (ClassLabel<K>). "
                  "Fix: TopKCategoricalAccuracy for OneHotLabel<K>");
    for (std::size_t r = 0; r < batch; ++r)
      hits_.add(detail::in_top_k(out + r * width, width, static_cast<std::size_t>(y[r]), K));
  }
};

/// Keras' CosineSimilarity metric: the mean over samples of cos(output, target), each norm
/// floored at 1e-6 as Keras' l2_normalize. 1 when they point the same way.
struct CosineSimilarity {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "cosine_similarity";

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept {
    sum_ = 0;
    count_ = 0;
  }
  /// Adds a batch: `batch` rows of `width` outputs and their target rows.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(L::category == label_category::regression ||
                      L::category == label_category::one_hot ||
                      L::category == label_category::multi_label,
                  "CosineSimilarity compares each output row with a target row of the same "
                  "width, but the labels are one value per sample. Fix: declare "
                  "RegressionTarget<K> (or OneHotLabel<K>, MultiLabel<K>) targets");
    constexpr std::size_t lw = label_width<L>;
    const std::size_t w = std::min(width, lw);
    for (std::size_t r = 0; r < batch; ++r) {
      double oo = 0, yy = 0, oy = 0;
      for (std::size_t j = 0; j < w; ++j) {
        const double o = out[r * width + j], t = static_cast<double>(y[r * lw + j]);
        oo += o * o;
        yy += t * t;
        oy += o * t;
      }
      sum_ += oy / (std::sqrt(std::max(oo, 1e-12)) * std::sqrt(std::max(yy, 1e-12)));
      ++count_;
    }
  }
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    return detail::ratio_or_zero(sum_, double(count_));
  }
  /// The sum and count since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return {sum_, double(count_)}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    sum_ = v[0];
    count_ = static_cast<std::size_t>(v[1]);
  }

private:
  double sum_ = 0;
  std::size_t count_ = 0;
};

}  // namespace metrics
}  // namespace fitcheck
