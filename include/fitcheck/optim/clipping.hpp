// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

#include <fitcheck/kernels/update.hpp>

// Gradient clipping, applied in place to the model's single gradient buffer before an update.
// Keras' `global_clipnorm` (one norm over all gradients) and `clipvalue` (elementwise clamp) are
// exact here. Keras' per-tensor `clipnorm` is not offered: fitcheck keeps all parameters in one
// buffer and the optimizer does not see the tensor boundaries.

namespace fitcheck::optim {

/// The L2 norm of all gradients (to float precision); infinite or NaN when a gradient is.
[[nodiscard]] inline double global_norm(std::span<const float> g) noexcept {
  return std::sqrt(kernels::sum_of_squares(cpu, g));
}

/// Scales `g` by clipnorm / norm when `norm` (its global norm) exceeds `clipnorm`, so the norm
/// becomes `clipnorm`, as Keras' clip_by_global_norm does. A non-finite norm leaves `g` alone: the
/// non-finite gradient is kept for the numeric guards to report rather than hidden by scaling.
inline void clip_by_global_norm(std::span<float> g, double clipnorm, double norm) noexcept {
  const double factor = kernels::clip_factor(norm, clipnorm);
  if (factor != 1.0) kernels::scale(cpu, g.data(), g.size(), factor);
}

/// Clamps every gradient to [-clipvalue, clipvalue] (NaN stays NaN).
inline void clip_by_value(std::span<float> g, float clipvalue) noexcept {
  kernels::clamp(cpu, g.data(), g.size(), clipvalue);
}

}  // namespace fitcheck::optim
