// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/nn/layer.hpp>

// Integer categories fed to Dense as plain numbers impose an order and a scale they do not have
// [C5]; these layers turn them into indicator vectors first.

namespace fitcheck::nn {

/// How CategoryEncoding writes the categories of one sample (Keras' `output_mode`).
enum class encoding : std::uint8_t {
  one_hot,    ///< one category per sample, a 1 at its index
  multi_hot,  ///< several categories per sample, a 1 at each index present
  count,      ///< several categories per sample, how often each index occurs
};

namespace detail {
template <std::size_t K, encoding E, Dims In>
consteval bool category_input_fits() {
  static_assert(K >= 2, "OneHot<K> / CategoryEncoding<K>: fewer than 2 categories encode "
                        "nothing (a constant output). Fix: K = the number of categories");
  static_assert(E != encoding::one_hot || In.size() == 1,
                "OneHot<K>: the input must hold one category per sample, but the layer before "
                "gives more values per sample. Fix: feed the one categorical column, or use "
                "CategoryEncoding<K> (multi-hot) for several categories per sample");
  static_assert(E == encoding::one_hot || In.rank == 1,
                "CategoryEncoding<K>: the input must be a flat vector of category indices. Fix: "
                "put Flatten before CategoryEncoding");
  return true;
}

template <std::size_t K, encoding E>
struct category_encoding {
  static constexpr Dims output_dims(Dims) { return Dims{1, {K}}; }

  template <Dims In>
  struct bind {
    static_assert(category_input_fits<K, E, In>());
    using input_shape = shape_t<In>;
    using output_shape = Shape<K>;
    static constexpr std::size_t in = In.size();
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = E == encoding::one_hot ? "OneHot" : "CategoryEncoding";

    /// Throws data_error on a value that is not an integer in [0, K): cheap next to the
    /// layers that follow, and a silent clamp would train on the wrong category.
    template <class T>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode) const {
      for (std::size_t r = 0; r < batch; ++r) {
        T* yr = y + r * K;
        for (std::size_t k = 0; k < K; ++k) yr[k] = T(0);
        for (std::size_t i = 0; i < in; ++i) {
          const T v = x[r * in + i];
          // Also false for NaN.
          if (!(v >= T(0) && v < T(K) && std::floor(v) == v)) reject(r, i, double(v));
          if constexpr (E == encoding::count) {
            yr[std::size_t(v)] += T(1);
          } else {
            yr[std::size_t(v)] = T(1);
          }
        }
      }
    }
    /// Categories are not differentiable: no gradient reaches the input (dx is zero).
    template <class T>
    void backward(const T*, const T*, const T*, const T*, T* dx, T*,
                  std::size_t batch) const noexcept {
      if (dx == nullptr) return;
      for (std::size_t i = 0; i < batch * in; ++i) dx[i] = T(0);
    }

  private:
    [[noreturn]] static void reject(std::size_t sample, std::size_t index, double v) {
      const std::string where = in == 1 ? "" : ", value " + std::to_string(index);
      throw data_error(std::string(name) + "<" + std::to_string(K) + ">: sample " +
                           std::to_string(sample) + " of the batch" + where + " holds " +
                           format_number(v) + ", not an integer category in [0, " +
                           std::to_string(K) + ")",
                       "map the feature to the integers 0.." + std::to_string(K - 1) +
                           " before the layer, or raise K to the number of categories");
    }
  };
};
}  // namespace detail

/// One integer category in [0, K) per sample (stored as a float) -> K indicator values, as
/// Keras' `CategoryEncoding(K, output_mode="one_hot")`. No parameters, no input gradient.
template <std::size_t K>
struct OneHot : detail::category_encoding<K, encoding::one_hot> {};

/// Several integer categories in [0, K) per sample -> K values: multi-hot (default) or counts,
/// as Keras' `CategoryEncoding`. No parameters, no input gradient.
template <std::size_t K, encoding E = encoding::multi_hot>
struct CategoryEncoding : detail::category_encoding<K, E> {};

}  // namespace fitcheck::nn
