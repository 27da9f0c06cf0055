// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: feature and label arrays of N samples.  Out: N Examples, in order.

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xexpression.hpp>
#include <xtensor/xfixed.hpp>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/dataset.hpp>

namespace fitcheck::data {

/// Marks a sample count known only at run time.
inline constexpr std::size_t dynamic_size = std::numeric_limits<std::size_t>::max();

/// The samples of in-memory arrays, one Example per row, in order. `N` is the sample count
/// when it is static (fixed-shape xtensor input), so the pipeline checks run at compile time.
template <feature_spec F, label_kind L, std::size_t N = dynamic_size>
class TensorSlices : public dataset_interface<TensorSlices<F, L, N>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = Example<F, L>;
  /// The stored type of one label value.
  using label_value = typename L::value_type;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality =
      N == dynamic_size ? Cardinality::finite_at_runtime() : Cardinality::finite(N);
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits{};

  /// Features at `x` (n * F::size floats, row-major; not copied, so they must outlive the
  /// source unless `x_owner` holds them) and n * label_width<L> labels.
  TensorSlices(std::shared_ptr<const std::vector<float>> x_owner, const float* x,
               std::shared_ptr<const std::vector<label_value>> y, std::size_t n)
      : x_owner_(std::move(x_owner)), x_(x), y_(std::move(y)), n_(n),
        longest_label_run_(longest_run()) {}

  /// The element count over all passes (repeat included), as far as it is known at run time.
  [[nodiscard]] Cardinality cardinality() const { return Cardinality::finite(n_); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return {}; }

  class cursor {
  public:
    explicit cursor(const TensorSlices* d) : d_(d) {}
    bool next(element_type& out) noexcept {
      if (i_ == d_->n_) return false;
      d_->read(i_++, out);
      return true;
    }

  private:
    const TensorSlices* d_;
    std::size_t i_ = 0;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() { return cursor(this); }

  /// Random access, for data scans.
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  /// The features of sample i.
  [[nodiscard]] std::span<const float> features(std::size_t i) const noexcept {
    return {x_ + i * F::size, F::size};
  }
  /// All labels, sample after sample.
  [[nodiscard]] std::span<const label_value> labels() const noexcept { return *y_; }
  /// Copies sample `i` into `out`: random access, so shuffle can keep indices, not samples.
  void read(std::size_t i, element_type& out) const noexcept {
    std::copy_n(x_ + i * F::size, F::size, out.x.begin());
    std::copy_n(y_->data() + i * label_width<L>, label_width<L>, out.y.begin());
  }
  /// Starts loading sample `i` into the cache ahead of `read(i)`.
  void prefetch(std::size_t i) const noexcept {
    const float* x = x_ + i * F::size;
    for (std::size_t b = 0; b < F::size * sizeof(float); b += 64)
      __builtin_prefetch(x + b / sizeof(float));
    __builtin_prefetch(x + F::size - 1);
    __builtin_prefetch(y_->data() + i * label_width<L>);
  }
  /// The longest run of consecutive samples with equal labels: near N when the data is sorted
  /// by label [A11], [A12].
  [[nodiscard]] std::size_t longest_label_run() const noexcept { return longest_label_run_; }

private:
  std::size_t longest_run() const {
    constexpr std::size_t w = label_width<L>;
    std::size_t best = n_ == 0 ? 0 : 1, run = 1;
    for (std::size_t i = 1; i < n_; ++i) {
      const bool same = std::equal(y_->begin() + (i - 1) * w, y_->begin() + i * w,
                                   y_->begin() + i * w);
      run = same ? run + 1 : 1;
      best = std::max(best, run);
    }
    return best;
  }

