// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>

// Activation layers. Elementwise ones without a kernel (LeakyReLU, ELU, GELU) are one template
// over an operation with f(x) and its derivative written from x and y = f(x) (whichever is
// cheaper), so each is a few lines; the ones with a kernel call it.

namespace fitcheck::nn {

namespace detail {
// The element-wise operations a fused GPU step evaluates from their `formula`
// (kernels::map_formula: nn/map_table.hpp).
enum class map_kind : std::uint8_t {
  leaky_relu,
  elu,
  gelu,
  silu,
  softplus,
  softsign,
  selu,
  mish,
  relu6,
  hard_sigmoid,
  hard_silu,
  rescale,
  celu,
  exponential,
  hard_shrink,
  hard_tanh,
  log_sigmoid,
  soft_shrink,
  tanh_shrink,
  sparse_plus,
  squareplus,
};
// `formula` of an operation with no constants.
constexpr kernels::map_formula formula_of(map_kind k) noexcept {
  return {static_cast<std::uint8_t>(k), 0.0f, 0.0f};
}

template <class Op>
struct elementwise : same_shape {
  template <Dims In>
  struct bind {
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = Op::name;
    /// Step by step, so a padding mask goes on past it.
    static constexpr bool keeps_mask = true;
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp) when the
    /// operation can be written as data.
    static constexpr bool in_fused_step = requires { Op::formula; };

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::map_forward(be, Op{}, x, y, batch * size);
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T* x, const T* y, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      if (dx != nullptr) kernels::map_backward(be, Op{}, x, y, dy, dx, batch * size);
    }
  };
};

// ReLU, Sigmoid and Tanh are kernels (kernels/activation.hpp holds their one definition); the
// layer only names which.
template <kernels::activation Act, const char* const& Name>
struct kernel_elementwise : same_shape {
  /// What a Dense before this layer can apply in its GEMM's epilogue (Sequential fuses them).
  static constexpr kernels::activation fused_activation = Act;

  template <Dims In>
  struct bind {
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = Name;
    /// Step by step, so a padding mask goes on past it.
    static constexpr bool keeps_mask = true;
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
    static constexpr bool in_fused_step = true;

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::activation_forward(be, Act, x, y, batch * size);
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T*, const T* y, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      // From the output alone: when Sequential fuses this layer into the Dense before it, the
      // input (the pre-activation) is never written.
      if (dx == nullptr) return;
      kernels::activation_backward_from_output(be, Act, y, dy, dx, batch * size);
    }
  };
};

inline constexpr const char* relu_name = "ReLU";
inline constexpr const char* sigmoid_name = "Sigmoid";
inline constexpr const char* tanh_name = "Tanh";
}  // namespace detail

/// max(x, 0).
struct ReLU : detail::kernel_elementwise<kernels::activation::relu, detail::relu_name> {};
/// 1 / (1 + exp(-x)): one probability per unit (binary and multi-label outputs).
struct Sigmoid : detail::kernel_elementwise<kernels::activation::sigmoid, detail::sigmoid_name> {};
/// tanh(x).
struct Tanh : detail::kernel_elementwise<kernels::activation::tanh, detail::tanh_name> {};

/// exp(x_i) / sum_j exp(x_j) over the units of each sample: a distribution over classes.
struct Softmax : detail::same_shape {
  template <Dims In>
  struct bind {
    static_assert(In.rank == 1, "Softmax: the input must be a flat vector of class scores. Fix: "
                                "put Flatten and Dense<K> before Softmax");
    static_assert(In.extent[0] >= 2,
                  "Softmax over a single unit always outputs 1.0, so nothing can be learned "
                  "[C3]. Fix: Dense<1>, Sigmoid for two classes, or Dense<K>, Softmax "
                  "for K >= 2 classes");
    static constexpr std::size_t k = In.extent[0];
    using input_shape = Shape<k>;
    using output_shape = Shape<k>;
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Softmax";
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
    static constexpr bool in_fused_step = true;

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::softmax_rows(be, x, y, batch, k);
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T*, const T* y, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      if (dx == nullptr) return;
      kernels::softmax_backward_rows(be, y, dy, dx, batch, k);
    }
  };
};

}  // namespace fitcheck::nn
