// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <limits>
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
// A std::ratio argument's value, NaN for any other type, so that a range check refuses it with
// its own message (the losses' constants are std::ratio: a float cannot be a type).
template <class R>
inline constexpr double value_of = [] {
  if constexpr (nn::detail::is_std_ratio<R>)
    return nn::detail::ratio_value<R>();
  else
    return std::numeric_limits<double>::quiet_NaN();
}();

/// The constants a loss passes to its kernel (kernels::loss_parameters), from the members its
/// type declares: Huber's `delta`, `label_smoothing`, the focal losses' `gamma` and `alpha`,
/// Tversky's `alpha` and `beta`.
template <class Loss, class T>
constexpr kernels::loss_parameters<T> parameters_of() noexcept {
  kernels::loss_parameters<T> p{};
  if constexpr (requires { Loss::delta; }) p.delta = static_cast<T>(Loss::delta);
  if constexpr (requires { Loss::label_smoothing; })
    p.smoothing = static_cast<T>(Loss::label_smoothing);
  if constexpr (requires { Loss::gamma; }) p.gamma = static_cast<T>(Loss::gamma);
  if constexpr (requires { Loss::alpha; }) p.alpha = static_cast<T>(Loss::alpha);
  if constexpr (requires { Loss::beta; }) p.beta = static_cast<T>(Loss::beta);
  return p;
}

template <kernels::loss_kind Kind, class Self>
struct formula {
  static constexpr kernels::loss_kind kind = Kind;
  static constexpr bool from_logits = false;

  /// Mean loss over `batch` rows of `width` outputs; dL/d(output) into `grad` unless null.
  template <class T, class Y>
  static T probabilities(const T* p, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Kind, false, p, y, grad, batch, width,
                         parameters_of<Self, T>());
  }
};
template <kernels::loss_kind Kind, class Self>
struct cross_entropy : formula<Kind, Self> {
  /// As `probabilities`, from the logits of the loss's activation.
  template <class T, class Y>
  static T logits(const T* z, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Kind, true, z, y, grad, batch, width,
                         parameters_of<Self, T>());
  }
};
}  // namespace detail

/// -mean(y log p + (1 - y) log(1 - p)) over sigmoid outputs: binary and multi-label data.
struct BinaryCrossentropy
    : detail::cross_entropy<kernels::loss_kind::binary_crossentropy, BinaryCrossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "binary_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Sigmoid;
};

/// -mean(log p[label]) over softmax outputs, with integer class labels.
struct SparseCategoricalCrossentropy
    : detail::cross_entropy<kernels::loss_kind::sparse_categorical_crossentropy,
                            SparseCategoricalCrossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "sparse_categorical_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
};

/// -mean(sum y log p) over softmax outputs, with one-hot labels.
struct CategoricalCrossentropy
    : detail::cross_entropy<kernels::loss_kind::categorical_crossentropy, CategoricalCrossentropy> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "categorical_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
};

/// mean((output - target)^2).
struct MeanSquaredError
    : detail::formula<kernels::loss_kind::mean_squared_error, MeanSquaredError> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_squared_error";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean(|output - target|). The gradient at output == target is 0 (the subgradient TF picks);
