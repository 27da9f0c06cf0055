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

namespace detail {
// Keras' int, tuple and tuple of tuples for the four sides of an image, as 1, 2 or 4 values:
// every side, (rows, columns), or (top, bottom, left, right).
template <std::size_t... V>
struct four_sides {
  static constexpr std::size_t count = sizeof...(V);
  static constexpr std::size_t side(std::size_t i) {
    constexpr std::size_t given[] = {V..., 0};  // the 0: no array of size 0 when none given
    return given[i];
  }
  static constexpr std::size_t top = side(0);
  static constexpr std::size_t bottom = count == 4 ? side(1) : top;
  static constexpr std::size_t left = count == 1 ? top : side(count / 2);
  static constexpr std::size_t right = count == 4 ? side(3) : left;
};
// Keras' int and tuple for the two ends of a sequence: both, or (left, right).
template <std::size_t... V>
struct two_ends {
  static constexpr std::size_t count = sizeof...(V);
  static constexpr std::size_t side(std::size_t i) {
    constexpr std::size_t given[] = {V..., 0};  // the 0: no array of size 0 when none given
    return given[i];
  }
  static constexpr std::size_t left = side(0);
  static constexpr std::size_t right = count == 2 ? side(1) : left;
};

// Zero rows and columns added around each image (Pad), or cut off it (crop): a (steps, channels)
// sequence is an image of one row. Cropping is the adjoint of padding, so both run on the pad
// kernels, forward and backward swapped.
template <Dims In, std::size_t Top, std::size_t Bottom, std::size_t Left, std::size_t Right,
          bool Crop, const char* const& Name>
struct border_layer {
  static constexpr bool sequence = In.rank == 2;
  static constexpr std::size_t rows = sequence ? 1 : In.extent[0];
  static constexpr std::size_t cols = sequence ? In.extent[0] : In.extent[1];
  static constexpr std::size_t c = In.extent[In.rank - 1];
  // A cropping that leaves nothing is the bind's error; 1 here keeps this instantiation quiet.
  static constexpr std::size_t out_rows =
      Crop ? (rows > Top + Bottom ? rows - Top - Bottom : 1) : rows + Top + Bottom;
  static constexpr std::size_t out_cols =
      Crop ? (cols > Left + Right ? cols - Left - Right : 1) : cols + Left + Right;
  static constexpr Dims out_dims =
      sequence ? Dims{2, {out_cols, c}} : Dims{3, {out_rows, out_cols, c}};

  using input_shape = shape_t<In>;
  using output_shape = shape_t<out_dims>;
  static constexpr std::size_t param_count = 0;
  static constexpr const char* name = Name;

  template <class T, class Backend = cpu_t>
  void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
      noexcept(is_host_backend<Backend>) {
    if constexpr (Crop)
      kernels::pad2d_backward(be, at(batch), x, y);
    else
      kernels::pad2d_forward(be, at(batch), x, y);
  }
  template <class T, class Backend = cpu_t>
  void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    if (dx == nullptr) return;
    if constexpr (Crop)
      kernels::pad2d_forward(be, at(batch), dy, dx);
    else
      kernels::pad2d_backward(be, at(batch), dy, dx);
  }

private:
  // The pad kernels' geometry: the small image (h, w) inside the large one (oh, ow).
  static constexpr kernels::conv_geometry at(std::size_t batch) noexcept {
    return {.batch = batch, .h = Crop ? out_rows : rows, .w = Crop ? out_cols : cols, .c = c,
            .pad_top = Top, .pad_left = Left, .oh = Crop ? rows : out_rows,
            .ow = Crop ? cols : out_cols};
  }
};

template <std::size_t Count, std::size_t Rank, std::size_t Rows, std::size_t Cols,
          std::size_t Cut, std::size_t Across, bool Sequence>
consteval bool crop_fits() {
  static_assert(Sequence ? (Count == 1 || Count == 2) : (Count == 1 || Count == 2 || Count == 4),
                "Cropping1D<...>: 1 value (both ends) or 2 (left, right); Cropping2D<...>: 1 "
                "(every side), 2 (rows, columns) or 4 (top, bottom, left, right). Fix: "
                "Cropping2D<2> or Cropping2D<2, 1>");
  static_assert(Rank == (Sequence ? 2 : 3),
                "Cropping1D takes (steps, channels) samples (rank 2) and Cropping2D (height, "
                "width, channels) ones (rank 3), and the layer before gives another rank [C1]. "
                "Fix: the Cropping layer of the input's rank");
  if constexpr (Rank == (Sequence ? 2 : 3))
    static_assert(Cut < Rows && Across < Cols,
                  "Cropping1D / Cropping2D: the cropping removes every row or column of the "
                  "input, leaving nothing [C1] (rows, columns, and the rows and columns cut, in "
                  "the instantiation below). Fix: crop less than the input's extent");
  return true;
}
template <std::size_t Count, std::size_t Rank>
consteval bool padding_1d_fits() {
  static_assert(Count == 1 || Count == 2,
                "ZeroPadding1D<...>: 1 value (both ends) or 2 (left, right). Fix: "
                "ZeroPadding1D<1> or ZeroPadding1D<2, 1>");
  static_assert(Rank == 2,
                "ZeroPadding1D takes (steps, channels) samples (rank 2), and the layer before "
                "gives another rank [C1]. Fix: ZeroPadding2D for images");
  return true;
}
struct border_names {
  static constexpr const char* pad_2d = "ZeroPadding2D";
  static constexpr const char* pad_1d = "ZeroPadding1D";
  static constexpr const char* crop_2d = "Cropping2D";
  static constexpr const char* crop_1d = "Cropping1D";
};
}  // namespace detail

