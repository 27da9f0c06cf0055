// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/window.hpp>

// Pooling layers: one bound layer over the pooling kernels, named by the spec. Global pooling is
// the window that covers the whole image.

namespace fitcheck::nn {

namespace detail {

template <kernels::conv_geometry G, Dims In, Dims Out, kernels::pool Kind, const char* const& Name>
struct pool_layer {
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr std::size_t param_count = 0;
  static constexpr const char* name = Name;

  template <class T, class Backend = cpu_t>
  void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
      noexcept(is_host_backend<Backend>) {
    kernels::pool2d_forward(be, Kind, at(batch), x, y);
  }
  template <class T, class Backend = cpu_t>
  void backward(const T*, const T* x, const T* y, const T* dy, T* dx, T*, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    if (dx != nullptr) kernels::pool2d_backward(be, Kind, at(batch), x, y, dy, dx);
  }

private:
  static constexpr kernels::conv_geometry at(std::size_t batch) noexcept {
    kernels::conv_geometry g = G;
    g.batch = batch;
    return g;
  }
};

template <Window Pool, Window Strides, padding Pad, kernels::pool Kind, const char* const& Name>
struct pool2d {
  static_assert(window_arguments_fit<Pool.rows * Pool.cols, Strides.rows * Strides.cols, 1>());

  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return in;
    const auto g = window_geometry(in, Pool, Strides, 1, Pad);
    return Dims{3, {g.oh == 0 ? 1 : g.oh, g.ow == 0 ? 1 : g.ow, in.extent[2]}};
  }

  template <Dims In>
  struct bind
      : pool_layer<window_geometry(In, Pool, Strides, 1, Pad), In, output_dims(In), Kind, Name> {
    static_assert(window_layer_fits<In, Pool, Strides, 1, Pad>());
  };
};

template <std::size_t Pool, std::size_t Strides, padding Pad, kernels::pool Kind,
          const char* const& Name>
struct pool1d {
  static_assert(window_arguments_fit<Pool, Strides, 1>());

  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return in;
    const auto g = window_geometry(as_image(in), Window{1, Pool}, Window{1, Strides}, 1, Pad);
    return Dims{2, {g.ow == 0 ? 1 : g.ow, in.extent[1]}};
  }

  template <Dims In>
  struct bind : pool_layer<window_geometry(as_image(In), Window{1, Pool}, Window{1, Strides}, 1, Pad),
                           In, output_dims(In), Kind, Name> {
    static_assert(sequence_input_fits<In.rank>());
    static_assert(In.rank != 2 ||
                  window_layer_fits<as_image(In), Window{1, Pool}, Window{1, Strides}, 1, Pad>());
  };
};

template <std::size_t Rank, std::size_t InRank>
consteval bool global_pool_input_fits() {
  if constexpr (Rank == 2) return sequence_input_fits<InRank>();
  else return image_input_fits<InRank>();
}

// The whole (height, width) as one window: (h, w, c) -> (c), or (length, c) -> (c).
template <kernels::pool Kind, const char* const& Name, std::size_t Rank>
struct global_pool {
  static constexpr Dims output_dims(Dims in) {
    return Dims{1, {in.rank == Rank ? in.extent[Rank - 1] : 1}};
  }
  static constexpr Dims image(Dims in) noexcept {
    return Rank == 2 ? as_image(in) : in;
  }

  template <Dims In>
  struct bind : pool_layer<window_geometry(image(In), Window{image(In).extent[0], image(In).extent[1]},
                                           1, 1, padding::valid),
                           In, output_dims(In), Kind, Name> {
    static_assert(global_pool_input_fits<Rank, In.rank>());
  };
};

inline constexpr const char* max_pooling_2d_name = "MaxPooling2D";
inline constexpr const char* average_pooling_2d_name = "AveragePooling2D";
inline constexpr const char* max_pooling_1d_name = "MaxPooling1D";
inline constexpr const char* average_pooling_1d_name = "AveragePooling1D";
inline constexpr const char* global_average_pooling_2d_name = "GlobalAveragePooling2D";
inline constexpr const char* global_max_pooling_2d_name = "GlobalMaxPooling2D";
inline constexpr const char* global_average_pooling_1d_name = "GlobalAveragePooling1D";
inline constexpr const char* global_max_pooling_1d_name = "GlobalMaxPooling1D";

}  // namespace detail

