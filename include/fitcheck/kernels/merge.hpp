// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>

// The element-wise merges of equal-shaped branches (Keras' Add, Subtract, Multiply, Average,
// Maximum, Minimum): the value at element i and the share of branch b in its gradient, written
// once for every backend (the cuda backend's loops are in kernels/gpu/elementwise.hpp).

namespace fitcheck::kernels {

/// How a merge combines its inputs, element by element.
enum class merge_op : std::uint8_t {
  add,       ///< the sum, in input order
  subtract,  ///< the first input minus the second (exactly two)
  multiply,  ///< the product, in input order
  average,   ///< the sum divided by the number of inputs
  maximum,   ///< the largest; its gradient goes to the first input that holds it
  minimum,   ///< the smallest; likewise
};

/// The N inputs of a merge, each n values.
template <class T, std::size_t N>
struct merge_inputs {
  const T* in[N];
};

/// The merged value at element i.
template <class T, std::size_t N>
FITCHECK_HOST_DEVICE T merged(merge_op op, const merge_inputs<T, N>& m, std::size_t i) noexcept {
  T v = m.in[0][i];
  for (std::size_t b = 1; b < N; ++b) {
    const T x = m.in[b][i];
    switch (op) {
      case merge_op::add:
      case merge_op::average: v += x; break;
      case merge_op::subtract: v -= x; break;
      case merge_op::multiply: v *= x; break;
      case merge_op::maximum: v = x > v ? x : v; break;
      case merge_op::minimum: v = x < v ? x : v; break;
    }
  }
  return op == merge_op::average ? v / T(N) : v;
}

/// d(merged)/d(input b) at element i: 1 or -1 for sums, the other inputs' product for a product,
/// 1/N for an average, 1 for the first input holding the extreme (0 for the others).
template <class T, std::size_t N>
FITCHECK_HOST_DEVICE T merge_share(merge_op op, const merge_inputs<T, N>& m, std::size_t b,
                                   std::size_t i) noexcept {
  switch (op) {
    case merge_op::add: return T(1);
    case merge_op::subtract: return b == 0 ? T(1) : T(-1);
    case merge_op::average: return T(1) / T(N);
    case merge_op::multiply: {
      T p = T(1);
      for (std::size_t j = 0; j < N; ++j)
        if (j != b) p *= m.in[j][i];
      return p;
    }
    case merge_op::maximum:
    case merge_op::minimum: {
      const T extreme = merged(op, m, i);
      for (std::size_t j = 0; j < b; ++j)
        if (m.in[j][i] == extreme) return T(0);
      return m.in[b][i] == extreme ? T(1) : T(0);
    }
  }
  return T(0);
}

/// y = the merge of the inputs, n values.
template <class T, std::size_t N>
void merge_forward(reference_t, merge_op op, const merge_inputs<T, N>& m, T* y,
                   std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) y[i] = merged(op, m, i);
}

/// g = dy times input b's share, n values (the gradient of input b).
template <class T, std::size_t N>
void merge_backward(reference_t, merge_op op, const merge_inputs<T, N>& m, std::size_t b,
                    const T* dy, T* g, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i) g[i] = dy[i] * merge_share(op, m, b, i);
}

}  // namespace fitcheck::kernels
