// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/regularize.hpp>

// The layer contract.
//
// What a user writes in a Sequential (`Dense<128>`, `ReLU`) is a layer *spec*: it does not know
// its input shape. A spec L provides
//   static constexpr Dims output_dims(Dims in)   shape inference
//   template <Dims In> using bind = ...;          the concrete layer for that input shape; its
//                                                  static_asserts reject inputs it cannot take
// A concrete layer B provides
//   input_shape, output_shape                      Shape types
//   static constexpr std::size_t param_count       trainable values, stored by the model in one
//                                                  contiguous buffer (B gets its slice)
//   static constexpr const char* name              for messages ("Dense", "ReLU")
//   void init(std::span<float> params, Rng&)       initial values (only if param_count > 0)
//   forward<T>(params, x, y, batch, mode)          y = f(x), row-major (batch, size) buffers
//   backward<T>(params, x, y, dy, dx, dparams, batch)
//                                                  dparams := dL/dparams (overwritten), and
//                                                  dx := dL/dx unless dx is null (first layer)
//   optionally void reserve(std::size_t max_batch) workspace sized once (e.g. a dropout mask)
//   optionally, for the memory plan, the workspace it keeps:
//     static constexpr std::size_t workspace_floats          at any batch (Conv2D's blocks)
//     static constexpr std::size_t sample_workspace_floats   per sample (LSTM's steps)
//   optionally, non-trainable state that save_weights keeps (Normalization's statistics):
//     static constexpr std::size_t state_count     values, as double
//     void save_state(std::span<double>) const     writes state_count values
//     void load_state(std::span<const double>)     reads them back; throws data_error naming the
//                                                  value it refuses and then changes nothing
//   optionally, its parameters and state as tensors with Keras' names and shapes, for weight
//   exchange (io/safetensors.hpp; without it they are exported flat):
//     static constexpr std::array<tensor_spec, N> tensors
//   optionally, a random stream training draws from (Dropout's masks), which a training backup
//   keeps so that a resumed run draws what the uninterrupted one would have:
//     Rng& random_stream() / const Rng& random_stream() const
//   optionally, Keras' masking of padded steps (Embedding<V, D, mask_zero> reads token 0 as
//   padding, Masking a step whose features all equal its value; the mask travels beside the
//   activations, never in them):
//     static constexpr bool makes_mask = true    its input is the mask (Embedding, Masking): a
//       static constexpr double mask_value       step whose values all equal mask_value is padding
//     static constexpr bool reads_mask = true    forward and backward take a last argument
//                                                step_mask<T> and skip the padded steps (LSTM,
//                                                GRU, Bidirectional, GlobalAveragePooling1D)
//     static constexpr bool keeps_mask = true    its output's steps are its input's, so the mask
//                                                goes on to the next layer (activations, Dropout,
//                                                a recurrent layer returning sequences)
//   Sequential refuses at compile time a mask that reaches a layer doing neither, or the output.
//   optionally, networks of its own (a merge block's branches, nn/merge.hpp), whose layers the
//   weight files, safetensors and the summary name inside it:
//     static constexpr std::size_t branch_count
//     template <std::size_t B> using branch_network_t   branch B's network (Sequential's
//                                                     interface), void for the input itself
//     static constexpr std::array<std::size_t, branch_count + 1> branch_param_offsets,
//                                                     branch_state_offsets   in its own
//   optionally, weight penalties that join the loss (Regularized, nn/regularizers.hpp; a merge
//   block gathers its branches'):
//     static constexpr std::array<kernels::penalty, N> penalties   slices of its parameters
// forward/backward are templates over the element type so that gradient checks run in double;
// the model runs float. They must not allocate, and must not write their input x (the model
// hands the first layer the batch's own buffer). A minimal conforming layer is the `Identity`
// in tests/static/nn/minimal_layer.cpp.

