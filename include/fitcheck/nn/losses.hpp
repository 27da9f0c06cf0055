// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <ratio>
#include <type_traits>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/kernels/loss.hpp>
#include <fitcheck/nn/activations.hpp>

// Losses: the types a Model names, each tying a kernel loss (kernels/loss.hpp, where every
// formula is written once) to its name, its output activation and its label rules
// (nn/compatibility.hpp). Each computes the mean loss over a batch and, when `grad` is not
// null, dL/d(output) in the same pass. The probability forms clip at eps = 1e-7 as Keras does.
// Cross-entropies also have a logits form, computed the numerically stable way; the model uses
// it when the output layer is the matching activation (sigmoid, softmax), so that the loss is
// computed from the logits and the gradient (p - y) / n never passes through a saturated
// activation.

namespace fitcheck::loss {

namespace detail {
template <kernels::loss_kind Kind>
struct formula {
  static constexpr kernels::loss_kind kind = Kind;
  static constexpr bool from_logits = false;

  /// Mean loss over `batch` rows of `width` outputs; dL/d(output) into `grad` unless null.
  template <class T, class Y>
  static T probabilities(const T* p, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Kind, false, p, y, grad, batch, width);
  }
};
template <kernels::loss_kind Kind>
struct cross_entropy : formula<Kind> {
  /// As `probabilities`, from the logits of the loss's activation.
  template <class T, class Y>
  static T logits(const T* z, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Kind, true, z, y, grad, batch, width);
  }
};

/// The parameter a loss passes to its kernel: Huber's delta, 1 (unused) for the others.
template <class Loss>
inline constexpr double delta_of = [] {
  if constexpr (requires { Loss::delta; })
    return double(Loss::delta);
  else
    return 1.0;
}();
}  // namespace detail

/// -mean(y log p + (1 - y) log(1 - p)) over sigmoid outputs: binary and multi-label data.
struct BinaryCrossentropy : detail::cross_entropy<kernels::loss_kind::binary_crossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "binary_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Sigmoid;
};

/// -mean(log p[label]) over softmax outputs, with integer class labels.
struct SparseCategoricalCrossentropy : detail::cross_entropy<kernels::loss_kind::sparse_categorical_crossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "sparse_categorical_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
};

/// -mean(sum y log p) over softmax outputs, with one-hot labels.
struct CategoricalCrossentropy : detail::cross_entropy<kernels::loss_kind::categorical_crossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "categorical_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
};

/// mean((output - target)^2).
struct MeanSquaredError : detail::formula<kernels::loss_kind::mean_squared_error> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_squared_error";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean(|output - target|). The gradient at output == target is 0 (the subgradient TF picks);
/// elsewhere it is sign(output - target) / n.
struct MeanAbsoluteError : detail::formula<kernels::loss_kind::mean_absolute_error> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_absolute_error";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// Keras' Huber loss: mean of 0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) beyond, with
/// d = output - target. Quadratic near the target, linear (outlier-robust) far from it; the two
/// pieces and their slopes meet at |d| = delta. Delta is a std::ratio so that it is a
/// compile-time constant of the type, as Huber<> (delta 1) or Huber<std::ratio<1, 2>> (0.5).
template <class Delta = std::ratio<1>>
struct Huber : detail::formula<kernels::loss_kind::huber> {
  static_assert(Delta::num > 0 && Delta::den > 0,
                "Huber: delta must be positive. Fix: write Huber<std::ratio<N, D>> with N, D > 0, "
                "or Huber<> for Keras' default delta = 1");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "huber_loss";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
  /// Where the quadratic part ends.
  static constexpr double delta = double(Delta::num) / double(Delta::den);

  /// Mean loss over `batch` rows of `width` outputs; dL/d(output) into `grad` unless null.
  template <class T, class Y>
  static T probabilities(const T* o, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, kind, false, o, y, grad, batch, width, static_cast<T>(delta));
  }
};

/// The logits form of a cross-entropy: `FromLogits<SparseCategoricalCrossentropy>` for a model
/// whose last layer is Dense (Keras' from_logits=True).
template <class Loss>
struct FromLogits : Loss {
  static_assert(!std::is_void_v<typename Loss::activation>,
                "FromLogits: only cross-entropies have a logits form. Fix: use the loss as it is");
  /// The loss reads logits.
  static constexpr bool from_logits = true;
};

}  // namespace fitcheck::loss
