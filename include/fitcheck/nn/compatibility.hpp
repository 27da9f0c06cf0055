// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/nn/activation_functions.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/losses.hpp>

// Every loss / output / label rule, once [C2], [C3]. `loss_fits<Loss, LastLayer, Units,
// Label>()` is called by Model with the last layer spec of the network, its output width and the
// pipeline's label kind; each rule is a static_assert whose message states the facts and the fix.
//
// What passes (K = the label's class count):
//   BinaryCrossentropy,            Sigmoid (FromLogits: no activation); BinaryLabel on 1 unit,
//   BinaryFocalCrossentropy        MultiLabel<K> on K units (the multi-label case of C3)
//   SparseCategoricalCrossentropy  Softmax (FromLogits: none); ClassLabel<K> on K units,
//                                  BinaryLabel on 2 units
//   CategoricalCrossentropy,       Softmax (FromLogits: none); OneHotLabel<K> on K units
//   CategoricalFocalCrossentropy
//   KLDivergence                   Softmax (FromLogits: none); OneHotLabel<K> or soft targets
//                                  (RegressionTarget<K>) on K units
//   Hinge, SquaredHinge            neither Sigmoid nor Softmax; BinaryLabel on 1 unit,
//                                  MultiLabel<K> on K units
//   CategoricalHinge               neither Sigmoid nor Softmax; OneHotLabel<K> on K units
//   Dice, Tversky                  Sigmoid or Softmax; as many units as label values; MultiLabel,
//                                  OneHotLabel or RegressionTarget (masks, soft targets): not
//                                  ClassLabel<K>, nor BinaryLabel (one output: no overlap)
//   MSE, MAE, Huber, LogCosh,      any last layer (Poisson: one that outputs no negative
//   MSLE, MAPE, Poisson,           value); as many units as label values; any label kind but
//   CosineSimilarity               ClassLabel<K> (0/1 labels train the Brier score on purpose;
//                                  class indices are not quantities)
// LabelSmoothing<L, A> and FromLogits<L> follow L's rules.
// Softmax over one unit is the Softmax layer's own rule (nn/activations.hpp), checked where the
// network is declared, whatever the loss.