/// elsewhere it is sign(output - target) / n.
struct MeanAbsoluteError
    : detail::formula<kernels::loss_kind::mean_absolute_error, MeanAbsoluteError> {
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
struct Huber : detail::formula<kernels::loss_kind::huber, Huber<Delta>> {
  static_assert(Delta::num > 0 && Delta::den > 0,
                "Huber: delta must be positive. Fix: write Huber<std::ratio<N, D>> with N, D > 0, "
                "or Huber<> for Keras' default delta = 1");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "huber_loss";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
  /// Where the quadratic part ends.
  static constexpr double delta = detail::value_of<Delta>;
};

/// Keras' binary focal cross-entropy (Lin et al., RetinaNet): the binary cross-entropy times
/// (1 - p_t)^Gamma, p_t the probability the output gives the label, so that the examples already
/// classified well weigh little and the hard ones, often of the rare class, dominate. Gamma 0 is
/// the cross-entropy. Alpha turns on Keras' `apply_class_balancing`: the 1 labels' terms weigh
/// Alpha and the 0 labels' 1 - Alpha (`BinaryFocalCrossentropy<std::ratio<2>, std::ratio<1, 4>>`
/// is Keras' `apply_class_balancing=True` with its alpha 0.25); void, the default, weighs all 1.
template <class Gamma = std::ratio<2>, class Alpha = void>
struct BinaryFocalCrossentropy
    : detail::cross_entropy<kernels::loss_kind::binary_focal_crossentropy,
                            BinaryFocalCrossentropy<Gamma, Alpha>> {
  static_assert(detail::value_of<Gamma> >= 0,
                "BinaryFocalCrossentropy: gamma must be a std::ratio >= 0. Fix: "
                "BinaryFocalCrossentropy<std::ratio<2>> (Keras' gamma=2.0)");
  static_assert(std::is_void_v<Alpha> ||
                    (detail::value_of<Alpha> >= 0 && detail::value_of<Alpha> <= 1),
                "BinaryFocalCrossentropy: alpha must be a std::ratio in [0, 1], or void for no "
                "class balancing. Fix: BinaryFocalCrossentropy<std::ratio<2>, std::ratio<1, 4>> "
                "(Keras' apply_class_balancing=True, alpha=0.25)");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "binary_focal_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Sigmoid;
  /// The focusing exponent.
  static constexpr double gamma = detail::value_of<Gamma>;
  /// The weight of a 1 label's terms (a 0's: 1 - alpha); -1 without class balancing.
  static constexpr double alpha = [] {
    if constexpr (std::is_void_v<Alpha>)
      return -1.0;
    else
      return detail::value_of<Alpha>;
  }();
};

/// Keras' categorical focal cross-entropy over softmax outputs with one-hot labels:
/// -sum Alpha (1 - p_j)^Gamma y_j log p_j, Keras' defaults alpha 0.25 and gamma 2 (its argument
/// order).
template <class Alpha = std::ratio<1, 4>, class Gamma = std::ratio<2>>
struct CategoricalFocalCrossentropy
    : detail::cross_entropy<kernels::loss_kind::categorical_focal_crossentropy,
                            CategoricalFocalCrossentropy<Alpha, Gamma>> {
  static_assert(detail::value_of<Alpha> > 0 && detail::value_of<Alpha> <= 1,
                "CategoricalFocalCrossentropy: alpha must be a std::ratio in (0, 1]. Fix: "
                "CategoricalFocalCrossentropy<std::ratio<1, 4>> (Keras' alpha=0.25)");
  static_assert(detail::value_of<Gamma> >= 0,
                "CategoricalFocalCrossentropy: gamma must be a std::ratio >= 0. Fix: "
                "CategoricalFocalCrossentropy<std::ratio<1, 4>, std::ratio<2>> (Keras' gamma=2.0)");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "categorical_focal_crossentropy";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
  /// The weight of every term.
  static constexpr double alpha = detail::value_of<Alpha>;
  /// The focusing exponent.
  static constexpr double gamma = detail::value_of<Gamma>;
};

/// The Kullback-Leibler divergence sum y log(y / p) of softmax outputs from target
/// distributions, both clipped to [1e-7, 1] as Keras: knowledge distillation's loss, with soft
/// targets (`RegressionTarget<K>` rows that sum to 1) or one-hot labels. Its gradient is the
/// categorical cross-entropy's: the two differ by the targets' entropy, a constant.
struct KLDivergence : detail::cross_entropy<kernels::loss_kind::kl_divergence, KLDivergence> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "kl_divergence";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = nn::Softmax;
};

