// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/window.hpp>

namespace fitcheck::nn {

namespace detail {
inline constexpr const char* reshape_name = "Reshape";

template <std::size_t Given, std::size_t Wanted>
consteval bool reshape_sizes_agree() {
  static_assert(Given == Wanted,
                "Reshape<...>: the new shape holds a different number of values than the layer "
                "before gives [C1] (given == wanted, below). Fix: extents whose product is the "
                "input's size, e.g. Reshape<28, 28, 1> after a 784-value input");
  return true;
}
}  // namespace detail

/// Keras' `Reshape(target_shape)`: the same values, row-major, as `Reshape<28, 28, 1>`.
template <std::size_t... Extents>
struct Reshape {
  static_assert(sizeof...(Extents) >= 1 && sizeof...(Extents) <= Dims::max_rank,
                "Reshape<...>: between 1 and 4 extents. Fix: Reshape<28, 28, 1>");
  static_assert(((Extents >= 1) && ...),
                "Reshape<...>: every extent must be at least 1. Fix: give each dimension its "
                "real extent");

  /// (Extents...).
  static constexpr Dims output_dims(Dims) { return Dims{sizeof...(Extents), {Extents...}}; }

  template <Dims In>
  struct bind : detail::reshape_layer<In, output_dims(In), detail::reshape_name> {
    static_assert(detail::reshape_sizes_agree<In.size(), (std::size_t{1} * ... * Extents)>());
  };
};

/// Keras' `ZeroPadding2D(padding)`: zero rows and columns around each (height, width, channels)
/// sample. `ZeroPadding2D<1>` pads 1 on every side, `ZeroPadding2D<Rows, Cols>` symmetric rows
/// and columns, `ZeroPadding2D<Top, Bottom, Left, Right>` each side: Keras' int, tuple and
/// tuple of tuples.
template <std::size_t... Pad>
struct ZeroPadding2D {
  static_assert(sizeof...(Pad) == 1 || sizeof...(Pad) == 2 || sizeof...(Pad) == 4,
                "ZeroPadding2D<...>: 1 value (every side), 2 (rows, columns) or 4 (top, bottom, "
                "left, right). Fix: ZeroPadding2D<1> or ZeroPadding2D<1, 2>");
  /// The i-th value as written.
  static constexpr std::size_t side(std::size_t i) {
    constexpr std::size_t given[] = {Pad...};
    return given[i];
  }
  /// How many values were written: 1, 2 or 4.
  static constexpr std::size_t count = sizeof...(Pad);
  static constexpr std::size_t top = side(0);                           ///< zero rows above
  static constexpr std::size_t bottom = count == 4 ? side(1) : top;       ///< zero rows below
  static constexpr std::size_t left = count == 1 ? top : side(count / 2);  ///< zero columns left
  static constexpr std::size_t right = count == 4 ? side(3) : left;       ///< zero columns right

  /// The padded (rows, columns, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return in;
    return Dims{3, {in.extent[0] + top + bottom, in.extent[1] + left + right, in.extent[2]}};
  }

  template <Dims In>
  struct bind {
    static_assert(detail::image_input_fits<In.rank>());
    using input_shape = shape_t<In>;
    using output_shape = shape_t<output_dims(In)>;
    static constexpr std::size_t h = In.extent[0], w = In.extent[1], c = In.extent[2];
    static constexpr std::size_t ow = w + left + right;
    static constexpr std::size_t out_size = output_shape::size;
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "ZeroPadding2D";

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::pad2d_forward(be, at(batch), x, y);
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      if (dx != nullptr) kernels::pad2d_backward(be, at(batch), dy, dx);
    }

  private:
    static constexpr kernels::conv_geometry at(std::size_t batch) noexcept {
      return {.batch = batch, .h = h, .w = w, .c = c, .pad_top = top, .pad_left = left,
              .oh = h + top + bottom, .ow = ow};
    }
  };
};

/// How UpSampling2D fills the pixels between its inputs (Keras' `interpolation`).
enum class interpolation : std::uint8_t {
  nearest,   ///< each input pixel repeated (Keras' default)
  bilinear,  ///< the four nearest inputs blended, half-pixel centres
};

namespace detail {
template <std::size_t Rows, std::size_t Cols>
consteval bool upsampling_size_fits() {
  static_assert(Rows >= 1 && Cols >= 1,
                "UpSampling1D / UpSampling2D: a size of 0 repeats each value no times, leaving "
                "nothing. Fix: a size of at least 1, e.g. UpSampling2D<2> to double the height "
                "and width");
  return true;
}

// Upsampling of a (height, width, channels) image, or of a (length, channels) sequence as a
// one-row image.
template <Dims In, Window Size, interpolation Interpolation, const char* const& Name>
struct upsampling_layer {
  using input_shape = shape_t<In>;
  static constexpr Dims image = as_image(In);
  static constexpr Dims out_dims =
      In.rank == 2 ? Dims{2, {In.extent[0] * Size.cols, In.extent[1]}}
                   : Dims{3, {In.extent[0] * Size.rows, In.extent[1] * Size.cols, In.extent[2]}};
  using output_shape = shape_t<out_dims>;
  static constexpr std::size_t param_count = 0;
  static constexpr const char* name = Name;