namespace fitcheck::nn {

namespace detail {
using kernels::loss_kind;
// The families share their rules: a focal loss is its cross-entropy's, reweighted.
template <class Loss>
inline constexpr bool is_binary_ce = Loss::kind == loss_kind::binary_crossentropy ||
                                     Loss::kind == loss_kind::binary_focal_crossentropy;
template <class Loss>
inline constexpr bool is_sparse_ce = Loss::kind == loss_kind::sparse_categorical_crossentropy;
template <class Loss>
inline constexpr bool is_categorical_ce = Loss::kind == loss_kind::categorical_crossentropy ||
                                          Loss::kind == loss_kind::categorical_focal_crossentropy;
template <class Loss>
inline constexpr bool is_kl_divergence = Loss::kind == loss_kind::kl_divergence;
template <class Loss>
inline constexpr bool is_cross_entropy = is_binary_ce<Loss> || is_sparse_ce<Loss> ||
                                         is_categorical_ce<Loss> || is_kl_divergence<Loss>;
template <class Loss>
inline constexpr bool is_hinge =
    Loss::kind == loss_kind::hinge || Loss::kind == loss_kind::squared_hinge;
template <class Loss>
inline constexpr bool is_categorical_hinge = Loss::kind == loss_kind::categorical_hinge;
template <class Loss>
inline constexpr bool is_overlap =
    Loss::kind == loss_kind::dice || Loss::kind == loss_kind::tversky;
// Losses that compare outputs and targets as numbers (value by value, or a row's direction).
template <class Loss>
inline constexpr bool is_regression_loss = !is_cross_entropy<Loss> && !is_hinge<Loss> &&
                                           !is_categorical_hinge<Loss> && !is_overlap<Loss>;

// The activations whose outputs are never negative: a Poisson rate must not be.
template <class Last>
inline constexpr bool non_negative_output =
    std::is_same_v<Last, Softplus> || std::is_same_v<Last, ReLU> || std::is_same_v<Last, ReLU6> ||
    std::is_same_v<Last, Sigmoid> || std::is_same_v<Last, HardSigmoid> ||
    std::is_same_v<Last, Softmax>;

template <class Loss, class Last>
consteval bool activation_fits() {
  constexpr bool sigmoid = std::is_same_v<Last, Sigmoid>;
  constexpr bool softmax = std::is_same_v<Last, Softmax>;
  if constexpr (is_cross_entropy<Loss> && Loss::from_logits) {
    static_assert(!sigmoid && !softmax,
                  "FromLogits<...> after a Sigmoid or Softmax layer applies the activation twice "
                  "[C3]. Fix: end the model with Dense and keep FromLogits, or keep the "
                  "activation and use the plain loss");
  } else if constexpr (is_binary_ce<Loss>) {
    static_assert(!softmax,
                  "BinaryCrossentropy after Softmax: softmax outputs compete, binary "
                  "cross-entropy scores each unit on its own [C3]. Fix: Sigmoid for "
                  "binary or multi-label outputs, or Softmax with (Sparse)CategoricalCrossentropy");
    static_assert(sigmoid || softmax,
                  "BinaryCrossentropy expects probabilities, but the model's last layer is not "
                  "Sigmoid [C3]. Fix: end the model with Sigmoid, or use "
                  "FromLogits<BinaryCrossentropy> for raw scores");
  } else if constexpr (is_sparse_ce<Loss> || is_categorical_ce<Loss> ||
                       is_kl_divergence<Loss>) {
    static_assert(!sigmoid,
                  "categorical cross-entropy after Sigmoid: sigmoid outputs do not sum to 1 "
                  "[C3]. Fix: end the model with Softmax");
    static_assert(sigmoid || softmax,
                  "categorical cross-entropy expects probabilities, but the model's last layer is "
                  "not Softmax [C3]. Fix: end the model with Softmax, or use "
                  "FromLogits<...> for raw scores");
  } else if constexpr (is_hinge<Loss> || is_categorical_hinge<Loss>) {
    static_assert(!sigmoid && !softmax,
                  "a hinge loss after Sigmoid or Softmax: its margins (an output above +1 for a 1 "
                  "label and below -1 for a 0; the true class 1 above every other) are out of "
                  "reach of outputs in (0, 1), so the loss never settles [C3]. Fix: end the model "
                  "with Dense (raw scores) or Tanh, or use a cross-entropy with the activation");
  } else if constexpr (is_overlap<Loss>) {
    static_assert(sigmoid || softmax,
                  "Dice and Tversky measure the overlap of probabilities with the targets, but "
                  "the model's last layer is neither Sigmoid nor Softmax, so its outputs can leave "
                  "[0, 1] and the loss runs away below 0 [C3]. Fix: end the model with Sigmoid "
                  "(a mask, labels on their own) or Softmax (one class per output row)");
  } else if constexpr (Loss::kind == loss_kind::poisson) {
    static_assert(non_negative_output<Last>,
                  "Poisson: the predicted rate must be positive, but the model's last layer can "
                  "output negative values and log(rate) is then NaN [C3]. Fix: end the model "
                  "with Softplus (or ReLU, Sigmoid)");
  }
  return true;
}

template <class Loss, std::size_t Units, class Label>
consteval bool labels_fit() {
  constexpr auto kind = Label::category;
  if constexpr (is_binary_ce<Loss>) {
    static_assert(kind != label_category::class_index && kind != label_category::one_hot,
                  "BinaryCrossentropy with multi-class labels trains to nonsense: it scores each "
                  "output unit as a yes/no [C2]. Fix: Dense<K>, Softmax with "
                  "SparseCategoricalCrossentropy for ClassLabel<K> (CategoricalCrossentropy for "
                  "OneHotLabel<K>)");
    static_assert(kind != label_category::regression,
                  "BinaryCrossentropy with regression targets [C2]. Fix: "
                  "MeanSquaredError for real values, or declare BinaryLabel / MultiLabel<K> for "
                  "0/1 labels");
    static_assert(kind != label_category::binary || Units == 1,
                  "BinaryLabel needs exactly one output unit [C2]. Fix: end the model "
                  "with Dense<1>, Sigmoid");
    static_assert(kind != label_category::multi_label || Units == Label::classes,
                  "MultiLabel<K> needs K sigmoid outputs, one per label [C2]. Fix: end "
                  "the model with Dense<K>, Sigmoid");
  } else if constexpr (is_sparse_ce<Loss>) {
    static_assert(kind == label_category::class_index || kind == label_category::binary,
                  "SparseCategoricalCrossentropy needs integer class labels (ClassLabel<K>) "
                  "[C2]. Fix: CategoricalCrossentropy for OneHotLabel<K>, "
                  "BinaryCrossentropy with Sigmoid for MultiLabel<K>, MeanSquaredError for "
                  "regression");
    static_assert(Units == Label::classes,
                  "SparseCategoricalCrossentropy: the output width differs from the number of "
                  "classes [C2]. Fix: end the model with Dense<K>, Softmax, K the class "
                  "count of the labels");
  } else if constexpr (is_kl_divergence<Loss>) {
    static_assert(kind == label_category::one_hot || kind == label_category::regression,
                  "KLDivergence compares distributions: its labels are OneHotLabel<K> or "
                  "RegressionTarget<K> rows that sum to 1 (soft targets) [C2]. Fix: "
                  "SparseCategoricalCrossentropy for ClassLabel<K>, BinaryCrossentropy for "
                  "BinaryLabel and MultiLabel<K>");
    static_assert(kind == label_category::class_index || Units == label_width<Label>,
                  "KLDivergence: the output width differs from the target distributions' width "
                  "[C2]. Fix: end the model with Dense<K>, Softmax, K the targets' width");
  } else if constexpr (is_hinge<Loss>) {
    static_assert(kind == label_category::binary || kind == label_category::multi_label,
                  "Hinge and SquaredHinge need 0/1 labels (BinaryLabel, MultiLabel<K>), which "
                  "they score as -1/+1 [C2]. Fix: CategoricalHinge for OneHotLabel<K>, "
                  "SparseCategoricalCrossentropy for ClassLabel<K>, MeanSquaredError for "
                  "regression");
    static_assert(kind == label_category::class_index || Units == label_width<Label>,
                  "Hinge and SquaredHinge score each output unit against its own label, but the "
                  "output width differs from the label width [C2]. Fix: Dense<1> for "
                  "BinaryLabel, Dense<K> for MultiLabel<K>");
  } else if constexpr (is_categorical_hinge<Loss>) {
    static_assert(kind == label_category::one_hot,
                  "CategoricalHinge needs one-hot labels (OneHotLabel<K>) [C2]. Fix: "
                  "declare OneHotLabel<K>, or use SparseCategoricalCrossentropy for "
                  "ClassLabel<K>");
    static_assert(Units == Label::classes,
                  "CategoricalHinge: the output width differs from the number of classes [C2]. "
                  "Fix: end the model with Dense<K>");
  } else if constexpr (is_overlap<Loss>) {
    static_assert(kind != label_category::class_index,
                  "Dice and Tversky compare each output with its own target, but ClassLabel<K> "
                  "gives one class index per sample [C2]. Fix: OneHotLabel<K> with Softmax, or "
                  "SparseCategoricalCrossentropy for class indices");
    static_assert(kind == label_category::class_index || Units == label_width<Label>,
                  "Dice and Tversky compare each output with its own target, but the output "
                  "width differs from the label width [C2]. Fix: make the last layer as wide "
                  "as the targets (a mask: as many outputs as pixels)");
    static_assert(kind != label_category::binary,
                  "Dice or Tversky over one output per sample: a sample labelled 0 has no overlap "
                  "to score, its loss is 1 whatever the model says and its gradient 0, so the "
                  "negatives teach nothing [C2]. Fix: BinaryCrossentropy for one yes/no per "
                  "sample; Dice is for masks and label sets (MultiLabel<K>, a mask as "
                  "RegressionTarget<H, W, 1>)");
  } else if constexpr (is_categorical_ce<Loss>) {
    static_assert(kind == label_category::one_hot,
                  "CategoricalCrossentropy needs one-hot labels (OneHotLabel<K>) [C2]. "
                  "Fix: SparseCategoricalCrossentropy for ClassLabel<K> integer labels");
    static_assert(Units == Label::classes,
                  "CategoricalCrossentropy: the output width differs from the number of classes "
                  "[C2]. Fix: end the model with Dense<K>, Softmax");
  } else {
    // A regression loss on 0/1 labels (BinaryLabel, MultiLabel<K>, OneHotLabel<K>) is unusual
    // but meaningful: MSE on sigmoid or softmax outputs is the Brier score, and Keras users do
    // train that way on purpose. On class indices it is not: it treats class 3 as "3 times
    // class 1" and predicts a number between classes, the regression twin of C2.
    static_assert(!is_regression_loss<Loss> || kind != label_category::class_index,
                  "a regression loss on ClassLabel<K> class indices treats the classes as ordered "
                  "numbers and predicts values between them [C2]. Fix: end the model "
                  "with Dense<K>, Softmax and use SparseCategoricalCrossentropy, or declare "
                  "RegressionTarget<> if the labels really are quantities");
    static_assert(Units == label_width<Label>,
                  "the loss compares outputs and targets value by value, but the output width "
                  "differs from the label width [C2]. Fix: make the last Dense as wide "
                  "as the targets");
  }
  return true;
}
}  // namespace detail

/// All loss / output-activation / label rules for one model and one data set.
template <class Loss, class LastSpec, std::size_t Units, class Label>
consteval bool loss_fits() {
  static_assert(detail::activation_fits<Loss, LastSpec>());
  static_assert(detail::labels_fit<Loss, Units, Label>());
  return true;
}

}  // namespace fitcheck::nn
