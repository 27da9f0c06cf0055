// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

namespace fitcheck::nn::detail {

/// A layer's scratch memory. The model runs float, in memory `reserve` sized before training, so
/// a training step allocates nothing; the gradient checks run double, in memory of their own
/// that grows when asked.
class typed_workspace {
 public:
  /// The values for element type T.
  template <class T>
  std::vector<T>& values() noexcept {
    if constexpr (std::is_same_v<T, float>)
      return float_;
    else
      return double_;
  }
  /// At least n values for element type T, grown if fewer (never for float after `reserve`).
  template <class T>
  T* at_least(std::size_t n) {
    std::vector<T>& v = values<T>();
    if (v.size() < n) v.resize(n);
    return v.data();
  }
  /// Sizes the float values to at least n.
  void reserve(std::size_t n) {
    if (n > float_.size()) float_.resize(n);
  }

 private:
  std::vector<float> float_;
  std::vector<double> double_;
};

}  // namespace fitcheck::nn::detail