/// mean(output - target log(output + 1e-7)): the Poisson negative log-likelihood (less a
/// constant) of counts, the output the predicted rate, which must be positive (C3).
struct Poisson : detail::formula<kernels::loss_kind::poisson, Poisson> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "poisson";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean(log cosh(output - target)): about d^2 / 2 for small errors, |d| - log 2 for large ones,
/// smooth everywhere.
struct LogCosh : detail::formula<kernels::loss_kind::log_cosh, LogCosh> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "log_cosh";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean((log(1 + output) - log(1 + target))^2), both floored at 1e-7 as Keras (no gradient
/// below): relative errors, for targets that span orders of magnitude.
struct MeanSquaredLogarithmicError
    : detail::formula<kernels::loss_kind::mean_squared_logarithmic_error,
                      MeanSquaredLogarithmicError> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_squared_logarithmic_error";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// 100 mean(|output - target| / max(|target|, 1e-7)): the error in percent of the target.
struct MeanAbsolutePercentageError
    : detail::formula<kernels::loss_kind::mean_absolute_percentage_error,
                      MeanAbsolutePercentageError> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "mean_absolute_percentage_error";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean(max(1 - s output, 0)), s = 2 y - 1 the 0/1 label as -1/+1 (Keras converts them so):
/// the SVM margin loss on raw scores (or Tanh outputs).
struct Hinge : detail::formula<kernels::loss_kind::hinge, Hinge> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "hinge";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// mean(max(1 - s output, 0)^2), s as for Hinge.
struct SquaredHinge : detail::formula<kernels::loss_kind::squared_hinge, SquaredHinge> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "squared_hinge";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// Keras' categorical hinge over one-hot labels: max(0, 1 + the largest other output - the true
/// class's output), the multi-class margin loss (Crammer-Singer).
struct CategoricalHinge
    : detail::formula<kernels::loss_kind::categorical_hinge, CategoricalHinge> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "categorical_hinge";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// Keras' cosine similarity loss: -cos(output, target) per sample, in [-1, 1], -1 when they
/// point the same way; each vector's norm floored at 1e-6. For embeddings, where only the
/// direction counts.
struct CosineSimilarity
    : detail::formula<kernels::loss_kind::cosine_similarity, CosineSimilarity> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "cosine_similarity";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// Keras' Dice loss, 1 - 2 sum(y p) / (sum y + sum p + 1e-7), for each sample over all its
/// outputs (a segmentation mask's pixels, a sample's labels), then the mean over the batch:
/// Keras' `Dice(axis=(1, ..., rank))`. Keras' default `axis=None` takes one Dice over the whole
/// batch, a value that depends on how the data is batched and is not a mean of per-sample
/// terms; fitcheck does not offer it. The overlap of sigmoid or softmax outputs with 0/1 (or
/// soft) targets: insensitive to how much of the mask is background.
struct Dice : detail::formula<kernels::loss_kind::dice, Dice> {
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "dice";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
};

/// Keras' Tversky loss, 1 - I / (I + Alpha FP + Beta FN + 1e-7) with I = sum y p,
/// FP = sum (1 - y) p and FN = sum y (1 - p), per sample as Dice (whose special case
/// Alpha = Beta = 1/2 it is). A larger Beta weighs missed foreground more than false alarms:
/// Salehi et al.'s remedy for small lesions (`Tversky<std::ratio<3, 10>, std::ratio<7, 10>>`).
template <class Alpha = std::ratio<1, 2>, class Beta = std::ratio<1, 2>>
struct Tversky : detail::formula<kernels::loss_kind::tversky, Tversky<Alpha, Beta>> {
  static_assert(detail::value_of<Alpha> >= 0 && detail::value_of<Beta> >= 0 &&
                    detail::value_of<Alpha> + detail::value_of<Beta> > 0,
                "Tversky: alpha and beta must be std::ratio values >= 0, not both 0. Fix: "
                "Tversky<std::ratio<1, 2>, std::ratio<1, 2>> (Keras' defaults: the Dice loss)");
  /// The name in logs, History and messages (Keras' name).
  static constexpr const char* name = "tversky";
  /// The output activation this loss expects (void: any), for the rules and the fused logits form.
  using activation = void;
  /// The weight of false positives.
  static constexpr double alpha = detail::value_of<Alpha>;
  /// The weight of false negatives.
  static constexpr double beta = detail::value_of<Beta>;
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

/// Label smoothing, Keras' `label_smoothing=Amount`: the labels move towards the uniform
/// distribution, y (1 - Amount) + Amount / 2 for binary labels, + Amount / K over K classes
/// (`LabelSmoothing<CategoricalCrossentropy, std::ratio<1, 10>>`), so that the model is not
/// pushed to ever larger logits. For the cross-entropies and the focal losses; with
/// SparseCategoricalCrossentropy it is PyTorch's `label_smoothing` (Keras' sparse loss has none).
/// Composes with FromLogits either way round.
template <class Loss, class Amount>
struct LabelSmoothing : Loss {
  static_assert(!requires { Loss::label_smoothing; },
                "LabelSmoothing: the loss is already smoothed. Fix: keep one LabelSmoothing");
  static_assert(Loss::kind == kernels::loss_kind::binary_crossentropy ||
                    Loss::kind == kernels::loss_kind::sparse_categorical_crossentropy ||
                    Loss::kind == kernels::loss_kind::categorical_crossentropy ||
                    Loss::kind == kernels::loss_kind::binary_focal_crossentropy ||
                    Loss::kind == kernels::loss_kind::categorical_focal_crossentropy,
                "LabelSmoothing: only the cross-entropies and the focal losses smooth their "
                "labels. Fix: use the loss without LabelSmoothing");
  static_assert(detail::value_of<Amount> >= 0 && detail::value_of<Amount> <= 1,
                "LabelSmoothing: the amount must be a std::ratio in [0, 1]. Fix: "
                "LabelSmoothing<Loss, std::ratio<1, 10>> (label_smoothing=0.1)");
  /// How far the labels move towards the uniform distribution.
  static constexpr double label_smoothing = detail::value_of<Amount>;

  /// Mean loss over `batch` rows of `width` outputs; dL/d(output) into `grad` unless null.
  template <class T, class Y>
  static T probabilities(const T* p, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Loss::kind, false, p, y, grad, batch, width,
                         detail::parameters_of<LabelSmoothing, T>());
  }
  /// As `probabilities`, from the logits of the loss's activation.
  template <class T, class Y>
  static T logits(const T* z, const Y* y, T* grad, std::size_t batch, std::size_t width) {
    return kernels::loss(reference, Loss::kind, true, z, y, grad, batch, width,
                         detail::parameters_of<LabelSmoothing, T>());
  }
};

}  // namespace fitcheck::loss
