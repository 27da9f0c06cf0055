// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
/// The same values under another shape (Flatten, Reshape). Every layer writes its own output
/// buffer, so even a reshape copies.
template <Dims In, Dims Out, const char* const& Name>
struct reshape_layer {
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr std::size_t size = In.size();
  static constexpr std::size_t param_count = 0;
  static constexpr const char* name = Name;
  /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
  static constexpr bool in_fused_step = true;

  template <class T, class Backend = cpu_t>
  void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
      noexcept(is_host_backend<Backend>) {
    kernels::copy_values(be, x, y, batch * size);
  }
  template <class T, class Backend = cpu_t>
  void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    if (dx != nullptr) kernels::copy_values(be, dy, dx, batch * size);
  }
};

inline constexpr const char* flatten_name = "Flatten";
}  // namespace detail

/// (d0, d1, ...) -> (d0 * d1 * ...): a sample becomes one vector, e.g. before Dense. Buffers
/// are row-major, so the values themselves do not move.
struct Flatten {
  /// One dimension of in.size() values.
  static constexpr Dims output_dims(Dims in) { return Dims{1, {in.size()}}; }

  template <Dims In>
  struct bind : detail::reshape_layer<In, output_dims(In), detail::flatten_name> {};
};

}  // namespace fitcheck::nn
