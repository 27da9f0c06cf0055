// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/nn/layer.hpp>

// Keras' TimeDistributed(layer): the layer applied to every step of a (steps, ...) sample with
// the same weights. A batch of B samples of T steps is, row-major, a batch of B T samples of
// one step each, so the wrapper is the layer run on B T rows: Dense over a sequence is one GEMM
// (and keeps its fused activation), a Conv2D over video frames one convolution of B T images.

namespace fitcheck::nn {

namespace detail {
// A sample without its first axis: one step's shape.
constexpr Dims step_dims(Dims in) {
  Dims d{in.rank == 0 ? 0 : in.rank - 1, {}};
  for (std::size_t i = 1; i < in.rank; ++i) d.extent[i - 1] = in.extent[i];
  return d;
}
// `steps` steps of shape `step`.
constexpr Dims with_steps(std::size_t steps, Dims step) {
  Dims d{step.rank + 1, {steps}};
  for (std::size_t i = 0; i < step.rank; ++i) d.extent[i + 1] = step.extent[i];
  return d;
}

template <std::size_t Rank>
consteval bool time_distributed_input_fits() {
  static_assert(Rank >= 2,
                "TimeDistributed<Layer>: the input must be a sequence of steps (rank 2 or more: "
                "steps first), but the layer before gives a flat vector [C1]. Fix: apply the "
                "layer itself, without TimeDistributed, or RepeatVector<N> first to make N steps "
                "of the vector");
  return true;
}
template <class Inner>
consteval bool time_distributed_layer_fits() {
  static_assert(!mask_maker<Inner> && !mask_reader<Inner> && !composite_layer<Inner>,
                "TimeDistributed<Layer>: the layer reads the steps of a sequence itself (a "
                "recurrent layer, an Embedding, Masking) or has branches of its own, so it does "
                "not apply step by step. Fix: use the layer without TimeDistributed");
  return true;
}
inline constexpr const char* time_distributed_name = "TimeDistributed";
// The layer bound to one step; a flat input (an error of its own) binds no layer, so that the
// wrapper's message comes first and alone.
struct no_step_layer {
  static constexpr std::size_t param_count = 0;
};
template <class Layer, Dims In>
using time_distributed_inner =
    std::conditional_t<(In.rank >= 2), typename Layer::template bind<step_dims(In)>,
                       no_step_layer>;
}  // namespace detail

/// Keras' `TimeDistributed(layer)`: `TimeDistributed<Dense<8>>` maps (steps, features) to
/// (steps, 8), the same Dense on every step; `TimeDistributed<Conv2D<16, 3>>` convolves each
/// frame of a (frames, height, width, channels) clip. The layer's weights, names, files and
/// penalties are its own. A padding mask passes on, step for step.
template <class Layer>
struct TimeDistributed {
  /// (steps, the layer's output for one step).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank < 2) return in;  // else already an error
    return detail::with_steps(in.extent[0], Layer::output_dims(detail::step_dims(in)));
  }

  template <Dims In>
  class bind : public detail::time_distributed_inner<Layer, In> {
    static_assert(detail::time_distributed_input_fits<In.rank>());
    using inner = detail::time_distributed_inner<Layer, In>;
    static_assert(detail::time_distributed_layer_fits<inner>());

  public:
    using input_shape = shape_t<In>;
    using output_shape = shape_t<output_dims(In)>;
    /// The steps of one sample: the rows each sample becomes for the layer.
    static constexpr std::size_t steps = In.extent[0];
    /// The shape of one step: what the layer itself is bound to.
    static constexpr Dims step_dims = detail::step_dims(In);
    static constexpr const char* name = detail::time_distributed_name;
    /// Step by step, so a padding mask goes on past it.
    static constexpr bool keeps_mask = true;
    /// The layer's workspace per sample, for every step.
    static constexpr std::size_t sample_workspace_floats = [] {
      if constexpr (requires { inner::sample_workspace_floats; })
        return inner::sample_workspace_floats * steps;
      else
        return std::size_t{0};
    }();
    /// The layer's device workspace for `batch` samples of `steps` steps.
    static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
      if constexpr (requires { inner::device_workspace_floats(batch); })
        return inner::device_workspace_floats(batch * steps);
      else
        return 0;
    }

    /// Sizes the layer's buffers for `max_batch` samples: max_batch steps x steps rows.
    void reserve(std::size_t max_batch)
      requires requires(inner& l) { l.reserve(max_batch); }
    {
      inner::reserve(max_batch * steps);
    }
    /// The layer on batch x steps rows (a fused activation or a backend passes through).
    template <class T, class... Rest>
    void forward(const T* params, const T* x, T* y, std::size_t batch, mode m, Rest&&... rest) {
      inner::forward(params, x, y, batch * steps, m, std::forward<Rest>(rest)...);
    }
    /// The layer's backward on batch x steps rows; its parameter gradients sum over the steps.
    template <class T, class... Rest>
    void backward(const T* params, const T* x, const T* y, const T* dy, T* dx, T* dparams,
                  std::size_t batch, Rest&&... rest) {
      inner::backward(params, x, y, dy, dx, dparams, batch * steps, std::forward<Rest>(rest)...);
    }
  };
};

}  // namespace fitcheck::nn
