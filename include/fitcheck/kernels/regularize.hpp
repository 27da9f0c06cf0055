// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cstddef>
#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>

// Weight penalties (Keras' kernel_regularizer, bias_regularizer, recurrent_regularizer: L1, L2,
// L1L2): what they add to the loss and to the gradients, per weight, written once for the host
// loop below and the cuda backend's reduction (kernels/gpu/optim.hpp).

namespace fitcheck::kernels {

/// A slice of a network's parameters and its penalty, l1 sum |w| + l2 sum w^2 (Keras' L1L2).
struct penalty {
  std::size_t offset = 0;  ///< its first value in the parameters
  std::size_t count = 0;   ///< values
  double l1 = 0.0;
  double l2 = 0.0;
};

/// One weight's share of the penalty.
FITCHECK_HOST_DEVICE inline double penalty_term(float w, double l1, double l2) noexcept {
  const double x = w;
  return l1 * (x < 0 ? -x : x) + l2 * x * x;
}
/// Its gradient: l1 sign(w) + 2 l2 w (sign(0) = 0, as TensorFlow's and PyTorch's abs).
FITCHECK_HOST_DEVICE inline float penalty_gradient(float w, double l1, double l2) noexcept {
  const double sign = w > 0.0f ? 1.0 : w < 0.0f ? -1.0 : 0.0;
  return static_cast<float>(l1 * sign + 2.0 * l2 * double(w));
}

/// The penalty of `ranges` over the parameters `p`, summed in double; when `g` is not null, each
/// weight's gradient is added to g (the data's gradient, before clipping and the update).
template <std::size_t N>
double regularize(reference_t, const float* p, float* g,
                  const std::array<penalty, N>& ranges) noexcept {
  double total = 0.0;
  for (const penalty& r : ranges) {
    double sum = 0.0;
    for (std::size_t i = r.offset; i < r.offset + r.count; ++i) {
      sum += penalty_term(p[i], r.l1, r.l2);
      if (g != nullptr) g[i] += penalty_gradient(p[i], r.l1, r.l2);
    }
    total += sum;
  }
  return total;
}

}  // namespace fitcheck::kernels
