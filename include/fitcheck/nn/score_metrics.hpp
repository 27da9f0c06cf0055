// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ratio>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/metrics.hpp>

// Keras 3's metrics that count per class or per output before they combine: F1Score,
// FBetaScore, R2Score, BinaryIoU, MeanIoU; and those that read the confusion counts at a chosen operating point:
// PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity. Their counts are per class: a vector that `prepare<L>(width)` sizes from
// the label kind (fit calls it before its first step; update sizes it too, for train_step
// alone), and that later updates and every reset reuse: no allocation per step. Keras'
// `average=None` / `class_aggregation=None`, a score per class, is `average::none` /
// `r2_aggregation::none`: results() gives the scores, which the logs hold as `f1_score[0]`,
// `f1_score[1]`, ... (nn/metrics.hpp).

namespace fitcheck::metrics {

/// How FBetaScore / F1Score combine the classes' scores (Keras' `average`).
enum class average {
  micro,     ///< the counts of every class summed, then one score
  macro,     ///< the mean of the classes' scores
  weighted,  ///< the classes' scores weighted by their true instances (support)
  none       ///< each class's score (Keras' None), logged as name[class]
};

/// How R2Score combines the outputs' scores (Keras' `class_aggregation`).
enum class r2_aggregation {
  uniform_average,            ///< the mean of the outputs' scores
  variance_weighted_average,  ///< weighted by each output's total sum of squares
  none                        ///< each output's score (Keras' None), logged as name[output]
};

namespace detail {
// Counts per class (or output) in one vector of Fields x classes doubles, sized by the first
// update; reset() zeroes them and keeps the memory.
template <std::size_t Fields>
class per_class_counts {
public:
  void reset() noexcept { std::fill(v_.begin(), v_.end(), 0.0); }
  void size_for(std::size_t classes) {
    if (v_.size() != Fields * classes) v_.assign(Fields * classes, 0.0);
  }
  [[nodiscard]] std::size_t classes() const noexcept { return v_.size() / Fields; }
  double& at(std::size_t field, std::size_t c) noexcept { return v_[field * classes() + c]; }
  [[nodiscard]] double at(std::size_t field, std::size_t c) const noexcept {
    return v_[field * classes() + c];
  }
  [[nodiscard]] std::vector<double> backup_state() const { return v_; }
  void restore_state(std::span<const double> v) { v_.assign(v.begin(), v.end()); }

private:
  std::vector<double> v_;
};

template <class R>
constexpr double ratio_or_nan() noexcept {
  if constexpr (nn::detail::is_std_ratio<R>)
    return nn::detail::ratio_value<R>();
  else
    return std::numeric_limits<double>::quiet_NaN();
}

// Keras' backend.epsilon(), which its F-scores add to every denominator.
inline constexpr double keras_epsilon = 1e-7;
}  // namespace detail

/// Keras' FBetaScore: per class, (1 + beta^2) precision recall / (beta^2 precision + recall),
/// combined by `Average`. A prediction is an output above `Threshold` (a std::ratio in (0, 1]),
/// or with `Threshold = void` the largest output of each sample (ties all count, a row of zeros
/// predicts nothing), as Keras. For OneHotLabel<K>, ClassLabel<K> (its one-hot row; beyond
/// Keras, which needs one-hot labels), and with a threshold MultiLabel<K> and BinaryLabel (one
/// class, scored on the positive-class output). Keras' epsilon 1e-7 in each denominator.
template <class Beta = std::ratio<1>, average Average = average::macro, class Threshold = void>
struct FBetaScore {
  static_assert(detail::ratio_or_nan<Beta>() > 0,
                "FBetaScore<Beta>: beta must be a std::ratio > 0 (recall weighs beta times "
                "precision). Fix: FBetaScore<std::ratio<2>> weighs recall twice, "
                "F1Score for beta = 1");
  static_assert(std::is_void_v<Threshold> || (detail::ratio_or_nan<Threshold>() > 0 &&
                                              detail::ratio_or_nan<Threshold>() <= 1),
                "FBetaScore / F1Score: the threshold must be a std::ratio in (0, 1], or void for "
                "each sample's largest output. Fix: F1Score<average::macro, std::ratio<1, 2>>");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "fbeta_score";
  /// Recall weighs beta times precision.
  static constexpr double beta = detail::ratio_or_nan<Beta>();

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { counts_.reset(); }
  /// Sizes the counts for labels of kind L (a class each, one for BinaryLabel).
  template <label_kind L>
  void prepare(std::size_t) {
    constexpr auto kind = L::category;
    static_assert(kind != label_category::regression,
                  "an F-score counts right and wrong classes, but the labels are regression "
                  "targets. Fix: Metrics<metrics::R2Score> or metrics::MeanAbsoluteError");
    static_assert(!std::is_void_v<Threshold> || (kind != label_category::binary &&
                                                 kind != label_category::multi_label),
                  "FBetaScore / F1Score without a threshold predicts each sample's largest "
                  "output: one label per sample for MultiLabel<K>, every sample positive for "
                  "one sigmoid unit (BinaryLabel). Fix: a threshold, F1Score<average::macro, "
                  "std::ratio<1, 2>>");
    counts_.size_for(kind == label_category::binary ? 1 : L::classes);
  }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) {
    prepare<L>(width);
    constexpr auto kind = L::category;
    constexpr std::size_t classes = kind == label_category::binary ? 1 : L::classes;
    for (std::size_t r = 0; r < batch; ++r) {
      const float* o = out + r * width;
      if constexpr (kind == label_category::binary) {
        add(0, predicted(o[width - 1], 0.0f), detail::is_positive(y[r]));
      } else {
        const std::size_t w = std::min(width, classes);
        const float top = *std::max_element(o, o + w);
        for (std::size_t c = 0; c < w; ++c) {
          bool truth;
          if constexpr (kind == label_category::class_index)
            truth = static_cast<std::size_t>(y[r]) == c;
          else
            truth = detail::is_positive(y[r * label_width<L> + c]);
          add(c, predicted(o[c], top), truth);
        }
      }
    }
  }
  /// The value over every batch since the last reset; 0 before any. With average::none, the
  /// classes' mean (the logs hold results()).
  [[nodiscard]] double result() const noexcept {
    const std::size_t k = counts_.classes();
    if (k == 0) return 0.0;
    if constexpr (Average == average::micro) {
      double tp = 0, fp = 0, fn = 0;
      for (std::size_t c = 0; c < k; ++c) {
        tp += counts_.at(0, c);
        fp += counts_.at(1, c);
        fn += counts_.at(2, c);
      }
      return score(tp, fp, fn);
    } else {
      double sum = 0, support = 0;
      for (std::size_t c = 0; c < k; ++c) support += counts_.at(3, c);
      for (std::size_t c = 0; c < k; ++c) {
        const double s = score(counts_.at(0, c), counts_.at(1, c), counts_.at(2, c));
        sum += Average == average::weighted
                   ? s * (counts_.at(3, c) / (support + detail::keras_epsilon))
                   : s;
      }
      return Average == average::weighted ? sum : sum / double(k);
    }
  }
  /// With average::none: each class's score over every batch since the last reset (Keras'
  /// array), one for BinaryLabel; none before the counts are sized.
  [[nodiscard]] std::vector<double> results() const
    requires(Average == average::none)
  {
    std::vector<double> v(counts_.classes());
    for (std::size_t c = 0; c < v.size(); ++c)
      v[c] = score(counts_.at(0, c), counts_.at(1, c), counts_.at(2, c));
    return v;
  }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return counts_.backup_state(); }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) { counts_.restore_state(v); }

