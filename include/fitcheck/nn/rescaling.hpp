// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <ratio>

#include <fitcheck/config.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Scale, class Offset>
consteval bool rescaling_params_fit() {
  constexpr bool ratios = is_std_ratio<Scale> && is_std_ratio<Offset>;
  static_assert(ratios, "Rescaling<Scale, Offset>: both must be std::ratio values (a float "
                        "cannot be a type). Fix: Rescaling<std::ratio<1, 255>> for 0..255 "
                        "pixels, Rescaling<std::ratio<1, 16>> for 0..16 digits");
  if constexpr (ratios) {
    static_assert(Scale::num != 0,
                  "Rescaling<Scale>: a scale of 0 maps every input to the offset, so the model "
                  "sees no data. Fix: the factor that brings the inputs to about [0, 1], e.g. "
                  "Rescaling<std::ratio<1, 255>>");
  }
  return true;
}

// y = x * Scale + Offset as an elementwise operation (kernels::map_forward), so that every
// backend runs it.
// The formula with the factors as values (the fused GPU step's table reads them from data).
struct rescale_formula {
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x, T scale, T offset) noexcept {
    return x * scale + offset;
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T scale) noexcept {
    return scale;
  }
};

template <class Scale, class Offset>
struct rescale_op {
  static constexpr kernels::map_formula formula = {static_cast<std::uint8_t>(map_kind::rescale),
                                                   float(Scale::num) / float(Scale::den),
                                                   float(Offset::num) / float(Offset::den)};
  template <class T>
  FITCHECK_HOST_DEVICE static T f(T x) noexcept {
    return rescale_formula::f(x, T(Scale::num) / T(Scale::den), T(Offset::num) / T(Offset::den));
  }
  template <class T>
  FITCHECK_HOST_DEVICE static T df(T, T) noexcept {
    return rescale_formula::df(T(Scale::num) / T(Scale::den));
  }
};
}  // namespace detail

/// y = x * Scale + Offset with compile-time factors [D1]: `Rescaling<std::ratio<1, 255>>`
/// maps 0..255 pixels to [0, 1]. No trainable parameters.
template <class Scale, class Offset = std::ratio<0>>
struct Rescaling : detail::same_shape {
  static_assert(detail::rescaling_params_fit<Scale, Offset>());
  /// The factor, a std::ratio.
  using scale = Scale;
  /// The offset, a std::ratio.
  using offset = Offset;

  template <Dims In>
  struct bind {
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Rescaling";
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
    static constexpr bool in_fused_step = true;

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::map_forward(be, detail::rescale_op<Scale, Offset>{}, x, y, batch * size);
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T* x, const T* y, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      if (dx != nullptr)
        kernels::map_backward(be, detail::rescale_op<Scale, Offset>{}, x, y, dy, dx, batch * size);
    }
  };
};

}  // namespace fitcheck::nn
