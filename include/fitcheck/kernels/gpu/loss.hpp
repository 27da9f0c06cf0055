// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/loss.hpp>

// Loss kernels of the cuda backend: kernels/loss.hpp's terms, summed by one reduction (the same
// kernels whether the sum comes back to the host or stays on the device for the training step)
// that, when `grad` is not null, writes dL/d(output) in the same pass.

namespace fitcheck::kernels {

/// Mean loss of `kind` over a batch of outputs `o` (probabilities, or logits when `logits`) with
/// labels `y` (class indices for the sparse form, else one value per output), both in device
/// memory; writes dL/do into `grad` (device) unless it is null. `params` are the loss's
/// constants; `weights` (device memory) are Keras' class weights.
template <class T, class Y>
T loss(cuda_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad, std::size_t batch,
       std::size_t width, loss_parameters<T> params = {}, class_weights<T> weights = {}) {
  const std::size_t count = loss_terms(kind, batch, width);
  if (count == 0) return T(0);
  const T total = gpu::detail::reduce_value<T>(
      count, loss_term<T, Y>{kind, logits, o, y, grad, batch, width, params, weights});
  return total / T(count);
}

/// As `loss`, without waiting for the result: the sum of the loss terms (in T, stored widened to
/// double) goes to `total` in device memory, for the training step to copy back asynchronously;
/// the mean is that sum, narrowed back to T, over `loss_terms(kind, batch, width)`.
template <class T, class Y>
void loss_total(cuda_t, loss_kind kind, bool logits, const T* o, const Y* y, T* grad,
                std::size_t batch, std::size_t width, double* total,
                loss_parameters<T> params = {}, class_weights<T> weights = {}) {
  gpu::detail::reduce_into<T>(
      loss_terms(kind, batch, width),
      loss_term<T, Y>{kind, logits, o, y, grad, batch, width, params, weights}, total);
}

}  // namespace fitcheck::kernels