private:
  static double score(double tp, double fp, double fn) noexcept {
    const double precision = tp / (tp + fp + detail::keras_epsilon);
    const double recall = tp / (tp + fn + detail::keras_epsilon);
    const double b2 = beta * beta;
    return (1 + b2) * (precision * recall / (b2 * precision + recall + detail::keras_epsilon));
  }
  // Keras: above the threshold; without one, at the row's maximum and not zero.
  static bool predicted(float o, float top) noexcept {
    if constexpr (std::is_void_v<Threshold>)
      return o >= top && std::abs(o) > 1e-9f;
    else
      return double(o) > detail::ratio_or_nan<Threshold>();
  }
  void add(std::size_t c, bool predicted, bool truth) noexcept {
    counts_.at(0, c) += predicted && truth;
    counts_.at(1, c) += predicted && !truth;
    counts_.at(2, c) += !predicted && truth;
    counts_.at(3, c) += truth;
  }
  // Per class: true positives, false positives, false negatives, true instances.
  detail::per_class_counts<4> counts_;
};

/// Keras' F1Score: FBetaScore with beta 1, the harmonic mean of precision and recall.
template <average Average = average::macro, class Threshold = void>
struct F1Score : FBetaScore<std::ratio<1>, Average, Threshold> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "f1_score";
};