  std::shared_ptr<const std::vector<float>> x_owner_;
  const float* x_;
  std::shared_ptr<const std::vector<label_value>> y_;
  std::size_t n_;
  std::size_t longest_label_run_;
};

namespace detail {

// Converts and checks labels where they enter [C4]: integer kinds need integral
// values, and every kind its own legal values.
template <label_kind L, class Range>
std::shared_ptr<const std::vector<typename L::value_type>> checked_labels(const Range& y,
                                                                         std::size_t n) {
  using V = typename L::value_type;
  auto out = std::make_shared<std::vector<V>>();
  out->reserve(n * label_width<L>);
  std::size_t i = 0;
  for (const auto& raw : y) {
    const std::optional<V> v = label_value_of<L>(raw);
    if (!v)
      throw data_error("from_tensor_slices: sample " + std::to_string(i / label_width<L>) +
                           ": label " + format_number(raw) + " is not " + L::expected(),
                       "fix the labels, or declare the label kind the data has");
    out->push_back(*v);
    ++i;
  }
  return out;
}

inline void require_same_count(std::size_t nx, std::size_t ny) {
  if (nx != ny)
    throw shape_error("from_tensor_slices: the features hold " + std::to_string(nx) +
                          " samples but the labels " + std::to_string(ny),
                      "pass features and labels of the same samples");
}

template <label_kind L>
std::vector<std::size_t> label_dims(std::size_t n) {
  std::vector<std::size_t> dims{n};
  for (std::size_t d : L::shape::dims) dims.push_back(d);
  return dims;
}

template <class Shape>
std::span<const std::size_t> shape_span(const Shape& s) {
  return {s.data(), s.size()};
}

}  // namespace detail

/// The samples of xtensor arrays, copied: `x` of shape (N, F...), `y` of shape (N) for
/// one-value labels or (N, label dims...). Shapes and label values are checked here.
template <feature_spec F, label_kind L, class EX, class EY>
auto from_tensor_slices(const xt::xexpression<EX>& x_expr, const xt::xexpression<EY>& y_expr) {
  const auto& x = x_expr.derived_cast();
  const auto& y = y_expr.derived_cast();
  const auto xs = detail::shape_span(x.shape());
  const std::size_t n = xs.empty() ? 0 : xs[0];
  if (xs.size() != 1 + F::shape::rank ||
      !std::equal(F::shape::dims.begin(), F::shape::dims.end(), xs.begin() + 1)) {
    std::vector<std::size_t> want{n};
    for (std::size_t d : F::shape::dims) want.push_back(d);
    throw shape_error("from_tensor_slices: features of shape " + format_shape(xs) +
                          " do not match the declared Features: expected " +
                          format_shape(want) + " (samples first)",
                      "declare Features with the data's per-sample shape, or reshape the data");
  }
  const auto ys = detail::shape_span(y.shape());
  const auto want_y = detail::label_dims<L>(ys.empty() ? 0 : ys[0]);
  // One-value labels may come as (N) or (N, 1).
  const bool y_ok = std::equal(ys.begin(), ys.end(), want_y.begin(), want_y.end()) ||
                    (label_width<L> == 1 && ys.size() == 2 && ys[1] == 1);
  if (!y_ok)
    throw shape_error("from_tensor_slices: labels of shape " + format_shape(ys) +
                          " do not match the label kind: expected " + format_shape(want_y),
                      "pass labels of shape (N) for one value per sample, or (N, K) for K values");
  detail::require_same_count(n, ys.empty() ? 0 : ys[0]);

  auto owned = std::make_shared<std::vector<float>>(x.begin(), x.end());
  const float* data = owned->data();
  return TensorSlices<F, L>(std::move(owned), data, detail::checked_labels<L>(y, n), n);
}

/// The samples of contiguous memory: `x` holds N * F::size floats (row-major) and `y`
/// N * label_width<L> labels. The features are NOT copied: keep them alive while the pipeline
/// is used.
template <feature_spec F, label_kind L, class V>
  requires std::is_arithmetic_v<V>
auto from_tensor_slices(std::span<const float> x, std::span<const V> y) {
  if (x.size() % F::size != 0)
    throw shape_error("from_tensor_slices: " + std::to_string(x.size()) +
                          " floats are not a whole number of samples of " +
                          std::to_string(F::size) + " features",
                      "pass N * " + std::to_string(F::size) + " floats, row-major");
  const std::size_t n = x.size() / F::size;
  if (y.size() % label_width<L> != 0)
    throw shape_error("from_tensor_slices: " + std::to_string(y.size()) +
                          " label values are not a whole number of labels of " +
                          std::to_string(label_width<L>) + " values",
                      "pass N * label_width labels");
  detail::require_same_count(n, y.size() / label_width<L>);
  return TensorSlices<F, L>(nullptr, x.data(), detail::checked_labels<L>(y, n), n);
}

/// Fixed-shape arrays: N is static, so pipeline checks (batch sizes, steps) run at compile time.
template <feature_spec F, label_kind L, class T, std::size_t N, std::size_t... D, class U,
          std::size_t NY, std::size_t... DY>
auto from_tensor_slices(const xt::xtensor_fixed<T, xt::xshape<N, D...>>& x,
                        const xt::xtensor_fixed<U, xt::xshape<NY, DY...>>& y) {
  static_assert(std::is_same_v<Shape<D...>, typename F::shape>,
                "from_tensor_slices: the features' per-sample shape differs from the declared "
                "Features. Fix: declare Features with the data's shape (after the sample axis)");
  static_assert(N == NY, "from_tensor_slices: features and labels hold different sample counts. "
                         "Fix: pass features and labels of the same samples");
  static_assert(std::is_same_v<Shape<DY...>, typename L::shape> ||
                    (label_width<L> == 1 && std::is_same_v<Shape<DY...>, Shape<1>>),
                "from_tensor_slices: the labels' per-sample shape differs from the label kind's. "
                "Fix: labels of shape (N) for one value per sample, (N, K) for K values");
  auto owned = std::make_shared<std::vector<float>>(x.begin(), x.end());
  const float* data = owned->data();
  return TensorSlices<F, L, N>(std::move(owned), data, detail::checked_labels<L>(y, N), N);
}

}  // namespace fitcheck::data
