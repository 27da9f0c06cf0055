// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/losses.hpp>

// Every loss / output / label rule, once [C2], [C3]. `loss_fits<Loss, LastLayer, Units,
// Label>()` is called by Model with the last layer spec of the network, its output width and the
// pipeline's label kind; each rule is a static_assert whose message states the facts and the fix.
//
// What passes (K = the label's class count):
//   BinaryCrossentropy             Sigmoid (FromLogits: no activation); BinaryLabel on 1 unit,
//                                  MultiLabel<K> on K units (the multi-label case of C3)
//   SparseCategoricalCrossentropy  Softmax (FromLogits: none); ClassLabel<K> on K units,
//                                  BinaryLabel on 2 units
//   CategoricalCrossentropy        Softmax (FromLogits: none); OneHotLabel<K> on K units
//   MSE, MAE, Huber                any last layer; as many units as label values; any label
//                                  kind but ClassLabel<K> (0/1 labels train the Brier score on
//                                  purpose; class indices are not quantities)
// Softmax over one unit is the Softmax layer's own rule (nn/activations.hpp), checked where the
// network is declared, whatever the loss.

namespace fitcheck::nn {

namespace detail {
template <class Loss>
inline constexpr bool is_binary_ce = std::is_base_of_v<loss::BinaryCrossentropy, Loss>;
template <class Loss>
inline constexpr bool is_sparse_ce = std::is_base_of_v<loss::SparseCategoricalCrossentropy, Loss>;
template <class Loss>
inline constexpr bool is_categorical_ce = std::is_base_of_v<loss::CategoricalCrossentropy, Loss>;
template <class Loss>
inline constexpr bool is_cross_entropy =
    is_binary_ce<Loss> || is_sparse_ce<Loss> || is_categorical_ce<Loss>;
template <class Loss>
inline constexpr bool is_huber = false;
template <class Delta>
inline constexpr bool is_huber<loss::Huber<Delta>> = true;
// Losses that compare outputs and targets value by value as numbers.
template <class Loss>
inline constexpr bool is_regression_loss = std::is_same_v<Loss, loss::MeanSquaredError> ||
                                           std::is_same_v<Loss, loss::MeanAbsoluteError> ||
                                           is_huber<Loss>;

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
  } else if constexpr (is_sparse_ce<Loss> || is_categorical_ce<Loss>) {
    static_assert(!sigmoid,
                  "categorical cross-entropy after Sigmoid: sigmoid outputs do not sum to 1 "
                  "[C3]. Fix: end the model with Softmax");
    static_assert(sigmoid || softmax,
                  "categorical cross-entropy expects probabilities, but the model's last layer is "
                  "not Softmax [C3]. Fix: end the model with Softmax, or use "
                  "FromLogits<...> for raw scores");
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