/// Keras' R2Score, the coefficient of determination: per output 1 - sum (y - p)^2 / sum (y -
/// mean y)^2 over every batch since the reset, combined by `Aggregation`; with NumRegressors p
/// > 0 the adjusted score 1 - (1 - R^2) (n - 1) / (n - p - 1), n the values seen (Keras counts
/// every output of every sample), unless n <= p + 1, where Keras warns and keeps R^2. An output
/// whose targets never vary scores 0 where the residual is not 0 (Keras' rule for the infinite
/// ratio). For regression targets.
template <r2_aggregation Aggregation = r2_aggregation::uniform_average,
          std::size_t NumRegressors = 0>
struct R2Score {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "r2_score";

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept {
    counts_.reset();
    values_ = 0;
  }
  /// Sizes the sums for targets of kind L (one set per target value).
  template <label_kind L>
  void prepare(std::size_t) {
    static_assert(L::category == label_category::regression,
                  "R2Score compares predicted values with regression targets, but the labels "
                  "name classes. Fix: Accuracy, AUC or F1Score for class labels");
    counts_.size_for(label_width<L>);
  }
  /// Adds a batch: `batch` rows of `width` outputs and their targets.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) {
    prepare<L>(width);
    constexpr std::size_t lw = label_width<L>;
    const std::size_t w = std::min(width, lw);
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t j = 0; j < w; ++j) {
        const double t = double(y[r * lw + j]), d = t - double(out[r * width + j]);
        counts_.at(0, j) += t;
        counts_.at(1, j) += t * t;
        counts_.at(2, j) += d * d;
        counts_.at(3, j) += 1;
      }
    values_ += double(batch * lw);
  }
  /// The value over every batch since the last reset; 0 before any. With r2_aggregation::none,
  /// the outputs' mean (the logs hold results()).
  [[nodiscard]] double result() const noexcept {
    const std::size_t k = counts_.classes();
    if (k == 0 || values_ == 0) return 0.0;
    double sum = 0, weights = 0;
    for (std::size_t j = 0; j < k; ++j) {
      const auto [raw, total] = output_score(j);
      if constexpr (Aggregation == r2_aggregation::variance_weighted_average) {
        sum += total * raw;
        weights += total;
      } else {
        sum += raw;
        weights += 1;
      }
    }
    return adjusted(sum / weights);
  }
  /// With r2_aggregation::none: each output's score over every batch since the last reset
  /// (Keras' array), adjusted as result() is; none before the sums are sized.
  [[nodiscard]] std::vector<double> results() const
    requires(Aggregation == r2_aggregation::none)
  {
    std::vector<double> v(values_ == 0 ? 0 : counts_.classes());
    for (std::size_t j = 0; j < v.size(); ++j) v[j] = adjusted(output_score(j).first);
    return v;
  }
  /// The sums since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const {
    std::vector<double> v = counts_.backup_state();
    v.push_back(values_);
    return v;
  }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) {
    counts_.restore_state(v.first(v.size() - 1));
    values_ = v.back();
  }