namespace fitcheck::nn {

/// Training applies dropout and updates batch statistics; inference does neither.
enum class mode : std::uint8_t { training, inference };

template <class B>
concept bound_layer = requires {
  typename B::input_shape;
  typename B::output_shape;
  { B::param_count } -> std::convertible_to<std::size_t>;
  { B::name } -> std::convertible_to<const char*>;
} && static_shape<typename B::input_shape> && static_shape<typename B::output_shape>;

/// A bound layer with non-trainable state that travels with its weights (see the contract).
template <class B>
concept stateful_layer =
    requires(const B& c, B& b, std::span<double> out, std::span<const double> in) {
      { B::state_count } -> std::convertible_to<std::size_t>;
      c.save_state(out);
      b.load_state(in);
    };

/// Values of non-trainable state of bound layer B (0 for a stateless layer).
template <class B>
inline constexpr std::size_t state_count_of = [] {
  if constexpr (stateful_layer<B>) return std::size_t{B::state_count};
  else return std::size_t{0};
}();

/// A parameter or state tensor of a layer, named and shaped as Keras names and shapes it: what
/// the layer gives other frameworks (io/safetensors.hpp).
struct tensor_spec {
  const char* name = "";             ///< "kernel", "bias", "gamma", "moving_mean", ...
  bool state = false;                ///< in the layer's state (double), else its parameters
  std::size_t offset = 0;            ///< its first value in the layer's parameters or state
  std::size_t rank = 0;              ///< 0 for a scalar
  std::array<std::size_t, 4> shape{};  ///< its extents, the first `rank` of them
};

/// A bound layer that names its tensors (see the contract).
template <class B>
concept named_tensors = requires {
  { B::tensors.size() } -> std::convertible_to<std::size_t>;
  { B::tensors[0] } -> std::convertible_to<tensor_spec>;
};

/// A bound layer that draws from a random stream while training (see the contract).
template <class B>
concept random_layer = requires(B& b, const B& c) {
  { b.random_stream() } -> std::same_as<Rng&>;
  { c.random_stream() } -> std::same_as<const Rng&>;
};

/// Which steps of each sample hold data (Keras' mask): a view of the input of the layer that
/// makes the mask, (batch, steps, width), where a step whose `width` values all equal `padding`
/// is padding: an `Embedding(mask_zero=True)`'s token 0 (width 1), a `Masking` layer's vector of
/// mask values. Empty (no values): every step holds data.
template <class T>
struct step_mask {
  const T* values = nullptr;  ///< (batch, steps, width) values; null: no mask
  std::size_t steps = 0;      ///< steps per sample
  bool reversed = false;      ///< step s is the sample's step steps - 1 - s (a backward layer)
  std::size_t width = 1;      ///< values per step
  T padding = T(0);           ///< the value of padding

  /// False when there is no mask.
  [[nodiscard]] bool active() const noexcept { return values != nullptr; }
  /// Whether step s of sample b holds data.
  [[nodiscard]] bool operator()(std::size_t b, std::size_t s) const noexcept {
    if (values == nullptr) return true;
    const T* at = values + (b * steps + (reversed ? steps - 1 - s : s)) * width;
    for (std::size_t i = 0; i < width; ++i)
      if (at[i] != padding) return true;
    return false;
  }
  /// The same mask read from the last step to the first.
  [[nodiscard]] step_mask reverse() const noexcept {
    return {values, steps, !reversed, width, padding};
  }
  /// The mask of the samples from `first` on.
  [[nodiscard]] step_mask from(std::size_t first) const noexcept {
    return {values == nullptr ? nullptr : values + first * steps * width, steps, reversed, width,
            padding};
  }
};

/// A bound layer whose input tokens are a padding mask (see the contract).
template <class B>
concept mask_maker = requires { requires B::makes_mask; };
/// A bound layer that skips padded steps (see the contract).
template <class B>
concept mask_reader = requires { requires B::reads_mask; };
/// A bound layer that hands the mask of its input on to the next layer (see the contract).
template <class B>
concept mask_keeper = requires { requires B::keeps_mask; };

/// A bound layer with networks of its own (see the contract).
template <class B>
concept composite_layer = requires {
  { B::branch_count } -> std::convertible_to<std::size_t>;
  B::branch_param_offsets;
  B::branch_state_offsets;
};

/// The weight penalties of bound layer B (none for most layers; see the contract).
template <class B>
inline constexpr std::size_t penalty_count_of = [] {
  if constexpr (requires { B::penalties.size(); }) return std::size_t{B::penalties.size()};
  else return std::size_t{0};
}();

template <class L>
concept layer_spec = requires(Dims d) {
  { L::output_dims(d) } -> std::same_as<Dims>;
};

namespace detail {
/// True for a std::ratio: how a layer takes a real hyperparameter as a type (a float cannot be
/// a template argument in the compilers fitcheck supports).
template <class Value>
inline constexpr bool is_std_ratio = requires {
  Value::num;
  Value::den;
};
/// The value of a std::ratio (0 for anything else, after the layer's static_assert said so).
template <class Value>
constexpr double ratio_value() noexcept {
  if constexpr (is_std_ratio<Value>)
    return static_cast<double>(Value::num) / static_cast<double>(Value::den);
  else
    return 0.0;
}

/// Elementwise layers keep the shape of their input.
struct same_shape {
  static constexpr Dims output_dims(Dims in) { return in; }
};
}  // namespace detail

}  // namespace fitcheck::nn