  template <class T, class Backend = cpu_t>
  void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
      noexcept(is_host_backend<Backend>) {
    if constexpr (Interpolation == interpolation::bilinear)
      kernels::upsample2d_bilinear_forward(be, at(batch), x, y);
    else
      kernels::upsample2d_forward(be, at(batch), x, y);
  }
  template <class T, class Backend = cpu_t>
  void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    if (dx == nullptr) return;
    if constexpr (Interpolation == interpolation::bilinear)
      kernels::upsample2d_bilinear_backward(be, at(batch), dy, dx);
    else
      kernels::upsample2d_backward(be, at(batch), dy, dx);
  }

 private:
  static constexpr kernels::conv_geometry at(std::size_t batch) noexcept {
    return {.batch = batch, .h = image.extent[0], .w = image.extent[1], .c = image.extent[2],
            .kh = Size.rows, .kw = Size.cols, .oh = image.extent[0] * Size.rows,
            .ow = image.extent[1] * Size.cols};
  }
};
inline constexpr const char* upsampling_2d_name = "UpSampling2D";
inline constexpr const char* upsampling_1d_name = "UpSampling1D";
}  // namespace detail

/// Keras' `UpSampling2D(size, interpolation)`: a (height, width, channels) sample enlarged
/// `Size.rows` times down and `Size.cols` times across, `UpSampling2D<2>` doubling both (a
/// decoder's, a U-Net's way up). With `interpolation::nearest` (Keras' default) each pixel is
/// repeated and its gradient sums the copies'; with `interpolation::bilinear` each output blends
/// the four nearest inputs, with half-pixel centres (TensorFlow's resize, PyTorch's
/// align_corners=False).
template <Window Size = 2, interpolation Interpolation = interpolation::nearest>
struct UpSampling2D {
  static_assert(detail::upsampling_size_fits<Size.rows, Size.cols>());
  /// (height Size.rows, width Size.cols, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3 || Size.rows == 0 || Size.cols == 0) return in;  // else already an error
    return Dims{3, {in.extent[0] * Size.rows, in.extent[1] * Size.cols, in.extent[2]}};
  }
  template <Dims In>
  struct bind : detail::upsampling_layer<In, Size, Interpolation, detail::upsampling_2d_name> {
    static_assert(detail::image_input_fits<In.rank>());
  };
};

/// Keras' `UpSampling1D(size)`: each step of a (length, channels) sample repeated `Size` times.
template <std::size_t Size = 2>
struct UpSampling1D {
  static_assert(detail::upsampling_size_fits<Size, Size>());
  /// (length Size, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2 || Size == 0) return in;  // else already an error
    return Dims{2, {in.extent[0] * Size, in.extent[1]}};
  }
  template <Dims In>
  struct bind : detail::upsampling_layer<In, Window{1, Size}, interpolation::nearest,
                                         detail::upsampling_1d_name> {
    static_assert(detail::sequence_input_fits<In.rank>());
  };
};

namespace detail {
template <std::size_t Rank, std::size_t N>
consteval bool repeat_vector_fits() {
  static_assert(N >= 1, "RepeatVector<0> repeats the vector no times, leaving nothing. Fix: "
                        "RepeatVector<N> with N >= 1, the steps the next layer reads");
  static_assert(Rank == 1,
                "RepeatVector<N>: the input must be a flat vector (rank 1), but the layer before "
                "gives a rank-2 or higher sample [C1]. Fix: Flatten (or an LSTM without "
                "return_sequences) before it");
  return true;
}
inline constexpr const char* repeat_vector_name = "RepeatVector";
}  // namespace detail

/// Keras' `RepeatVector(n)`: a vector of F values to (N, F), N copies of it: the bridge from an
/// encoder's summary vector to a decoder that reads steps (an LSTM autoencoder's
/// `LSTM<64>, RepeatVector<T>, LSTM<64, return_sequences>, TimeDistributed<Dense<F>>`). Its
/// gradient sums the copies'.
template <std::size_t N>
struct RepeatVector {
  /// (N, features).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 1) return in;  // else already an error
    return Dims{2, {N, in.extent[0]}};
  }
  template <Dims In>
  struct bind : detail::upsampling_layer<Dims{2, {1, In.extent[0]}}, Window{1, N},
                                         interpolation::nearest, detail::repeat_vector_name> {
    static_assert(detail::repeat_vector_fits<In.rank, N>());
    using input_shape = shape_t<In>;
  };
};

}  // namespace fitcheck::nn