private:
  // Output j's R^2 (0 for constant targets with a residual, Keras' rule) and total sum of
  // squares.
  std::pair<double, double> output_score(std::size_t j) const noexcept {
    const double mean = counts_.at(0, j) / counts_.at(3, j);
    const double total = counts_.at(1, j) - counts_.at(0, j) * mean;
    double raw = 1 - counts_.at(2, j) / total;
    if (std::isinf(raw)) raw = 0;
    return {raw, total};
  }
  // Keras' adjusted R^2 for NumRegressors > 0, unless too few values.
  double adjusted(double r2) const noexcept {
    const double n = values_, p = double(NumRegressors);
    if (NumRegressors == 0 || p >= n - 1) return r2;
    return 1 - (1 - r2) * (n - 1) / (n - p - 1);
  }
  // Per output: the targets' sum, their squares' sum, the squared residuals' sum, the count.
  detail::per_class_counts<4> counts_;
  double values_ = 0;
};

namespace detail {
// Keras' SensitivitySpecificityBase: the confusion counts at its 200 thresholds (0, 1/199, ...,
// 1), and the best `dependent` rate at a threshold where the `constrained` one reaches Value
// (Keras' _find_max_under_constraint: 0 where none does). The rates in float32 with Keras'
// epsilon 1e-7 in each denominator, as Keras computes them: in float the epsilon vanishes
// beside a count of 2 or more, and whether a rate reaches Value exactly depends on it (in
// double, 1 / (2 + 1e-7) would miss a sensitivity of 0.5).
template <class Value>
class rate_at_rate : public threshold_histograms<false> {
  static_assert(ratio_or_nan<Value>() >= 0 && ratio_or_nan<Value>() <= 1,
                "PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, "
                "SpecificityAtSensitivity: the rate to reach must be a std::ratio in [0, 1]. "
                "Fix: PrecisionAtRecall<std::ratio<8, 10>> for the best precision at recall 0.8");

protected:
  enum class rate { precision, recall, specificity };
  [[nodiscard]] double best(rate dependent, rate constrained) const noexcept {
    const confusion c = counts();
    constexpr float epsilon = float(keras_epsilon);
    const auto at = [&](rate r, std::size_t i) {
      const auto tp = float(c.tp[i]), fp = float(c.fp[i]);
      switch (r) {
        case rate::precision:
          return tp / (tp + fp + epsilon);
        case rate::recall:
          return tp / (tp + (float(c.positives) - tp) + epsilon);  // tp / (tp + fn)
        default:
          return (float(c.negatives) - fp) / (float(c.negatives) - fp + fp + epsilon);
      }
    };
    constexpr auto value = float(ratio_or_nan<Value>());
    float most = 0;
    for (std::size_t i = 0; i < num_thresholds; ++i)
      if (at(constrained, i) >= value) most = std::max(most, at(dependent, i));
    return most;
  }
};
}  // namespace detail

/// Keras' PrecisionAtRecall: the best precision at a threshold whose recall is at least Recall
/// (a std::ratio). For BinaryLabel, MultiLabel<K> and OneHotLabel<K>, unit by unit as AUC.
template <class Recall>
struct PrecisionAtRecall : detail::rate_at_rate<Recall> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "precision_at_recall";
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    using r = typename detail::rate_at_rate<Recall>::rate;
    return this->best(r::precision, r::recall);
  }
};

/// Keras' RecallAtPrecision: the best recall at a threshold whose precision is at least
/// Precision.
template <class Precision>
struct RecallAtPrecision : detail::rate_at_rate<Precision> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "recall_at_precision";
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    using r = typename detail::rate_at_rate<Precision>::rate;
    return this->best(r::recall, r::precision);
  }
};

/// Keras' SensitivityAtSpecificity: the best sensitivity (recall) at a threshold whose
/// specificity, tn / (tn + fp), is at least Specificity.
template <class Specificity>
struct SensitivityAtSpecificity : detail::rate_at_rate<Specificity> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "sensitivity_at_specificity";
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    using r = typename detail::rate_at_rate<Specificity>::rate;
    return this->best(r::recall, r::specificity);
  }
};

