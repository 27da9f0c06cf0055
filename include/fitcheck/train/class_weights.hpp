// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/data/dataset.hpp>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

// Keras' `class_weight`, a fit option: each training sample's loss term, and its gradient, is
// multiplied by the weight of its class, so that a rare class counts as much as a common one.
// The mean still divides by the batch size (Keras' reduction), so the weights also scale the
// loss and the effective learning rate. Validation, evaluate and the metrics are unweighted, as
// in Keras. The formula is kernels/loss.hpp's `loss_term` (one place for every backend).

namespace fitcheck {

/// The weight of each class for `fit`: `fc::ClassWeights{1.0, 4.5}` weighs class 1 4.5 times
/// class 0 (Keras' `class_weight={0: 1.0, 1: 4.5}`; here every class has a weight, in order).
/// Labels must be classes (`BinaryLabel`: 2 weights, `ClassLabel<K>` and `OneHotLabel<K>`: K);
/// a one-hot label's class is its 1. `balanced_class_weights(data)` computes scikit-learn's
/// "balanced" weights from the data.
struct ClassWeights {
  /// The weight of class c at [c].
  std::vector<float> values;

  /// The weights in class order; each must be finite and at least 0, and one above 0.
  ClassWeights(std::initializer_list<double> w) : ClassWeights(std::vector<double>(w)) {}
  /// As above, from a vector (the weights of classes 0, 1, ...).
  explicit ClassWeights(const std::vector<double>& w) {
    if (w.empty())
      throw argument_error("ClassWeights: no weights [F1]",
                           "give one weight per class, in class order: ClassWeights{1.0, 4.5}");
    bool any = false;
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (!std::isfinite(w[c]) || w[c] < 0)
        throw argument_error("ClassWeights: the weight of class " + std::to_string(c) + " is " +
                                 format_number(w[c]) +
                                 ", but a weight must be finite and at "
                                 "least 0 [F1]",
                             "give each class a weight >= 0 (1 leaves a class as it is, 0 "
                             "leaves its samples out of the loss)");
      any = any || w[c] > 0;
      values.push_back(static_cast<float>(w[c]));
    }
    if (!any)
      throw argument_error(
          "ClassWeights: every weight is 0, so the loss would be 0 and nothing "
          "would train [F1]",
          "give at least one class a weight above 0");
  }
};

namespace detail {
template <class T>
inline constexpr bool is_class_weights = std::is_same_v<T, ClassWeights>;

// The class of sample i of a batch: its index, or a one-hot row's 1.
template <class B>
std::size_t class_of(const B& b, std::size_t i) {
  const auto* y = b.y_data() + i * B::y_stride;
  if constexpr (B::y_stride == 1) {
    return static_cast<std::size_t>(y[0]);
  } else {
    std::size_t c = 0;
    for (std::size_t j = 1; j < B::y_stride; ++j) c = y[j] > y[c] ? j : c;
    return c;
  }
}
// A number that differs for different weights, for checks that compare fits as numbers
// (DataParallel's processes): FNV-1a over the weights' bits, in 52 bits so a double holds it.
inline double fingerprint(std::span<const float> w) {
  std::uint64_t h = 1469598103934665603ull;
  for (const float v : w) {
    const auto bits = std::bit_cast<std::uint32_t>(v);
    for (int b = 0; b < 4; ++b) h = (h ^ ((bits >> (8 * b)) & 0xffu)) * 1099511628211ull;
  }
  return double(h >> 12);
}

/// The counting behind fitcheck::balanced_class_weights, once its asserts hold.
template <class L, class P>
ClassWeights balanced_class_weights(P& data) {
  std::vector<std::size_t> counts(L::classes, 0);
  std::size_t samples = 0;
  for (const auto& b : data)
    for (std::size_t i = 0; i < b.size(); ++i) {
      const std::size_t c = class_of(b, i);
      if (c < counts.size()) ++counts[c];
      ++samples;
    }
  std::vector<double> w(L::classes);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == 0)
      throw data_error("balanced_class_weights: class " + std::to_string(c) + " of " +
                           std::to_string(L::classes) + " has no sample in the " +
                           std::to_string(samples) +
                           " samples of the data, so its weight would "
                           "be infinite",
                       "check the labels (" + L::expected() +
                           "), or give the weights yourself: ClassWeights{...}");
    w[c] = double(samples) / (double(L::classes) * double(counts[c]));
  }
  return ClassWeights(w);
}
}  // namespace detail

/// Scikit-learn's "balanced" class weights over one pass of `data` (a finite pipeline of batches
/// with class labels), samples / (classes x samples of class c): the weights the TensorFlow
/// tutorial on imbalanced data computes. A class without samples is a data_error: its weight
/// would be infinite.
template <data::dataset P>
[[nodiscard]] ClassWeights balanced_class_weights(P data) {
  using E = data::element_t<P>;
  static_assert(data::batch_data<E>,
                "balanced_class_weights: the pipeline yields single samples. Fix: pass the "
                "batched pipeline (batch<N>() last) that fit trains on");
  using L = typename E::label_type;
  static_assert(is_single_class_label<L>,
                "balanced_class_weights: the labels are not classes (multi-label or regression "
                "targets) [F1]. Fix: class weights need BinaryLabel, ClassLabel<K> or "
                "OneHotLabel<K> labels");
  static_assert(!P::static_cardinality.is_infinite(),
                "balanced_class_weights: the pipeline is infinite (repeat() with no count), so "
                "counting its classes would never end [A1]. Fix: count the pipeline before "
                "repeat()");
  // Only the asserts' message, not a cascade from the counting, when one fails.
  if constexpr (data::batch_data<E> && is_single_class_label<L> &&
                !P::static_cardinality.is_infinite())
    return detail::balanced_class_weights<L>(data);
  else
    return ClassWeights{1.0};
}

}  // namespace fitcheck
