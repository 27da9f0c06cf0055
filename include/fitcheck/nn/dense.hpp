// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>
#include <span>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

/// Kernel initialisers (Keras names). Biases start at zero.
enum class initializer : std::uint8_t {
  glorot_uniform,  ///< U(-l, l), l = sqrt(6 / (in + out)): Keras' default
  he_uniform,      ///< U(-l, l), l = sqrt(6 / in): for ReLU networks
  lecun_uniform,   ///< U(-l, l), l = sqrt(3 / in)
  zeros,
};

/// Marks an input width left to inference.
inline constexpr std::size_t inferred = 0;

namespace detail {
/// The bound l of the uniform initialiser `init`, U(-l, l), for a kernel with these fans
/// (Keras' formulas; 0 for zeros).
inline double uniform_limit(initializer init, double fan_in, double fan_out) noexcept {
  switch (init) {
    case initializer::glorot_uniform: return std::sqrt(6.0 / (fan_in + fan_out));
    case initializer::he_uniform: return std::sqrt(6.0 / fan_in);
    case initializer::lecun_uniform: return std::sqrt(3.0 / fan_in);
    case initializer::zeros: return 0.0;
  }
  return 0.0;
}

// Both widths as template arguments, so that the line after the sentence shows them (pinned ==
// given).
template <std::size_t Pinned, std::size_t Given>
consteval bool dense_widths_agree() {
  static_assert(Pinned == Given,
                "Dense<Units, InputWidth>: the pinned input width differs from the width the "
                "layer before gives [C1] (pinned == given, below). Fix: make the widths agree, "
                "or leave the input width to inference: Dense<Units>");
  return true;
}

template <std::size_t Pinned, Dims In>
consteval bool dense_input_fits() {
  static_assert(In.rank == 1,
                "Dense: the input must be a flat vector (rank 1), but the layer before gives a "
                "rank-2 or higher sample [C1] (its position and shape are in the lines above). "
                "Fix: put Flatten before Dense, or GlobalAveragePooling2D after convolutions; "
                "TimeDistributed<Dense<N>> applies it to every step of a sequence");
  if constexpr (In.rank == 1 && Pinned != inferred) static_assert(dense_widths_agree<Pinned, In.extent[0]>());
  return true;
}
}  // namespace detail

/// A fully connected layer, `Units` outputs: y = x W + b, W of shape (in, Units) as in Keras.
/// `InputWidth` pins the input width (checked against inference); `Init` picks the kernel
/// initialiser.
template <std::size_t Units, std::size_t InputWidth = inferred, initializer Init = initializer::glorot_uniform>
struct Dense {
  static_assert(Units >= 1, "Dense<0>: a layer needs at least one unit. Fix: Dense<N>, N >= 1");

  /// Units values per sample.
  static constexpr Dims output_dims(Dims) { return Dims{1, {Units}}; }

  template <Dims In>
  struct bind {
    static_assert(detail::dense_input_fits<InputWidth, In>());
    static constexpr std::size_t in = In.extent[0];
    static constexpr std::size_t out = Units;
    using input_shape = Shape<in>;
    using output_shape = Shape<out>;
    static constexpr std::size_t param_count = in * out + out;
    static constexpr const char* name = "Dense";
    /// Sequential runs a ReLU, Sigmoid or Tanh after this layer in its GEMM's epilogue.
    static constexpr bool fuses_activation = true;
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
    static constexpr bool in_fused_step = true;

    /// Offsets in the layer's slice: the kernel (in x out, row-major), then the bias.
    static constexpr std::size_t kernel_offset = 0;
    static constexpr std::size_t bias_offset = in * out;
    /// Keras' weights: kernel (in, out), bias (out).
    static constexpr std::array<tensor_spec, 2> tensors = {
        {{"kernel", false, kernel_offset, 2, {in, out}}, {"bias", false, bias_offset, 1, {out}}}};

    void init(std::span<float> p, Rng& rng) const {
      const double limit = detail::uniform_limit(Init, double(in), double(out));
      for (std::size_t i = 0; i < in * out; ++i)
        p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
      for (std::size_t i = bias_offset; i < param_count; ++i) p[i] = 0.0f;
    }

    /// y = act(x W + b): bias and activation in the GEMM's epilogue. `act` is not identity
    /// when Sequential fuses the activation layer after this one into it.
    template <class T, class Backend = cpu_t>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {},
                 kernels::activation act = kernels::activation::identity) const
        noexcept(is_host_backend<Backend>) {
      kernels::gemm(be, {kernels::trans::no, kernels::trans::no, batch, out, in}, T(1), x, in,
                    p + kernel_offset, out, T(0), y, out,
                    kernels::epilogue<T>{.bias = p + bias_offset, .act = act});
    }

    /// dW = x^T dy, db = column sums of dy, dx = (dy W^T) * f'(x). `input_act` is f when
    /// Sequential fuses the backward of the activation layer before this one (x = f(z) is that
    /// layer's output, and dx then is dL/dz); identity otherwise.
    template <class T, class Backend = cpu_t>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                  Backend be = {},
                  kernels::activation input_act = kernels::activation::identity) const
        noexcept(is_host_backend<Backend>) {
      kernels::gemm(be, {kernels::trans::yes, kernels::trans::no, in, out, batch}, T(1), x, in,
                    dy, out, T(0), dp + kernel_offset, out);
      kernels::column_sums(be, dy, dp + bias_offset, batch, out);
      if (dx != nullptr)
        kernels::gemm(be, {kernels::trans::no, kernels::trans::yes, batch, in, out}, T(1), dy,
                      out, p + kernel_offset, out, T(0), dx, in,
                      kernels::epilogue<T>{.dact = input_act, .y = x, .ldy = in});
    }
  };
};

}  // namespace fitcheck::nn