/// Keras' SpecificityAtSensitivity: the best specificity at a threshold whose sensitivity is at
/// least Sensitivity.
template <class Sensitivity>
struct SpecificityAtSensitivity : detail::rate_at_rate<Sensitivity> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "specificity_at_sensitivity";
  /// The value over every batch since the last reset.
  [[nodiscard]] double result() const noexcept {
    using r = typename detail::rate_at_rate<Sensitivity>::rate;
    return this->best(r::specificity, r::recall);
  }
};

namespace detail {
// Keras' IoU result: per class TP / (TP + FP + FN + 1e-7), the mean over the chosen classes whose
// denominator is not 0 (a class never seen nor predicted counts for nothing), over their count
// + 1e-7. `counts` holds TP, FP, FN per class (per_class_counts<3> fields 0, 1, 2).
template <class Counts, class Chosen>
double mean_iou(const Counts& counts, std::size_t classes, Chosen chosen) noexcept {
  double sum = 0, valid = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    if (!chosen(c)) continue;
    const double denominator = counts.at(0, c) + counts.at(1, c) + counts.at(2, c);
    if (denominator <= 1e-9) continue;
    sum += counts.at(0, c) / (denominator + keras_epsilon);
    valid += 1;
  }
  return sum / (valid + keras_epsilon);
}
template <class Counts>
void add_to_confusion(Counts& counts, std::size_t truth, std::size_t predicted) noexcept {
  if (truth == predicted) {
    counts.at(0, truth) += 1;
  } else {
    counts.at(1, predicted) += 1;
    counts.at(2, truth) += 1;
  }
}
}  // namespace detail

/// Keras' `target_class_ids` of BinaryIoU: the classes whose IoU it averages.
enum class iou_classes {
  both,  ///< (0, 1): the mean of the background's and the foreground's IoU (Keras' default)
  zero,  ///< (0,): the background's
  one,   ///< (1,): the foreground's (the usual segmentation score)
};

/// Keras' BinaryIoU, the intersection over union of a segmentation: every output is class 1 at
/// or above `Threshold` (a std::ratio, 1/2 by default), class 0 below, against its 0/1 target
/// (a target above 0.5 is a 1); per class TP / (TP + FP + FN) over every output of every batch
/// since the reset, and the mean over `Classes` of those seen. For BinaryLabel (the last output
/// unit), MultiLabel<K>, OneHotLabel<K>, and masks as RegressionTarget<...> of 0/1 values.
template <iou_classes Classes = iou_classes::both, class Threshold = std::ratio<1, 2>>
struct BinaryIoU {
  static_assert(detail::ratio_or_nan<Threshold>() >= 0 && detail::ratio_or_nan<Threshold>() <= 1,
                "BinaryIoU: the threshold must be a std::ratio in [0, 1]. Fix: "
                "BinaryIoU<iou_classes::one, std::ratio<1, 2>>");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "binary_io_u";
  /// An output at or above this predicts class 1.
  static constexpr double threshold = detail::ratio_or_nan<Threshold>();

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { counts_.reset(); }
  /// Two classes whatever the labels.
  template <label_kind L>
  void prepare(std::size_t) {
    static_assert(L::category != label_category::class_index,
                  "BinaryIoU scores every output against its own 0/1 target, but ClassLabel<K> "
                  "gives one class index per sample. Fix: Metrics<metrics::MeanIoU> for class "
                  "indices");
    counts_.size_for(2);
  }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their targets.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) {
    prepare<L>(width);
    metrics::detail::for_each_unit<L>(out, y, batch, width, [&](float o, bool positive) {
      detail::add_to_confusion(counts_, positive ? 1 : 0, double(o) >= threshold ? 1 : 0);
    });
  }
  /// The value over every batch since the last reset; 0 before any.
  [[nodiscard]] double result() const noexcept {
    return detail::mean_iou(counts_, counts_.classes(), [](std::size_t c) {
      return Classes == iou_classes::both || (Classes == iou_classes::one) == (c == 1);
    });
  }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return counts_.backup_state(); }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) { counts_.restore_state(v); }

