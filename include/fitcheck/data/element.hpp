// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <vector>

#include <xtensor/xadapt.hpp>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>

// What a pipeline yields: single `Example`s until a batch stage, `BatchData` after it. Both have
// static per-sample shapes and fixed storage, so moving data through a pipeline allocates
// nothing per element.

namespace fitcheck::data {

namespace detail {
template <std::size_t... D>
constexpr std::array<std::size_t, sizeof...(D)> dims_of(Shape<D...>) {
  return {D...};
}
template <std::size_t... D>
constexpr std::array<std::size_t, 1 + sizeof...(D)> batch_dims_of(std::size_t n, Shape<D...>) {
  return {n, D...};
}
}  // namespace detail

/// One sample: its features (`F::size` floats, row-major in `F::shape`) and its label
/// (`label_width<L>` values of `L::value_type`). Decomposes as `auto& [x, y] = example`.
template <feature_spec F, label_kind L>
struct Example {
  /// The per-sample feature shape, a Features<...>.
  using features_type = F;
  /// The label kind (core/labels.hpp).
  using label_type = L;
  /// The stored type of one label value.
  using label_value = typename L::value_type;

  /// The sample's features.
  std::array<float, F::size> x{};
  /// The sample's label values.
  std::array<label_value, label_width<L>> y{};

  /// The features as an xtensor view of shape `F::shape`.
  [[nodiscard]] auto features() const {
    return xt::adapt(x.data(), F::size, xt::no_ownership(), detail::dims_of(typename F::shape{}));
  }
  /// The label of a one-value label kind (binary, class index, scalar regression).
  [[nodiscard]] label_value label() const
    requires(label_width<L> == 1)
  {
    return y[0];
  }
};

/// A batch of up to `capacity()` samples in two contiguous buffers sized once. `x()` has shape
/// (size, features...), `y()` shape (size) for one-value labels or (size, label dims...).
/// Decomposes as `auto&& [x, y] = batch` into those xtensor views.
template <feature_spec F, label_kind L>
class BatchData {
public:
  /// The per-sample feature shape, a Features<...>.
  using features_type = F;
  /// The label kind (core/labels.hpp).
  using label_type = L;
  /// The stored type of one label value.
  using label_value = typename L::value_type;
  /// One sample of the batch.
  using example_type = Example<F, L>;
  /// Feature values per sample.
  static constexpr std::size_t x_stride = F::size;
  /// Label values per sample.
  static constexpr std::size_t y_stride = label_width<L>;
  /// Bytes one sample takes in a batch: its features and its label values.
  static constexpr std::size_t sample_bytes = x_stride * sizeof(float) + y_stride * sizeof(label_value);

  /// An empty batch with room for `capacity` samples.
  explicit BatchData(std::size_t capacity = 0)
      : x_(capacity * x_stride), y_(capacity * y_stride), capacity_(capacity) {}

  /// Samples in the batch.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Samples it can hold (the batch size).
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// No sample yet.
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// As many samples as it can hold.
  [[nodiscard]] bool full() const noexcept { return size_ == capacity_; }

  /// Empties the batch (the buffers are kept).
  void clear() noexcept { size_ = 0; }
  /// Appends one sample; the batch must not be full.
  void push(const example_type& e) noexcept {
    std::copy(e.x.begin(), e.x.end(), x_.begin() + static_cast<std::ptrdiff_t>(size_ * x_stride));
    std::copy(e.y.begin(), e.y.end(), y_.begin() + static_cast<std::ptrdiff_t>(size_ * y_stride));
    ++size_;
  }
  /// Copies sample `i` out.
  void get(std::size_t i, example_type& out) const noexcept {
    std::copy_n(x_.begin() + static_cast<std::ptrdiff_t>(i * x_stride), x_stride, out.x.begin());
    std::copy_n(y_.begin() + static_cast<std::ptrdiff_t>(i * y_stride), y_stride, out.y.begin());
  }

  /// The features, size() x x_stride floats, row-major.
  [[nodiscard]] const float* x_data() const noexcept { return x_.data(); }
  /// The features, size() x x_stride floats, row-major.
  [[nodiscard]] float* x_data() noexcept { return x_.data(); }
  /// The labels, size() x y_stride values.
  [[nodiscard]] const label_value* y_data() const noexcept { return y_.data(); }
  /// The labels, size() x y_stride values.
  [[nodiscard]] label_value* y_data() noexcept { return y_.data(); }

  /// The features as an xtensor view of shape (size(), features...).
  [[nodiscard]] auto x() const {
    return xt::adapt(x_.data(), size_ * x_stride, xt::no_ownership(),
                     detail::batch_dims_of(size_, typename F::shape{}));
  }
  /// The labels as an xtensor view of shape (size()) or (size(), label dims...).
  [[nodiscard]] auto y() const {
    return xt::adapt(y_.data(), size_ * y_stride, xt::no_ownership(),
                     detail::batch_dims_of(size_, typename L::shape{}));
  }

  /// x() for I = 0, y() for I = 1: `auto [x, y] = batch`.
  template <std::size_t I>
  [[nodiscard]] auto get() const {
    static_assert(I < 2);
    if constexpr (I == 0) {
      return x();
    } else {
      return y();
    }
  }

private:
  std::vector<float> x_;
  std::vector<label_value> y_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

namespace detail {
template <class T>
inline constexpr bool is_example = false;
template <class F, class L>
inline constexpr bool is_example<Example<F, L>> = true;
template <class T>
inline constexpr bool is_batch = false;
template <class F, class L>
inline constexpr bool is_batch<BatchData<F, L>> = true;
}  // namespace detail

/// An `Example<F, L>`.
template <class T>
concept example = detail::is_example<T>;
/// A `BatchData<F, L>`.
template <class T>
concept batch_data = detail::is_batch<T>;

}  // namespace fitcheck::data

template <class F, class L>
struct std::tuple_size<fitcheck::data::BatchData<F, L>> : std::integral_constant<std::size_t, 2> {};
/// Structured bindings: the types of x() and y().
template <std::size_t I, class F, class L>
struct std::tuple_element<I, fitcheck::data::BatchData<F, L>> {
  /// The type of get<I>().
  using type = decltype(std::declval<const fitcheck::data::BatchData<F, L>&>().template get<I>());
};
