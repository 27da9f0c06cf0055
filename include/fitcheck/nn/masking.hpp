// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/nn/layer.hpp>
#include <ratio>

namespace fitcheck::nn {

namespace detail {
template <class Value, std::size_t Rank>
consteval bool masking_fits() {
  static_assert(is_std_ratio<Value>,
                "Masking<Value>: Value must be a std::ratio (a float cannot be a type). Fix: "
                "Masking<> for 0, Masking<std::ratio<-1>> for -1");
  static_assert(Rank == 2,
                "Masking takes (timesteps, features) samples (rank 2): a step whose features all "
                "equal the mask value is padding; the layer before gives another rank [C1]. Fix: "
                "Input<Timesteps, Features>, or Embedding<V, D, fc::mask_zero> for token indices");
  return true;
}
}  // namespace detail

/// Keras' `Masking(mask_value)`: over (timesteps, features) samples, a step whose features all
/// equal `Value` (a std::ratio, 0 by default) is padding. The layer passes the data steps on,
/// zeroes the padded ones (as Keras), and the recurrent layers and GlobalAveragePooling1D after
/// it skip them, as after `Embedding<V, D, mask_zero>` (models.md, Masking padded sequences): for
/// sequences of feature vectors padded to one length. No parameters; host CPU only.
template <class Value = std::ratio<0>>
struct Masking {
  /// The input's shape (after the rank error, a sequence of one feature: one diagnostic, not a
  /// second from the layer after it).
  static constexpr Dims output_dims(Dims in) {
    return in.rank == 2 ? in : Dims{2, {in.size(), 1}};
  }

  template <Dims In>
  struct bind {
    static_assert(detail::masking_fits<Value, In.rank>());
    using input_shape = shape_t<In>;
    using output_shape = shape_t<output_dims(In)>;
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Masking";
    /// Its input is the mask of the layers after it.
    static constexpr bool makes_mask = true;
    /// The value of every feature of a padded step.
    static constexpr double mask_value = detail::ratio_value<Value>();

    /// The data steps as they are, the padded ones 0.
    template <class T>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode) const noexcept {
      for (std::size_t s = 0; s < batch * steps; ++s) {
        const bool data = holds_data(x + s * features);
        for (std::size_t f = 0; f < features; ++f)
          y[s * features + f] = data ? x[s * features + f] : T(0);
      }
    }
    /// dy to the data steps, 0 to the padded ones.
    template <class T>
    void backward(const T*, const T* x, const T*, const T* dy, T* dx, T*,
                  std::size_t batch) const noexcept {
      if (dx == nullptr) return;
      for (std::size_t s = 0; s < batch * steps; ++s) {
        const bool data = holds_data(x + s * features);
        for (std::size_t f = 0; f < features; ++f)
          dx[s * features + f] = data ? dy[s * features + f] : T(0);
      }
    }

   private:
    static constexpr std::size_t steps = In.extent[0];
    static constexpr std::size_t features = In.rank == 2 ? In.extent[1] : 1;
    template <class T>
    static bool holds_data(const T* step) noexcept {
      for (std::size_t f = 0; f < features; ++f)
        if (step[f] != static_cast<T>(mask_value)) return true;
      return false;
    }
  };
};

}  // namespace fitcheck::nn