private:
  // Per class (0, 1): true positives, false positives, false negatives.
  detail::per_class_counts<3> counts_;
};

namespace detail {
// Keras' IoU family over class indices or one-hot rows: each sample's predicted class is its
// largest output (ties to the first), counted against its class in a confusion of TP, FP and FN
// per class; the result averages the classes `Derived::chosen(c)` picks.
template <class Derived>
class class_iou {
public:
  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept { counts_.reset(); }
  /// Sizes the counts for the labels' K classes.
  template <label_kind L>
  void prepare(std::size_t) {
    static_assert(L::category == label_category::class_index ||
                      L::category == label_category::one_hot,
                  "MeanIoU and IoU compare each sample's predicted class with its class, which "
                  "needs ClassLabel<K> or OneHotLabel<K> labels. Fix: "
                  "Metrics<metrics::BinaryIoU<>> for 0/1 targets (BinaryLabel, MultiLabel<K>, "
                  "masks)");
    static_assert(Derived::template fits<L::classes>(),
                  "IoU: a target class id is not one of the labels' K classes (ids count from "
                  "0). Fix: name classes 0 to K - 1, e.g. IoU<1> for the foreground of "
                  "ClassLabel<2>");
    counts_.size_for(L::classes);
  }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) {
    prepare<L>(width);
    constexpr std::size_t k = L::classes;
    const std::size_t w = std::min(width, k);
    for (std::size_t r = 0; r < batch; ++r) {
      std::size_t truth = 0;
      if constexpr (L::category == label_category::class_index) {
        truth = static_cast<std::size_t>(y[r]);
      } else {
        for (std::size_t j = 1; j < k; ++j)
          if (y[r * k + j] > y[r * k + truth]) truth = j;
      }
      if (truth < k)
        detail::add_to_confusion(counts_, truth, metrics::detail::arg_max(out + r * width, w));
    }
  }
  /// The value over every batch since the last reset; 0 before any.
  [[nodiscard]] double result() const noexcept {
    return detail::mean_iou(counts_, counts_.classes(), [](std::size_t c) {
      return Derived::chosen(c);
    });
  }
  /// The counts since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return counts_.backup_state(); }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) { counts_.restore_state(v); }

private:
  // Per class: true positives, false positives, false negatives.
  detail::per_class_counts<3> counts_;
};
}  // namespace detail

/// Keras' MeanIoU (with `sparse_y_pred=False`) and OneHotMeanIoU: each sample's predicted class
/// is its largest output (ties to the first), against its class index (ClassLabel<K>) or one-hot
/// row (OneHotLabel<K>); per class TP / (TP + FP + FN) over every batch since the reset, the mean
/// over the classes seen or predicted.
struct MeanIoU : detail::class_iou<MeanIoU> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_io_u";
  /// Every class counts.
  static constexpr bool chosen(std::size_t) noexcept { return true; }
  /// Any class count.
  template <std::size_t K>
  static consteval bool fits() noexcept {
    return true;
  }
};

/// Keras' IoU and OneHotIoU with `target_class_ids`: MeanIoU's counts, the mean over the classes
/// `Ids` only (those seen or predicted). `IoU<1>` is the foreground's IoU of a two-class
/// segmentation; each id must be one of the labels' classes (a compile error otherwise).
template <std::size_t... Ids>
struct IoU : detail::class_iou<IoU<Ids...>> {
  static_assert(sizeof...(Ids) > 0,
                "IoU: no target class ids, so it averages nothing. Fix: IoU<1> (the classes "
                "to average, as Keras' target_class_ids), or MeanIoU for all classes");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "io_u";
  /// One of the target ids.
  static constexpr bool chosen(std::size_t c) noexcept { return ((c == Ids) || ...); }
  /// Every id names one of K classes.
  template <std::size_t K>
  static consteval bool fits() noexcept {
    return ((Ids < K) && ...);
  }
};

}  // namespace fitcheck::metrics
