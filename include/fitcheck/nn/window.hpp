// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/conv.hpp>

// What convolution and pooling layers share: their window arguments and the one place where an
// output size and its padding are computed from them (TensorFlow's rules, which Keras follows).

namespace fitcheck::nn {

/// Keras' `padding`: `valid` uses only windows that lie inside the input; `same` pads with
/// zeros so that the output has ceil(input / stride) positions, the extra row or column (when
/// the padding is odd) at the bottom or right, as TensorFlow does.
enum class padding : std::uint8_t {
  valid,  ///< only windows inside the input
  same,   ///< zeros around, ceil(input / stride) outputs
};

/// A 2-D extent: `3` is 3 x 3, `Window{3, 5}` is 3 rows by 5 columns (Keras' int or tuple).
struct Window {
  std::size_t rows;  ///< along the height
  std::size_t cols;  ///< along the width
  /// n x n. Implicit, so that `Conv2D<32, 3>` reads as Keras' `Conv2D(32, 3)`.
  constexpr Window(std::size_t n) noexcept : rows(n), cols(n) {}  // NOLINT
  /// r rows by c columns.
  constexpr Window(std::size_t r, std::size_t c) noexcept : rows(r), cols(c) {}
  /// Same rows and columns.
  friend constexpr bool operator==(const Window&, const Window&) = default;
};

/// Keras' `output_padding=None` for a transposed convolution: the output size follows from the
/// padding alone (Conv2DTranspose's and Conv1DTranspose's default).
inline constexpr std::size_t inferred_padding = static_cast<std::size_t>(-1);

namespace detail {

/// The geometry of a window layer on a rank-3 (height, width, channels) input: the output size
/// and the padding. A window that does not fit leaves oh or ow 0 (the layer's bind rejects it).
constexpr kernels::conv_geometry window_geometry(Dims in, Window kernel, Window strides,
                                                 Window dilation, padding pad) noexcept {
  kernels::conv_geometry g;
  g.h = in.extent[0];
  g.w = in.extent[1];
  g.c = in.extent[2];
  g.kh = kernel.rows;
  g.kw = kernel.cols;
  g.sh = strides.rows;
  g.sw = strides.cols;
  g.dh = dilation.rows;
  g.dw = dilation.cols;
  if (g.sh == 0 || g.sw == 0) return g;
  const std::size_t span_h = (g.kh - 1) * g.dh + 1, span_w = (g.kw - 1) * g.dw + 1;
  if (pad == padding::same) {
    g.oh = (g.h + g.sh - 1) / g.sh;
    g.ow = (g.w + g.sw - 1) / g.sw;
    const std::size_t need_h = (g.oh - 1) * g.sh + span_h, need_w = (g.ow - 1) * g.sw + span_w;
    g.pad_top = need_h > g.h ? (need_h - g.h) / 2 : 0;
    g.pad_left = need_w > g.w ? (need_w - g.w) / 2 : 0;
  } else {
    g.oh = g.h >= span_h ? (g.h - span_h) / g.sh + 1 : 0;
    g.ow = g.w >= span_w ? (g.w - span_w) / g.sw + 1 : 0;
  }
  return g;
}

/// A (length, channels) sequence as a 1-row image: Conv1D and the 1-D pools reuse the 2-D
/// kernels.
constexpr Dims as_image(Dims in) noexcept {
  if (in.rank == 2) return Dims{3, {1, in.extent[0], in.extent[1]}};
  return in;
}

// Each number a template argument, so that the diagnostic shows them.
template <std::size_t Rank>
consteval bool image_input_fits() {
  static_assert(Rank == 3,
                "Conv2D, DepthwiseConv2D, the 2-D pooling layers, ZeroPadding2D and UpSampling2D "
                "take (height, width, channels) samples (rank 3), and the layer before gives "
                "another rank [C1] "
                "(its position and shape are in the lines above). Fix: Input<28, 28, 1> for one-channel images, or "
                "Reshape<H, W, C> before this layer");
  return true;
}
template <std::size_t Rank>
consteval bool sequence_input_fits() {
  static_assert(Rank == 2,
                "Conv1D, DepthwiseConv1D, the 1-D pooling layers and UpSampling1D take (length, "
                "channels) samples "
                "(rank 2), and the layer before gives another rank [C1]. Fix: Input<Length, Channels>, "
                "or Reshape<Length, Channels> before this layer");
  return true;
}
template <std::size_t InRows, std::size_t InCols, std::size_t SpanRows, std::size_t SpanCols>
consteval bool window_fits() {
  static_assert(SpanRows <= InRows && SpanCols <= InCols,
                "a convolution or pooling window (with its dilation) is larger than its input "
                "[C6]: (input rows, input cols, window rows, window cols) below; the layer's "
                "position is in the lines above. Fix: a smaller window or fewer poolings before "
                "it, padding::same, or ZeroPadding2D before the layer");
  return true;
}
template <std::size_t Kernel, std::size_t Strides, std::size_t Dilation>
consteval bool window_arguments_fit() {
  static_assert(Kernel >= 1, "a window of 0 rows or columns covers nothing. Fix: a window of "
                             "at least 1, e.g. Conv2D<32, 3>");
  static_assert(Strides >= 1, "a stride of 0 never moves the window. Fix: strides of at least "
                              "1 (1 is the default)");
  static_assert(Dilation >= 1, "a dilation of 0 collapses the window to one point. Fix: a "
                               "dilation of at least 1 (1 is the default)");
  return true;
}

template <Dims In, Window Kernel, Window Strides, Window Dilation, padding Pad>
consteval bool window_layer_fits() {
  static_assert(image_input_fits<In.rank>());
  if constexpr (In.rank == 3 && Pad == padding::valid)
    static_assert(window_fits<In.extent[0], In.extent[1], (Kernel.rows - 1) * Dilation.rows + 1,
                              (Kernel.cols - 1) * Dilation.cols + 1>());
  return true;
}

}  // namespace detail
}  // namespace fitcheck::nn
