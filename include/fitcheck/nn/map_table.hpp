// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstdint>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/nn/activation_functions.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/elu.hpp>
#include <fitcheck/nn/gelu.hpp>
#include <fitcheck/nn/leaky_relu.hpp>
#include <fitcheck/nn/rescaling.hpp>

// The element-wise operations written as data (`Op::formula`, a kernels::map_formula),
// evaluated by the operations' own formulas: the GPU's fused step, whose plan holds values, not
// types, runs its map operations through this table (kernels/gpu/fused_step.hpp, `Maps`).

namespace fitcheck::nn::detail {

struct map_table {
  /// f(x) of the operation `m` describes.
  FITCHECK_HOST_DEVICE static float f(kernels::map_formula m, float x) noexcept {
    switch (static_cast<map_kind>(m.kind)) {
      case map_kind::leaky_relu: return leaky_relu_formula::f(x, m.a);
      case map_kind::elu: return elu_formula::f(x, m.a);
      case map_kind::gelu: return gelu_op::f(x);
      case map_kind::silu: return silu_op::f(x);
      case map_kind::softplus: return softplus_op::f(x);
      case map_kind::softsign: return softsign_op::f(x);
      case map_kind::selu: return selu_op::f(x);
      case map_kind::mish: return mish_op::f(x);
      case map_kind::relu6: return relu6_op::f(x);
      case map_kind::hard_sigmoid: return hard_sigmoid_op::f(x);
      case map_kind::hard_silu: return hard_silu_op::f(x);
      case map_kind::rescale: return rescale_formula::f(x, m.a, m.b);
      case map_kind::celu: return celu_formula::f(x, m.a);
      case map_kind::exponential: return exponential_op::f(x);
      case map_kind::hard_shrink: return shrink_formula::hard(x, m.a);
      case map_kind::hard_tanh: return hard_tanh_op::f(x);
      case map_kind::log_sigmoid: return log_sigmoid_op::f(x);
      case map_kind::soft_shrink: return shrink_formula::soft(x, m.a);
      case map_kind::tanh_shrink: return tanh_shrink_op::f(x);
      case map_kind::sparse_plus: return sparse_plus_op::f(x);
      case map_kind::squareplus: return squareplus_formula::f(x, m.a);
    }
    return x;  // (every kind is above)
  }
  /// f'(x), from x and y = f(x), of the operation `m` describes.
  FITCHECK_HOST_DEVICE static float df(kernels::map_formula m, float x, float y) noexcept {
    switch (static_cast<map_kind>(m.kind)) {
      case map_kind::leaky_relu: return leaky_relu_formula::df(x, m.a);
      case map_kind::elu: return elu_formula::df(x, y, m.a);
      case map_kind::gelu: return gelu_op::df(x, y);
      case map_kind::silu: return silu_op::df(x, y);
      case map_kind::softplus: return softplus_op::df(x, y);
      case map_kind::softsign: return softsign_op::df(x, y);
      case map_kind::selu: return selu_op::df(x, y);
      case map_kind::mish: return mish_op::df(x, y);
      case map_kind::relu6: return relu6_op::df(x, y);
      case map_kind::hard_sigmoid: return hard_sigmoid_op::df(x, y);
      case map_kind::hard_silu: return hard_silu_op::df(x, y);
      case map_kind::rescale: return rescale_formula::df(m.a);
      case map_kind::celu: return celu_formula::df(x, y, m.a);
      case map_kind::exponential: return exponential_op::df(x, y);
      case map_kind::hard_shrink:
      case map_kind::soft_shrink: return shrink_formula::df(x, m.a);
      case map_kind::hard_tanh: return hard_tanh_op::df(x, y);
      case map_kind::log_sigmoid: return log_sigmoid_op::df(x, y);
      case map_kind::tanh_shrink: return tanh_shrink_op::df(x, y);
      case map_kind::sparse_plus: return sparse_plus_op::df(x, y);
      case map_kind::squareplus: return squareplus_formula::df(x, m.a);
    }
    return 1.0f;
  }
};

}  // namespace fitcheck::nn::detail