/// The maximum of each `Pool` window per channel, Keras' `MaxPooling2D(pool_size, strides,
/// padding)`; strides default to the window. Its gradient goes to the first maximal element.
template <Window Pool = 2, Window Strides = Pool, padding Pad = padding::valid>
struct MaxPooling2D : detail::pool2d<Pool, Strides, Pad, kernels::pool::max,
                                     detail::max_pooling_2d_name> {};

/// The mean of each `Pool` window per channel, Keras' `AveragePooling2D`; with padding::same a
/// window at the border averages only its in-bounds values (as Keras).
template <Window Pool = 2, Window Strides = Pool, padding Pad = padding::valid>
struct AveragePooling2D : detail::pool2d<Pool, Strides, Pad, kernels::pool::average,
                                         detail::average_pooling_2d_name> {};

/// MaxPooling2D's 1-D twin over (length, channels) samples.
template <std::size_t Pool = 2, std::size_t Strides = Pool, padding Pad = padding::valid>
struct MaxPooling1D : detail::pool1d<Pool, Strides, Pad, kernels::pool::max,
                                     detail::max_pooling_1d_name> {};

/// AveragePooling2D's 1-D twin over (length, channels) samples.
template <std::size_t Pool = 2, std::size_t Strides = Pool, padding Pad = padding::valid>
struct AveragePooling1D : detail::pool1d<Pool, Strides, Pad, kernels::pool::average,
                                         detail::average_pooling_1d_name> {};

/// (height, width, channels) -> (channels): the mean of each channel over the image.
struct GlobalAveragePooling2D
    : detail::global_pool<kernels::pool::average, detail::global_average_pooling_2d_name, 3> {};
/// (height, width, channels) -> (channels): the maximum of each channel over the image.
struct GlobalMaxPooling2D
    : detail::global_pool<kernels::pool::max, detail::global_max_pooling_2d_name, 3> {};
/// (length, channels) -> (channels): the mean of each channel over the sequence; after an
/// Embedding with mask_zero, over the steps that hold data (Keras' masked mean), and 0 for a
/// sample that is all padding (where Keras divides by zero).
struct GlobalAveragePooling1D {
  /// The layer without a mask.
  using unmasked =
      detail::global_pool<kernels::pool::average, detail::global_average_pooling_1d_name, 2>;
  /// (length, c) to (c).
  static constexpr Dims output_dims(Dims in) { return unmasked::output_dims(in); }

  template <Dims In>
  struct bind : unmasked::template bind<In> {
    using base = typename unmasked::template bind<In>;
    using base::backward;
    using base::forward;
    /// Averages only the steps that hold data.
    static constexpr bool reads_mask = true;

    /// The mean over the steps the mask keeps.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m,
                 step_mask<T> mask) const {
      if (!mask.active()) return base::forward(p, x, y, batch, m);
      for (std::size_t b = 0; b < batch; ++b) {
        T* out = y + b * channels;
        for (std::size_t c = 0; c < channels; ++c) out[c] = T(0);
        for (std::size_t t = 0; t < steps; ++t)
          if (mask(b, t))
            for (std::size_t c = 0; c < channels; ++c) out[c] += x[(b * steps + t) * channels + c];
        const std::size_t kept = count(mask, b);
        for (std::size_t c = 0; c < channels; ++c) out[c] = kept > 0 ? out[c] / T(kept) : T(0);
      }
    }
    /// dy / (steps kept) to every kept step, 0 to the padding.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp,
                  std::size_t batch, step_mask<T> mask) const {
      if (!mask.active()) return base::backward(p, x, y, dy, dx, dp, batch);
      if (dx == nullptr) return;
      for (std::size_t b = 0; b < batch; ++b) {
        const std::size_t kept = count(mask, b);
        for (std::size_t t = 0; t < steps; ++t)
          for (std::size_t c = 0; c < channels; ++c)
            dx[(b * steps + t) * channels + c] =
                mask(b, t) ? dy[b * channels + c] / T(kept) : T(0);
      }
    }

   private:
    static constexpr std::size_t steps = In.extent[0], channels = In.extent[1];
    template <class T>
    static std::size_t count(step_mask<T> mask, std::size_t b) {
      std::size_t kept = 0;
      for (std::size_t t = 0; t < steps; ++t) kept += mask(b, t) ? 1 : 0;
      return kept;
    }
  };
};
/// (length, channels) -> (channels): the maximum of each channel over the sequence.
struct GlobalMaxPooling1D
    : detail::global_pool<kernels::pool::max, detail::global_max_pooling_1d_name, 2> {};

}  // namespace fitcheck::nn
