// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <fitcheck/core/shape.hpp>

namespace fitcheck {

// A label kind says what one sample's label means, so that the loss / output / label rules
// [C2], [C3], [C4] can be checked: at compile time from the kind, at run time from the
// values through `accepts`. Every kind provides:
//   category     which of the five kinds it is
//   value_type   the element type a source stores
//   shape        the per-sample label shape (Shape<> for one value)
//   classes      the class count for classification kinds, 0 otherwise
//   accepts(v)   whether one stored element is a legal value
//   expected()   the legal values, in words, for messages

enum class label_category : std::uint8_t {
  binary,       ///< one 0/1 value per sample
  class_index,  ///< one integer in [0, K) per sample (sparse categorical)
  one_hot,      ///< K values, exactly one of them 1
  multi_label,  ///< K independent 0/1 values
  regression,   ///< real-valued targets
};

/// Two classes as a single 0/1 value per sample (binary cross-entropy on one output).
struct BinaryLabel {
  /// What the label means, for the loss/label/output rules (nn/compatibility.hpp).
  static constexpr label_category category = label_category::binary;
  /// The stored type of one label value.
  using value_type = std::int32_t;
  /// The shape of one sample's label.
  using shape = Shape<>;
  /// The number of classes (0 for regression targets).
  static constexpr std::size_t classes = 2;
  /// Whether v is a valid label value (the data checks name the sample that is not).
  static constexpr bool accepts(value_type v) noexcept { return v == 0 || v == 1; }
  /// The valid values, as the data checks' messages say them.
  static std::string expected() { return "0 or 1"; }
};

/// One integer class index in [0, K) per sample (sparse categorical cross-entropy).
template <std::size_t K>
struct ClassLabel {
  static_assert(K >= 2,
                "ClassLabel<K>: a class index needs at least 2 classes. Fix: write "
                "ClassLabel<K> with K the number of classes, or BinaryLabel for yes/no labels");
  /// What the label means, for the loss/label/output rules (nn/compatibility.hpp).
  static constexpr label_category category = label_category::class_index;
  /// The stored type of one label value.
  using value_type = std::int32_t;
  /// The shape of one sample's label.
  using shape = Shape<>;
  /// The number of classes (0 for regression targets).
  static constexpr std::size_t classes = K;
  /// Whether v is a valid label value (the data checks name the sample that is not).
  static constexpr bool accepts(value_type v) noexcept {
    return v >= 0 && static_cast<std::size_t>(v) < K;
  }
  /// The valid values, as the data checks' messages say them.
  static std::string expected() { return "an integer in [0, " + std::to_string(K) + ")"; }
};

/// K values per sample, one of them 1 and the rest 0 (categorical cross-entropy).
template <std::size_t K>
struct OneHotLabel {
  static_assert(K >= 2,
                "OneHotLabel<K>: a one-hot label needs at least 2 classes. Fix: write "
                "OneHotLabel<K> with K the number of classes, or BinaryLabel for yes/no labels");
  /// What the label means, for the loss/label/output rules (nn/compatibility.hpp).
  static constexpr label_category category = label_category::one_hot;
  /// The stored type of one label value.
  using value_type = float;
  /// The shape of one sample's label.
  using shape = Shape<K>;
  /// The number of classes (0 for regression targets).
  static constexpr std::size_t classes = K;
  // Per element; that exactly one element of a row is 1 is a row check (the data scan's).
  /// Whether v is a valid label value (the data checks name the sample that is not).
  static constexpr bool accepts(value_type v) noexcept { return v == 0.0f || v == 1.0f; }
  /// The valid values, as the data checks' messages say them.
  static std::string expected() { return "0 or 1, exactly one 1 per sample"; }
};

/// K independent yes/no values per sample (sigmoid outputs + binary cross-entropy).
template <std::size_t K>
struct MultiLabel {
  static_assert(K >= 1,
                "MultiLabel<K>: a multi-label target needs at least 1 label. Fix: write "
                "MultiLabel<K> with K the number of independent labels");
  /// What the label means, for the loss/label/output rules (nn/compatibility.hpp).
  static constexpr label_category category = label_category::multi_label;
  /// The stored type of one label value.
  using value_type = float;
  /// The shape of one sample's label.
  using shape = Shape<K>;
  /// The number of classes (0 for regression targets).
  static constexpr std::size_t classes = K;
  /// Whether v is a valid label value (the data checks name the sample that is not).
  static constexpr bool accepts(value_type v) noexcept { return v == 0.0f || v == 1.0f; }
  /// The valid values, as the data checks' messages say them.
  static std::string expected() { return "0 or 1"; }
};

/// Real-valued targets of a static shape; `RegressionTarget<>` is one number per sample.
template <std::size_t... Dims>
struct RegressionTarget {
  /// What the label means, for the loss/label/output rules (nn/compatibility.hpp).
  static constexpr label_category category = label_category::regression;
  /// The stored type of one label value.
  using value_type = float;
  /// The shape of one sample's label.
  using shape = Shape<Dims...>;
  /// The number of classes (0 for regression targets).
  static constexpr std::size_t classes = 0;
  /// Whether v is a valid label value (the data checks name the sample that is not).
  static bool accepts(value_type v) noexcept { return std::isfinite(v); }
  /// The valid values, as the data checks' messages say them.
  static std::string expected() { return "a finite number"; }
};

/// A type that describes what one sample's label means; see the list above.
template <class L>
concept label_kind = requires(typename L::value_type v) {
  { L::category } -> std::convertible_to<label_category>;
  { L::classes } -> std::convertible_to<std::size_t>;
  requires static_shape<typename L::shape>;
  { L::accepts(v) } -> std::same_as<bool>;
  { L::expected() } -> std::convertible_to<std::string>;
};

/// True for the kinds whose values name classes (binary, class index, one-hot, multi-label).
template <label_kind L>
inline constexpr bool is_classification_label = L::category != label_category::regression;

/// True for the kinds that give each sample one class (binary, class index, one-hot): a sample
/// has a class to weigh (ClassWeights) or a class folder to come from (image_folder).
template <label_kind L>
inline constexpr bool is_single_class_label = L::category == label_category::binary ||
                                              L::category == label_category::class_index ||
                                              L::category == label_category::one_hot;

/// Values stored per sample for label kind `L`.
template <label_kind L>
inline constexpr std::size_t label_width = L::shape::size;

/// `v` as one stored value of label kind `L`, or nothing when it is not a legal one [C4]. Every
/// source converts its labels here: a class index of 1.5, 1e20 or NaN must be refused before the
/// conversion (out of range, a float-to-int conversion is undefined behaviour), never truncated
/// into a legal-looking one.
template <label_kind L, class V>
  requires std::is_arithmetic_v<V>
[[nodiscard]] constexpr std::optional<typename L::value_type> label_value_of(V v) noexcept {
  using T = typename L::value_type;
  bool representable = true;
  if constexpr (std::is_integral_v<T> && std::is_floating_point_v<V>) {
    // Bounds as powers of two, exact in every floating type: max() itself may round up.
    const V upper = static_cast<V>(std::numeric_limits<T>::max() / 2 + 1) * 2;
    representable = std::isfinite(v) && v == std::trunc(v) &&
                    v >= static_cast<V>(std::numeric_limits<T>::min()) && v < upper;
  } else if constexpr (std::is_integral_v<T> && std::is_integral_v<V>) {
    representable = std::in_range<T>(v);
  } else if constexpr (std::is_floating_point_v<V> && sizeof(V) > sizeof(T)) {
    representable = !std::isfinite(v) || std::fabs(v) <= std::numeric_limits<T>::max();
  }
  if (!representable) return std::nullopt;
  const T t = static_cast<T>(v);
  if (!L::accepts(t)) return std::nullopt;
  return t;
}

}  // namespace fitcheck