/// Keras' `ZeroPadding2D(padding)`: zero rows and columns around each (height, width, channels)
/// sample. `ZeroPadding2D<1>` pads 1 on every side, `ZeroPadding2D<Rows, Cols>` symmetric rows
/// and columns, `ZeroPadding2D<Top, Bottom, Left, Right>` each side: Keras' int, tuple and
/// tuple of tuples.
template <std::size_t... Pad>
struct ZeroPadding2D : detail::four_sides<Pad...> {
  static_assert(sizeof...(Pad) == 1 || sizeof...(Pad) == 2 || sizeof...(Pad) == 4,
                "ZeroPadding2D<...>: 1 value (every side), 2 (rows, columns) or 4 (top, bottom, "
                "left, right). Fix: ZeroPadding2D<1> or ZeroPadding2D<1, 2>");
  /// Its values per side (top, bottom, left, right).
  using sides = detail::four_sides<Pad...>;
  /// The padded (rows, columns, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return in;
    return Dims{3, {in.extent[0] + sides::top + sides::bottom,
                    in.extent[1] + sides::left + sides::right, in.extent[2]}};
  }
  /// The layer for input shape In.
  template <Dims In>
  struct bind : detail::border_layer<In, sides::top, sides::bottom, sides::left, sides::right,
                                     false, detail::border_names::pad_2d> {
    static_assert(detail::image_input_fits<In.rank>());
  };
};

/// Keras' `ZeroPadding1D(padding)`: zero steps at both ends of each (steps, channels) sample,
/// `ZeroPadding1D<1>` one at each end, `ZeroPadding1D<Left, Right>` each end.
template <std::size_t... Pad>
struct ZeroPadding1D : detail::two_ends<Pad...> {
  /// Its values per end (left, right).
  using ends = detail::two_ends<Pad...>;
  /// The padded (steps, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return in;
    return Dims{2, {in.extent[0] + ends::left + ends::right, in.extent[1]}};
  }
  /// The layer for input shape In.
  template <Dims In>
  struct bind : detail::border_layer<In, 0, 0, ends::left, ends::right, false,
                                     detail::border_names::pad_1d> {
    static_assert(detail::padding_1d_fits<sizeof...(Pad), In.rank>());
  };
};

/// Keras' `Cropping2D(cropping)`: rows and columns cut off each (height, width, channels)
/// sample, `Cropping2D<2>` two on every side, `Cropping2D<Rows, Cols>`, or
/// `Cropping2D<Top, Bottom, Left, Right>`: a U-Net's skip connection cut to the decoder's size.
/// Its gradient is zero on what was cut.
template <std::size_t... Crop>
struct Cropping2D : detail::four_sides<Crop...> {
  /// Its values per side (top, bottom, left, right).
  using sides = detail::four_sides<Crop...>;
  /// The cropped (rows, columns, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3 || sides::top + sides::bottom >= in.extent[0] ||
        sides::left + sides::right >= in.extent[1])
      return in;  // else already an error
    return Dims{3, {in.extent[0] - sides::top - sides::bottom,
                    in.extent[1] - sides::left - sides::right, in.extent[2]}};
  }
  /// The layer for input shape In.
  template <Dims In>
  struct bind : detail::border_layer<In, sides::top, sides::bottom, sides::left, sides::right,
                                     true, detail::border_names::crop_2d> {
    static_assert(detail::crop_fits<sizeof...(Crop), In.rank, In.extent[0], In.extent[1],
                                    sides::top + sides::bottom, sides::left + sides::right,
                                    false>());
  };
};

/// Keras' `Cropping1D(cropping)`: steps cut off both ends of each (steps, channels) sample,
/// `Cropping1D<1>` one at each end, `Cropping1D<Left, Right>` each end.
template <std::size_t... Crop>
struct Cropping1D : detail::two_ends<Crop...> {
  /// Its values per end (left, right).
  using ends = detail::two_ends<Crop...>;
  /// The cropped (steps, channels).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2 || ends::left + ends::right >= in.extent[0]) return in;  // an error
    return Dims{2, {in.extent[0] - ends::left - ends::right, in.extent[1]}};
  }
  /// The layer for input shape In.
  template <Dims In>
  struct bind : detail::border_layer<In, 0, 0, ends::left, ends::right, true,
                                     detail::border_names::crop_1d> {
    static_assert(detail::crop_fits<sizeof...(Crop), In.rank, 2, In.extent[0], 0,
                                    ends::left + ends::right, true>());
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
