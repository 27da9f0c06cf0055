// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/kernels/loss.hpp>
#include <fitcheck/nn/compatibility.hpp>
#include <fitcheck/nn/losses.hpp>

// Keras' loss metrics (`metrics=[keras.metrics.BinaryCrossentropy()]`): a loss's value reported
// beside the one the model trains on, through the loss's own per-term formula
// (kernels/loss.hpp), so metric and loss cannot disagree.

namespace fitcheck::metrics {

namespace detail {
// The labels a loss metric reads: the label kinds its loss's formula takes. A wrong kind would
// read labels as something else (an index as a one-hot row), so it does not compile.
template <class Loss, label_kind L>
consteval bool loss_metric_labels_fit() {
  constexpr auto kind = L::category;
  using namespace nn::detail;
  if constexpr (is_binary_ce<Loss> || is_hinge<Loss>)
    static_assert(kind == label_category::binary || kind == label_category::multi_label,
                  "this loss metric scores each output unit against a 0/1 label (BinaryLabel, "
                  "MultiLabel<K>). Fix: metrics::CategoricalCrossentropy for OneHotLabel<K>, "
                  "metrics::SparseCategoricalCrossentropy for ClassLabel<K>");
  else if constexpr (is_sparse_ce<Loss>)
    static_assert(kind == label_category::class_index,
                  "metrics::SparseCategoricalCrossentropy reads class indices (ClassLabel<K>). "
                  "Fix: metrics::CategoricalCrossentropy for OneHotLabel<K>, "
                  "metrics::BinaryCrossentropy for BinaryLabel");
  else if constexpr (is_categorical_ce<Loss> || is_categorical_hinge<Loss>)
    static_assert(kind == label_category::one_hot,
                  "this loss metric reads one-hot rows (OneHotLabel<K>). Fix: "
                  "metrics::SparseCategoricalCrossentropy for ClassLabel<K>");
  else if constexpr (is_kl_divergence<Loss>)
    static_assert(kind == label_category::one_hot || kind == label_category::regression,
                  "metrics::KLDivergence compares distributions: OneHotLabel<K>, or "
                  "RegressionTarget<K> rows that sum to 1. Fix: "
                  "metrics::SparseCategoricalCrossentropy for ClassLabel<K>");
  else
    static_assert(kind == label_category::regression,
                  "this loss metric compares outputs with regression targets value by value. "
                  "Fix: Accuracy or AUC for class labels");
  return true;
}
}  // namespace detail

/// A loss as a metric (Keras' loss metrics): the mean of the loss's terms over every batch since
/// the last reset, computed by the loss's own formula from the probabilities the model outputs
/// (a FromLogits loss's model applies its activation before the metrics, so a metric never sees
/// logits). `metrics::BinaryCrossentropy` and its kin below are this with Keras' losses.
template <class Loss>
struct LossMetric {
  /// The name in logs, History and messages (Keras' name, the loss's).
  static constexpr const char* name = Loss::name;

  /// Forgets every batch seen (at the start of an epoch or an evaluate).
  void reset() noexcept {
    sum_ = 0;
    terms_ = 0;
  }
  /// Adds a batch: `batch` rows of `width` outputs (probabilities) and their labels.
  template <label_kind L, class Y>
  void update(const float* out, const Y* y, std::size_t batch, std::size_t width) noexcept {
    static_assert(detail::loss_metric_labels_fit<Loss, L>());
    const std::size_t terms = kernels::loss_terms(Loss::kind, batch, width);
    if (terms == 0) return;
    const float mean =
        kernels::loss(fitcheck::reference, Loss::kind, false, out, y, static_cast<float*>(nullptr),
                      batch, width, loss::detail::parameters_of<Loss, float>());
    sum_ += double(mean) * double(terms);
    terms_ += double(terms);
  }
  /// The value over every batch since the last reset; 0 before any.
  [[nodiscard]] double result() const noexcept { return terms_ == 0 ? 0.0 : sum_ / terms_; }
  /// The sum and count since the last reset, for a training backup.
  [[nodiscard]] std::vector<double> backup_state() const { return {sum_, terms_}; }
  /// Takes back what backup_state() gave.
  void restore_state(std::span<const double> v) noexcept {
    sum_ = v[0];
    terms_ = v[1];
  }

private:
  double sum_ = 0, terms_ = 0;
};

/// Keras' `metrics.BinaryCrossentropy`.
using BinaryCrossentropy = LossMetric<loss::BinaryCrossentropy>;
/// Keras' `metrics.CategoricalCrossentropy`.
using CategoricalCrossentropy = LossMetric<loss::CategoricalCrossentropy>;
/// Keras' `metrics.SparseCategoricalCrossentropy`.
using SparseCategoricalCrossentropy = LossMetric<loss::SparseCategoricalCrossentropy>;
/// Keras' `metrics.KLDivergence`.
using KLDivergence = LossMetric<loss::KLDivergence>;
/// Keras' `metrics.Poisson`.
using Poisson = LossMetric<loss::Poisson>;
/// Keras' `metrics.Hinge`.
using Hinge = LossMetric<loss::Hinge>;
/// Keras' `metrics.SquaredHinge`.
using SquaredHinge = LossMetric<loss::SquaredHinge>;
/// Keras' `metrics.CategoricalHinge`.
using CategoricalHinge = LossMetric<loss::CategoricalHinge>;

}  // namespace fitcheck::metrics
