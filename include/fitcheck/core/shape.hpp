// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fitcheck/core/error.hpp>

namespace fitcheck {

/// A tensor shape fixed at compile time: `Shape<28, 28>` is 28 x 28, `Shape<>` a scalar.
template <std::size_t... Dims>
struct Shape {
  static_assert(((Dims >= 1) && ...),
                "Shape: every dimension must be at least 1 (a zero-sized tensor holds no data). "
                "Fix: give each dimension its real extent, e.g. Shape<28, 28>");

  /// The number of dimensions.
  static constexpr std::size_t rank = sizeof...(Dims);
  /// Number of elements; 1 for a scalar.
  static constexpr std::size_t size = (std::size_t{1} * ... * Dims);
  /// The extents.
  static constexpr std::array<std::size_t, rank> dims{Dims...};
};

/// The per-sample feature shape of a data set: `Features<10>` is a vector of 10 numbers,
/// `Features<28, 28>` an image.
template <std::size_t... Dims>
struct Features {
  static_assert(sizeof...(Dims) >= 1,
                "Features: a sample needs at least one feature dimension. "
                "Fix: write Features<N> for N numbers per sample");
  /// The per-sample shape.
  using shape = Shape<Dims...>;
  /// Values per sample.
  static constexpr std::size_t size = shape::size;
};

/// A static shape as a value (rank up to 4), so shape inference over a list of layers is a
/// constexpr loop instead of recursive templates. Structural: usable as a template argument.
struct Dims {
  /// The most dimensions a sample shape has.
  static constexpr std::size_t max_rank = 4;
  /// The number of dimensions.
  std::size_t rank = 0;
  /// The extents; those past rank are 0.
  std::array<std::size_t, max_rank> extent{};

  /// Values per sample: the product of the extents.
  [[nodiscard]] constexpr std::size_t size() const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < rank; ++i) n *= extent[i];
    return n;
  }
  /// Same rank and extents.
  friend constexpr bool operator==(const Dims&, const Dims&) = default;
};

namespace detail {
template <class S>
struct dims_of_shape;
template <std::size_t... D>
struct dims_of_shape<Shape<D...>> {
  static_assert(sizeof...(D) <= Dims::max_rank, "Shape: at most 4 dimensions per sample");
  static constexpr Dims value{sizeof...(D), {D...}};
};
// Scalar parameters, not a Dims: GCC 12 crashes on a Dims argument taken from a dependent
// constexpr array.
template <std::size_t Rank, std::size_t E0, std::size_t E1, std::size_t E2, std::size_t E3>
struct shape_of_extents {
  static_assert(Rank <= 4);
  using type = std::conditional_t<
      Rank == 0, Shape<>,
      std::conditional_t<
          Rank == 1, Shape<E0>,
          std::conditional_t<Rank == 2, Shape<E0, E1>,
                             std::conditional_t<Rank == 3, Shape<E0, E1, E2>, Shape<E0, E1, E2, E3>>>>>;
};

template <class T>
inline constexpr bool is_shape = false;
template <std::size_t... Dims>
inline constexpr bool is_shape<Shape<Dims...>> = true;

// The Features<...> of a per-sample Shape<...>.
template <class S>
struct features_of;
template <std::size_t... D>
struct features_of<Shape<D...>> {
  using type = Features<D...>;
};

template <class T>
inline constexpr bool is_features = false;
template <std::size_t... Dims>
inline constexpr bool is_features<Features<Dims...>> = true;
}  // namespace detail

/// A `Shape<...>`.
template <class T>
concept static_shape = detail::is_shape<T>;

/// A `Features<...>`: the static per-sample shape a source declares.
template <class T>
concept feature_spec = detail::is_features<T>;

/// The `Dims` value of a `Shape` type.
template <class S>
inline constexpr Dims dims_v = detail::dims_of_shape<S>::value;

/// The `Shape` type of a `Dims` value.
template <Dims D>
using shape_t = typename detail::shape_of_extents<D.rank, D.extent[0], D.extent[1], D.extent[2],
                                                  D.extent[3]>::type;

/// "(32, 10)": shapes in messages are always written this way.
std::string format_shape(std::span<const std::size_t> dims);

template <static_shape S>
std::string format_shape() {
  return format_shape(std::span<const std::size_t>(S::dims));
}

/// Throws `shape_error` unless `got` equals the static shape `S`; `where` names the place
/// (a source, a layer) for the message.
template <static_shape S>
void require_shape(std::span<const std::size_t> got, std::string_view where) {
  const bool same = got.size() == S::rank && [&] {
    for (std::size_t i = 0; i < S::rank; ++i)
      if (got[i] != S::dims[i]) return false;
    return true;
  }();
  if (same) return;
  throw shape_error(std::string(where) + ": expected shape " + format_shape<S>() + ", got " +
                        format_shape(got),
                    "make the data's shape match the declared one, or declare the shape the "
                    "data has");
}

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/shape_impl.hpp>
#endif
