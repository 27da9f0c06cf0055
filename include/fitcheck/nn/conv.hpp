// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/kernels/state_buffer.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/workspace.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/window.hpp>

namespace fitcheck::nn {

namespace detail {

/// What a convolution and a transposed convolution of geometry G share: the parameters (the
/// kernel (kh, kw, c, f) row-major as Keras stores it, then `Biases` biases), their Keras names,
/// Keras' initialisation, and the lowering workspace (on the host, sized by `reserve`; a device
/// backend lowers into its own scratch memory, kernels/gpu/conv.hpp). OneD: the one-row case.
template <kernels::conv_geometry G, initializer Init, std::size_t Biases, bool OneD>
class conv_base {
public:
  static constexpr std::size_t kernel_size = G.kh * G.kw * G.c * G.f;
  /// Offsets in the layer's slice: the kernel, then the bias (when there is one).
  static constexpr std::size_t kernel_offset = 0;
  static constexpr std::size_t bias_offset = kernel_size;
  static constexpr std::size_t param_count = kernel_size + Biases;
  /// Keras' weights: kernel (kh, kw, c, f), (kw, c, f) in one dimension, and bias.
  static constexpr auto tensors = [] {
    constexpr tensor_spec kernel =
        OneD ? tensor_spec{"kernel", false, kernel_offset, 3, {G.kw, G.c, G.f}}
             : tensor_spec{"kernel", false, kernel_offset, 4, {G.kh, G.kw, G.c, G.f}};
    if constexpr (Biases > 0)
      return std::array<tensor_spec, 2>{kernel,
                                        tensor_spec{"bias", false, bias_offset, 1, {Biases}}};
    else
      return std::array<tensor_spec, 1>{kernel};
  }();
  /// The most workspace `reserve` allocates per thread, whatever the batch (the memory plan
  /// counts one thread's).
  static constexpr std::size_t workspace_floats =
      G.depth() == 0 ? 0 : kernels::conv_workspace_size(G, kernels::conv_block_rows(G));

  /// The lowering workspace a device backend takes at `batch` (kernels/gpu/conv.hpp).
  static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
    return kernels::device_conv_workspace_size(G, batch);
  }

  /// Keras' fans from the kernel's shape: the window's size times its input or output channels
  /// (c and f); the kernel uniform in the initializer's limit, the rest of `p` (the bias) zero.
  void init(std::span<float> p, Rng& rng) const {
    const double limit =
        uniform_limit(Init, double(G.kh * G.kw * G.c), double(G.kh * G.kw * G.f));
    for (std::size_t i = 0; i < kernel_size; ++i)
      p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
    for (std::size_t i = kernel_size; i < p.size(); ++i) p[i] = 0.0f;
  }

  /// Sizes the lowering workspace once: forward and backward then allocate nothing.
  void reserve(std::size_t max_batch) {
    work_.reserve(kernels::conv_workspace_size(G, max_batch, kernels::max_threads()));
  }

protected:
  static constexpr kernels::conv_geometry at(std::size_t batch) noexcept {
    return G.for_batch(batch);
  }
  template <class T, class Backend>
  std::span<T> work(std::size_t batch, Backend) {
    if constexpr (!is_host_backend<Backend>) {
      return {};
    } else {
      std::vector<T>& w = work_.values<T>();
      if (w.size() < std::min(kernels::conv_workspace_size(G, batch), G.kh * G.kw * G.c))
        w.resize(kernels::conv_workspace_size(G, batch, kernels::max_threads()));
      return w;
    }
  }

private:
  typed_workspace work_;
};

/// A bound convolution: geometry G (batch left 0), the kernel as Keras stores it, (kh, kw, c, f)
/// row-major, then the bias. Conv1D is the one-row case.
template <kernels::conv_geometry G, Dims In, Dims Out, bool UseBias, initializer Init, bool OneD>
class conv_layer : public conv_base<G, Init, UseBias ? G.f : 0, OneD> {
  using base = conv_base<G, Init, UseBias ? G.f : 0, OneD>;

public:
  using base::bias_offset;
  using base::kernel_offset;
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr kernels::conv_geometry geometry = G;
  static constexpr const char* name = OneD ? "Conv1D" : "Conv2D";
  /// Sequential runs a ReLU, Sigmoid or Tanh after this layer in its GEMM's epilogue.
  static constexpr bool fuses_activation = true;

  /// y = act(conv(x) + b), `act` fused by Sequential as for Dense.
  template <class T, class Backend = cpu_t>
  void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {},
               kernels::activation act = kernels::activation::identity) {
    kernels::conv2d_forward(be, base::at(batch), x, p + kernel_offset,
                            UseBias ? p + bias_offset : nullptr, y, act,
                            this->template work<T>(batch, be));
  }

  /// dW and db from x and dy; dx = conv^T(dy) * f'(x) when Sequential fuses the backward of the
  /// activation `input_act` that produced x.
  template <class T, class Backend = cpu_t>
  void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                Backend be = {}, kernels::activation input_act = kernels::activation::identity) {
    const kernels::conv_geometry g = base::at(batch);
    const std::span<T> ws = this->template work<T>(batch, be);
    kernels::conv2d_backward_filter(be, g, x, dy, dp + kernel_offset,
                                    UseBias ? dp + bias_offset : nullptr, ws);
    if (dx != nullptr)
      kernels::conv2d_backward_data(be, g, dy, p + kernel_offset, dx, input_act, x, ws);
  }
};

/// A bound depthwise convolution: geometry G (G.f = c x the depth multiplier), the kernel as
/// Keras stores it, (kh, kw, c, multiplier) row-major, then the bias (G.f). Each output is one
/// direct sum (kernels/conv.hpp), no lowering: a depthwise kernel has too few values per output
/// for a GEMM to pay.
template <kernels::conv_geometry G, Dims In, Dims Out, bool UseBias, initializer Init, bool OneD>
class depthwise_layer {
 public:
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr kernels::conv_geometry geometry = G;
  static constexpr std::size_t multiplier = G.c == 0 ? 1 : G.f / G.c;  // c 0: a rank error
  static constexpr std::size_t kernel_size = G.kh * G.kw * G.f;
  static constexpr std::size_t kernel_offset = 0;
  static constexpr std::size_t bias_offset = kernel_size;
  static constexpr std::size_t param_count = kernel_size + (UseBias ? G.f : 0);
  static constexpr const char* name = OneD ? "DepthwiseConv1D" : "DepthwiseConv2D";
  /// Keras' weights: depthwise_kernel (kh, kw, c, multiplier), (kw, c, multiplier) in one
  /// dimension, and bias.
  static constexpr auto tensors = [] {
    constexpr tensor_spec kernel =
        OneD ? tensor_spec{"depthwise_kernel", false, kernel_offset, 3, {G.kw, G.c, multiplier}}
             : tensor_spec{"depthwise_kernel", false, kernel_offset, 4,
                           {G.kh, G.kw, G.c, multiplier}};
    if constexpr (UseBias)
      return std::array<tensor_spec, 2>{kernel,
                                        tensor_spec{"bias", false, bias_offset, 1, {G.f}}};
    else
      return std::array<tensor_spec, 1>{kernel};
  }();

  /// Keras' fans from the kernel's shape: the window's size times c (in) or the multiplier
  /// (out); the bias zero.
  void init(std::span<float> p, Rng& rng) const {
    const double limit =
        uniform_limit(Init, double(G.kh * G.kw * G.c), double(G.kh * G.kw * multiplier));
    for (std::size_t i = 0; i < kernel_size; ++i)
      p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
    for (std::size_t i = kernel_size; i < p.size(); ++i) p[i] = 0.0f;
  }

  /// y = depthwise(x) + b.
  template <class T, class Backend = cpu_t>
  void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
      noexcept(is_host_backend<Backend>) {
    kernels::depthwise_forward(be, G.for_batch(batch), x, p + kernel_offset,
                               UseBias ? p + bias_offset : static_cast<const T*>(nullptr), y);
  }
  /// dW from x and dy, db the column sums of dy, dx through the same filters.
  template <class T, class Backend = cpu_t>
  void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                Backend be = {}) const noexcept(is_host_backend<Backend>) {
    const kernels::conv_geometry g = G.for_batch(batch);
    kernels::depthwise_backward_filter(be, g, x, dy, dp + kernel_offset);
    if constexpr (UseBias) kernels::column_sums(be, dy, dp + bias_offset, g.rows(), G.f);
    if (dx != nullptr) kernels::depthwise_backward_data(be, g, dy, p + kernel_offset, dx);
  }
};

/// A bound separable convolution (Keras' SeparableConv2D): the depthwise convolution G (no
/// bias), then a 1 x 1 convolution of its c x multiplier channels to `Filters` (a GEMM over the
/// output pixels) and the bias. Keras' weights: depthwise_kernel (kh, kw, c, multiplier),
/// pointwise_kernel (1, 1, c x multiplier, Filters), bias. The depthwise output stays in the
/// layer's workspace for backward (sized by `reserve`, counted per sample by the memory plan).
template <kernels::conv_geometry G, std::size_t Filters, Dims In, Dims Out, bool UseBias,
          initializer Init, bool OneD>
class separable_layer {
  static constexpr std::size_t mid_size = G.oh * G.ow * G.f;  // per sample

 public:
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr kernels::conv_geometry geometry = G;
  static constexpr std::size_t multiplier = G.c == 0 ? 1 : G.f / G.c;  // c 0: a rank error
  static constexpr std::size_t depthwise_offset = 0;
  static constexpr std::size_t pointwise_offset = G.kh * G.kw * G.f;
  static constexpr std::size_t bias_offset = pointwise_offset + G.f * Filters;
  static constexpr std::size_t param_count = bias_offset + (UseBias ? Filters : 0);
  static constexpr const char* name = OneD ? "SeparableConv1D" : "SeparableConv2D";
  /// Keras' weights, named and shaped as it names and shapes them.
  static constexpr auto tensors = [] {
    constexpr tensor_spec depthwise =
        OneD ? tensor_spec{"depthwise_kernel", false, depthwise_offset, 3, {G.kw, G.c, multiplier}}
             : tensor_spec{"depthwise_kernel", false, depthwise_offset, 4,
                           {G.kh, G.kw, G.c, multiplier}};
    constexpr tensor_spec pointwise =
        OneD ? tensor_spec{"pointwise_kernel", false, pointwise_offset, 3, {1, G.f, Filters}}
             : tensor_spec{"pointwise_kernel", false, pointwise_offset, 4, {1, 1, G.f, Filters}};
    if constexpr (UseBias)
      return std::array<tensor_spec, 3>{
          depthwise, pointwise, tensor_spec{"bias", false, bias_offset, 1, {Filters}}};
    else
      return std::array<tensor_spec, 2>{depthwise, pointwise};
  }();
  /// Per sample: the depthwise output and its gradient.
  static constexpr std::size_t sample_workspace_floats = 2 * mid_size;
  /// The same in a device backend's memory at `batch`, for [E1].
  static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
    return batch * sample_workspace_floats;
  }

  /// Keras' initialisers for both kernels, each with its own fans; the bias zero.
  void init(std::span<float> p, Rng& rng) const {
    const double depthwise_limit =
        uniform_limit(Init, double(G.kh * G.kw * G.c), double(G.kh * G.kw * multiplier));
    const double pointwise_limit = uniform_limit(Init, double(G.f), double(Filters));
    for (std::size_t i = 0; i < pointwise_offset; ++i)
      p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * depthwise_limit);
    for (std::size_t i = pointwise_offset; i < bias_offset; ++i)
      p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * pointwise_limit);
    for (std::size_t i = bias_offset; i < p.size(); ++i) p[i] = 0.0f;
  }

  /// Sizes the workspace once: a training step allocates nothing.
  void reserve(std::size_t max_batch) { work_.reserve(max_batch * sample_workspace_floats); }

  /// mid = depthwise(x); y = mid P + b.
  template <class T, class Backend = cpu_t>
  void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {}) {
    T* mid = workspace<T>(be, batch);
    kernels::depthwise_forward(be, G.for_batch(batch), x, p + depthwise_offset,
                               static_cast<const T*>(nullptr), mid);
    kernels::gemm(be, {kernels::trans::no, kernels::trans::no, batch * G.oh * G.ow, Filters, G.f},
                  T(1), mid, G.f, p + pointwise_offset, Filters, T(0), y, Filters,
                  kernels::epilogue<T>{.bias = UseBias ? p + bias_offset : nullptr});
  }
  /// dP = mid^T dy, db the column sums of dy, dmid = dy P^T, then the depthwise gradients.
  template <class T, class Backend = cpu_t>
  void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                Backend be = {}) {
    const std::size_t rows = batch * G.oh * G.ow;
    T* mid = workspace<T>(be, batch);
    T* dmid = mid + batch * mid_size;
    kernels::gemm(be, {kernels::trans::yes, kernels::trans::no, G.f, Filters, rows}, T(1), mid,
                  G.f, dy, Filters, T(0), dp + pointwise_offset, Filters);
    if constexpr (UseBias) kernels::column_sums(be, dy, dp + bias_offset, rows, Filters);
    kernels::gemm(be, {kernels::trans::no, kernels::trans::yes, rows, G.f, Filters}, T(1), dy,
                  Filters, p + pointwise_offset, Filters, T(0), dmid, G.f);
    const kernels::conv_geometry g = G.for_batch(batch);
    kernels::depthwise_backward_filter(be, g, x, dmid, dp + depthwise_offset);
    if (dx != nullptr) kernels::depthwise_backward_data(be, g, dmid, p + depthwise_offset, dx);
  }

 private:
  // The workspace for `batch` in the backend's memory, grown only past the largest batch
  // reserved (a gradient check, a first device step).
  template <class T, class Backend>
  T* workspace(Backend be, std::size_t batch) {
    const std::size_t n = batch * sample_workspace_floats;
    if constexpr (is_host_backend<Backend>) {
      return work_.at_least<T>(n);
    } else {
      static_assert(std::is_same_v<T, float>, "separable convolutions run float on a device");
      if (device_.size() < n) device_ = kernels::allocate_buffer<float>(be, n);
      return device_.data();
    }
  }

  typed_workspace work_;
  kernels::backend_buffer<float> device_;
};

template <std::size_t Multiplier>
consteval bool depth_multiplier_fits() {
  static_assert(Multiplier >= 1,
                "DepthwiseConv2D / DepthwiseConv1D: a depth multiplier of 0 gives no output "
                "channels. Fix: DepthMultiplier 1 (one filter per input channel, Keras' default) "
                "or more");
  return true;
}

template <Dims In3, Window Kernel, Window Strides, Window Dilation, padding Pad>
consteval bool conv_window_fits() {
  if constexpr (Pad == padding::valid)
    static_assert(window_fits<In3.extent[0], In3.extent[1], (Kernel.rows - 1) * Dilation.rows + 1,
                              (Kernel.cols - 1) * Dilation.cols + 1>());
  return true;
}

constexpr kernels::conv_geometry conv_geometry_for(Dims in3, std::size_t filters, Window kernel,
                                                   Window strides, Window dilation,
                                                   padding pad) noexcept {
  kernels::conv_geometry g = window_geometry(in3, kernel, strides, dilation, pad);
  g.f = filters;
  return g;
}

/// A bound transposed convolution: the gradient of the convolution G that maps this layer's
/// output (G.h, G.w, G.c = filters) to its input (G.oh, G.ow, G.f = input channels), so its
/// forward is that convolution's input gradient and its input gradient that convolution. The
/// kernel is stored (kh, kw, filters, input channels), Keras' layout, then the bias (filters).
template <kernels::conv_geometry G, Dims In, Dims Out, bool UseBias, initializer Init, bool OneD>
class conv_transpose_layer : public conv_base<G, Init, UseBias ? G.c : 0, OneD> {
  using base = conv_base<G, Init, UseBias ? G.c : 0, OneD>;

public:
  using base::bias_offset;
  using base::kernel_offset;
  using input_shape = shape_t<In>;
  using output_shape = shape_t<Out>;
  static constexpr kernels::conv_geometry geometry = G;
  static constexpr const char* name = OneD ? "Conv1DTranspose" : "Conv2DTranspose";

  /// y = conv^T(x) + b.
  template <class T, class Backend = cpu_t>
  void forward(const T* p, const T* x, T* y, std::size_t batch, mode, Backend be = {}) {
    const kernels::conv_geometry g = base::at(batch);
    kernels::conv2d_backward_data(be, g, x, p + kernel_offset, y, kernels::activation::identity,
                                  static_cast<const T*>(nullptr), this->template work<T>(batch, be));
    if constexpr (UseBias) kernels::bias_add(be, y, p + bias_offset, batch * G.h * G.w, G.c);
  }

  /// dW from the convolution's filter gradient with the roles of its input and output swapped,
  /// db the column sums of dy, dx = conv(dy).
  template <class T, class Backend = cpu_t>
  void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                Backend be = {}) {
    const kernels::conv_geometry g = base::at(batch);
    const std::span<T> ws = this->template work<T>(batch, be);
    kernels::conv2d_backward_filter(be, g, dy, x, dp + kernel_offset, static_cast<T*>(nullptr), ws);
    if constexpr (UseBias) kernels::column_sums(be, dy, dp + bias_offset, batch * G.h * G.w, G.c);
    if (dx != nullptr)
      kernels::conv2d_forward(be, g, dy, p + kernel_offset, static_cast<const T*>(nullptr), dx,
                              kernels::activation::identity, ws);
  }
};

/// The output size of a transposed convolution along one axis, Keras' deconv_output_length with
/// the dilated window `span`: with output_padding inferred (None), valid in s + max(span - s, 0)
/// and same in s; with an output padding op, (in - 1) s + span + op less 2 (span / 2) for same.
constexpr std::size_t transposed_length(std::size_t in, std::size_t span, std::size_t s,
                                        padding pad, std::size_t op) noexcept {
  if (op == inferred_padding)
    return pad == padding::same ? in * s : in * s + (span > s ? span - s : 0);
  return (in - 1) * s + span + op - (pad == padding::same ? 2 * (span / 2) : 0);
}

/// The output of a transposed convolution of `in3` (rows, columns, filters).
constexpr Dims transposed_dims(Dims in3, std::size_t filters, Window kernel, Window strides,
                               Window dilation, padding pad, Window op) noexcept {
  return Dims{3,
              {transposed_length(in3.extent[0], (kernel.rows - 1) * dilation.rows + 1, strides.rows,
                                 pad, op.rows),
               transposed_length(in3.extent[1], (kernel.cols - 1) * dilation.cols + 1, strides.cols,
                                 pad, op.cols),
               filters}};
}

/// The convolution whose input gradient a transposed convolution of `in3` computes: TensorFlow's
/// conv2d_transpose, whose padding is the forward convolution's of the output.
constexpr kernels::conv_geometry transposed_geometry(Dims in3, std::size_t filters, Window kernel,
                                                     Window strides, Window dilation, padding pad,
                                                     Window op) noexcept {
  kernels::conv_geometry g =
      window_geometry(transposed_dims(in3, filters, kernel, strides, dilation, pad, op), kernel,
                      strides, dilation, pad);
  g.f = in3.extent[2];
  return g;
}

template <std::size_t Strides, std::size_t Dilation, std::size_t OutputPadding>
constexpr bool transposed_arguments_valid() noexcept {
  return (Strides == 1 || Dilation == 1) &&
         (OutputPadding == inferred_padding || OutputPadding < Strides);
}
template <std::size_t Strides, std::size_t Dilation, std::size_t OutputPadding>
consteval bool transposed_arguments_fit() {
  static_assert(Strides == 1 || Dilation == 1,
                "Conv2DTranspose / Conv1DTranspose: strides and dilation above 1 together, which "
                "Keras refuses too. Fix: strides 1 with a dilation, or a dilation of 1");
  static_assert(OutputPadding == inferred_padding || OutputPadding < Strides,
                "Conv2DTranspose / Conv1DTranspose: output_padding must be smaller than the "
                "strides (Keras' rule: the extra rows and columns lie within one stride). Fix: an "
                "output padding below the stride, or leave it inferred");
  return true;
}

// The convolution of the output must give back the input's size: with same padding some output
// paddings do not (TensorFlow refuses them when the model runs; here they do not compile).
// Checked once the arguments are valid (else their own error is the one to read).
template <Dims In3, std::size_t Filters, Window Kernel, Window Strides, Window Dilation,
          padding Pad, Window OutputPadding>
consteval bool transposed_output_fits() {
  constexpr bool valid =
      transposed_arguments_valid<Strides.rows, Dilation.rows, OutputPadding.rows>() &&
      transposed_arguments_valid<Strides.cols, Dilation.cols, OutputPadding.cols>();
  constexpr kernels::conv_geometry g =
      transposed_geometry(In3, Filters, Kernel, Strides, Dilation, Pad, OutputPadding);
  static_assert(!valid || (g.oh == In3.extent[0] && g.ow == In3.extent[1]),
                "Conv2DTranspose / Conv1DTranspose: with this output_padding the output is a size "
                "whose convolution (same padding) is not the input's size, so no convolution has "
                "this layer as its transpose (TensorFlow refuses it too). Fix: another "
                "output_padding (0 or 1 for an odd kernel at stride 2), or leave it inferred");
  return true;
}

}  // namespace detail

/// A 2-D convolution over (height, width, channels) samples, Keras' `Conv2D(filters,
/// kernel_size, strides, padding, dilation_rate, use_bias)`: `Conv2D<32, 3>` is 32 filters of
/// 3 x 3, stride 1, valid padding. The kernel is stored (rows, cols, in channels, filters) as in
/// Keras; a ReLU, Sigmoid or Tanh right after it runs in the convolution's GEMM.
template <std::size_t Filters, Window Kernel, Window Strides = 1, padding Pad = padding::valid,
          Window Dilation = 1, bool UseBias = true, initializer Init = initializer::glorot_uniform>
struct Conv2D {
  static_assert(Filters >= 1, "Conv2D<0, ...>: a convolution needs at least one filter. Fix: "
                              "Conv2D<32, 3>");
  static_assert(detail::window_arguments_fit<Kernel.rows * Kernel.cols, Strides.rows * Strides.cols,
                                             Dilation.rows * Dilation.cols>());

  /// (output rows, output columns, Filters), Keras' sizes for the padding.
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return Dims{3, {1, 1, Filters}};
    const auto g = detail::window_geometry(in, Kernel, Strides, Dilation, Pad);
    return Dims{3, {g.oh == 0 ? 1 : g.oh, g.ow == 0 ? 1 : g.ow, Filters}};
  }

  template <Dims In>
  struct bind : detail::conv_layer<detail::conv_geometry_for(In, Filters, Kernel, Strides, Dilation, Pad),
                                   In, output_dims(In), UseBias, Init, false> {
    static_assert(detail::image_input_fits<In.rank>());
    static_assert(In.rank != 3 || detail::conv_window_fits<In, Kernel, Strides, Dilation, Pad>());
  };
};

/// A 1-D convolution over (length, channels) samples, Keras' `Conv1D`: the 2-D kernels with
/// one row. The kernel is stored (width, in channels, filters).
template <std::size_t Filters, std::size_t Kernel, std::size_t Strides = 1,
          padding Pad = padding::valid, std::size_t Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct Conv1D {
  static_assert(Filters >= 1, "Conv1D<0, ...>: a convolution needs at least one filter. Fix: "
                              "Conv1D<32, 3>");
  static_assert(detail::window_arguments_fit<Kernel, Strides, Dilation>());

  /// (output length, Filters).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return Dims{2, {1, Filters}};
    const auto g = detail::window_geometry(detail::as_image(in), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad);
    return Dims{2, {g.ow == 0 ? 1 : g.ow, Filters}};
  }

  template <Dims In>
  struct bind
      : detail::conv_layer<detail::conv_geometry_for(detail::as_image(In), Filters, Window{1, Kernel},
                                                     Window{1, Strides}, Window{1, Dilation}, Pad),
                           In, output_dims(In), UseBias, Init, true> {
    static_assert(detail::sequence_input_fits<In.rank>());
    static_assert(In.rank != 2 ||
                  detail::conv_window_fits<detail::as_image(In), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad>());
  };
};

/// Keras' `DepthwiseConv2D(kernel_size, strides, padding, depth_multiplier, dilation_rate,
/// use_bias)`: each input channel of (height, width, channels) samples convolved with its own
/// `DepthMultiplier` filters, c x DepthMultiplier output channels (channel ch's filters are
/// outputs ch m ... ch m + m - 1), MobileNet's and Xception's spatial step; a `Conv2D<F, 1>` after
/// it is Keras' `SeparableConv2D`. The kernel is stored (rows, cols, channels, multiplier) as in
/// Keras; sizes and padding as Conv2D's.
template <Window Kernel, Window Strides = 1, padding Pad = padding::valid,
          std::size_t DepthMultiplier = 1, Window Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct DepthwiseConv2D {
  static_assert(detail::window_arguments_fit<Kernel.rows * Kernel.cols, Strides.rows * Strides.cols,
                                             Dilation.rows * Dilation.cols>());
  static_assert(detail::depth_multiplier_fits<DepthMultiplier>());

  /// (output rows, output columns, channels x DepthMultiplier), Conv2D's sizes.
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return Dims{3, {1, 1, DepthMultiplier}};
    const auto g = detail::window_geometry(in, Kernel, Strides, Dilation, Pad);
    return Dims{3, {g.oh == 0 ? 1 : g.oh, g.ow == 0 ? 1 : g.ow, in.extent[2] * DepthMultiplier}};
  }

  template <Dims In>
  struct bind : detail::depthwise_layer<detail::conv_geometry_for(In, In.extent[2] * DepthMultiplier,
                                                                  Kernel, Strides, Dilation, Pad),
                                        In, output_dims(In), UseBias, Init, false> {
    static_assert(detail::image_input_fits<In.rank>());
    static_assert(In.rank != 3 || detail::conv_window_fits<In, Kernel, Strides, Dilation, Pad>());
  };
};

/// Keras' `DepthwiseConv1D(kernel_size, strides, padding, depth_multiplier, dilation_rate,
/// use_bias)` over (length, channels) samples: DepthwiseConv2D with one row. The kernel is stored
/// (width, channels, multiplier).
template <std::size_t Kernel, std::size_t Strides = 1, padding Pad = padding::valid,
          std::size_t DepthMultiplier = 1, std::size_t Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct DepthwiseConv1D {
  static_assert(detail::window_arguments_fit<Kernel, Strides, Dilation>());
  static_assert(detail::depth_multiplier_fits<DepthMultiplier>());

  /// (output length, channels x DepthMultiplier).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return Dims{2, {1, DepthMultiplier}};
    const auto g = detail::window_geometry(detail::as_image(in), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad);
    return Dims{2, {g.ow == 0 ? 1 : g.ow, in.extent[1] * DepthMultiplier}};
  }

  template <Dims In>
  struct bind
      : detail::depthwise_layer<detail::conv_geometry_for(detail::as_image(In),
                                                          In.extent[In.rank - 1] * DepthMultiplier,
                                                          Window{1, Kernel}, Window{1, Strides},
                                                          Window{1, Dilation}, Pad),
                                In, output_dims(In), UseBias, Init, true> {
    static_assert(detail::sequence_input_fits<In.rank>());
    static_assert(In.rank != 2 ||
                  detail::conv_window_fits<detail::as_image(In), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad>());
  };
};

/// Keras' `SeparableConv2D(filters, kernel_size, strides, padding, depth_multiplier,
/// dilation_rate, use_bias)`: a DepthwiseConv2D (no bias) and a 1 x 1 Conv2D to `Filters` in one
/// layer, Xception's and MobileNet's convolution, with Keras' weights (depthwise_kernel,
/// pointwise_kernel, bias); sizes and padding as Conv2D's.
template <std::size_t Filters, Window Kernel, Window Strides = 1, padding Pad = padding::valid,
          std::size_t DepthMultiplier = 1, Window Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct SeparableConv2D {
  static_assert(Filters >= 1, "SeparableConv2D<0, ...>: a convolution needs at least one filter. "
                              "Fix: SeparableConv2D<64, 3>");
  static_assert(detail::window_arguments_fit<Kernel.rows * Kernel.cols, Strides.rows * Strides.cols,
                                             Dilation.rows * Dilation.cols>());
  static_assert(detail::depth_multiplier_fits<DepthMultiplier>());

  /// (output rows, output columns, Filters), Conv2D's sizes.
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return Dims{3, {1, 1, Filters}};
    const auto g = detail::window_geometry(in, Kernel, Strides, Dilation, Pad);
    return Dims{3, {g.oh == 0 ? 1 : g.oh, g.ow == 0 ? 1 : g.ow, Filters}};
  }

  template <Dims In>
  struct bind : detail::separable_layer<detail::conv_geometry_for(In, In.extent[2] * DepthMultiplier,
                                                                  Kernel, Strides, Dilation, Pad),
                                        Filters, In, output_dims(In), UseBias, Init, false> {
    static_assert(detail::image_input_fits<In.rank>());
    static_assert(In.rank != 3 || detail::conv_window_fits<In, Kernel, Strides, Dilation, Pad>());
  };
};

/// Keras' `SeparableConv1D(filters, kernel_size, strides, padding, depth_multiplier,
/// dilation_rate, use_bias)` over (length, channels) samples: SeparableConv2D with one row.
template <std::size_t Filters, std::size_t Kernel, std::size_t Strides = 1,
          padding Pad = padding::valid, std::size_t DepthMultiplier = 1, std::size_t Dilation = 1,
          bool UseBias = true, initializer Init = initializer::glorot_uniform>
struct SeparableConv1D {
  static_assert(Filters >= 1, "SeparableConv1D<0, ...>: a convolution needs at least one filter. "
                              "Fix: SeparableConv1D<64, 3>");
  static_assert(detail::window_arguments_fit<Kernel, Strides, Dilation>());
  static_assert(detail::depth_multiplier_fits<DepthMultiplier>());

  /// (output length, Filters).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return Dims{2, {1, Filters}};
    const auto g = detail::window_geometry(detail::as_image(in), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad);
    return Dims{2, {g.ow == 0 ? 1 : g.ow, Filters}};
  }

  template <Dims In>
  struct bind
      : detail::separable_layer<detail::conv_geometry_for(detail::as_image(In),
                                                          In.extent[In.rank - 1] * DepthMultiplier,
                                                          Window{1, Kernel}, Window{1, Strides},
                                                          Window{1, Dilation}, Pad),
                                Filters, In, output_dims(In), UseBias, Init, true> {
    static_assert(detail::sequence_input_fits<In.rank>());
    static_assert(In.rank != 2 ||
                  detail::conv_window_fits<detail::as_image(In), Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad>());
  };
};

/// Keras' `Conv2DTranspose(filters, kernel_size, strides, padding, output_padding,
/// dilation_rate, use_bias)`: the input gradient of a convolution, so that
/// `Conv2DTranspose<32, 3, 2, padding::same>` doubles the height and width of (height, width,
/// channels) samples, a decoder's (or a generator's) way up. Output sizes are Keras' (inferred
/// output padding: valid in s + max(k - s, 0), same in s; an output padding op: (in - 1) s + k +
/// op, less 2 (k / 2) for same, k the dilated window); the kernel is stored (rows, cols, filters,
/// in channels) as in Keras. Strides and dilation above 1 together do not compile (Keras refuses
/// them too).
template <std::size_t Filters, Window Kernel, Window Strides = 1, padding Pad = padding::valid,
          Window OutputPadding = inferred_padding, Window Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct Conv2DTranspose {
  static_assert(Filters >= 1, "Conv2DTranspose<0, ...>: a transposed convolution needs at least "
                              "one filter. Fix: Conv2DTranspose<32, 3, 2, padding::same>");
  static_assert(detail::window_arguments_fit<Kernel.rows * Kernel.cols, Strides.rows * Strides.cols,
                                             Dilation.rows * Dilation.cols>());
  static_assert(
      detail::transposed_arguments_fit<Strides.rows, Dilation.rows, OutputPadding.rows>() &&
      detail::transposed_arguments_fit<Strides.cols, Dilation.cols, OutputPadding.cols>());

  /// (rows, columns, Filters), Keras' sizes.
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 3) return Dims{3, {1, 1, Filters}};
    return detail::transposed_dims(in, Filters, Kernel, Strides, Dilation, Pad, OutputPadding);
  }

  template <Dims In>
  struct bind : detail::conv_transpose_layer<detail::transposed_geometry(In, Filters, Kernel, Strides,
                                                                         Dilation, Pad, OutputPadding),
                                             In, output_dims(In), UseBias, Init, false> {
    static_assert(detail::image_input_fits<In.rank>());
    static_assert(In.rank != 3 || detail::transposed_output_fits<In, Filters, Kernel, Strides, Dilation,
                                                                 Pad, OutputPadding>());
  };
};

/// Keras' `Conv1DTranspose(filters, kernel_size, strides, padding, output_padding,
/// dilation_rate, use_bias)` over (length, channels) samples: Conv2DTranspose with one row. The
/// kernel is stored (width, filters, in channels).
template <std::size_t Filters, std::size_t Kernel, std::size_t Strides = 1,
          padding Pad = padding::valid, std::size_t OutputPadding = inferred_padding,
          std::size_t Dilation = 1, bool UseBias = true,
          initializer Init = initializer::glorot_uniform>
struct Conv1DTranspose {
  static_assert(Filters >= 1, "Conv1DTranspose<0, ...>: a transposed convolution needs at least "
                              "one filter. Fix: Conv1DTranspose<32, 3, 2, padding::same>");
  static_assert(detail::window_arguments_fit<Kernel, Strides, Dilation>());
  static_assert(detail::transposed_arguments_fit<Strides, Dilation, OutputPadding>());

  /// (length, Filters).
  static constexpr Dims output_dims(Dims in) {
    if (in.rank != 2) return Dims{2, {1, Filters}};
    const Dims d = detail::transposed_dims(detail::as_image(in), Filters, Window{1, Kernel},
                                           Window{1, Strides}, Window{1, Dilation}, Pad,
                                           Window{0, OutputPadding});
    return Dims{2, {d.extent[1], Filters}};
  }

  template <Dims In>
  struct bind : detail::conv_transpose_layer<detail::transposed_geometry(
                                                 detail::as_image(In), Filters, Window{1, Kernel},
                                                 Window{1, Strides}, Window{1, Dilation}, Pad,
                                                 Window{0, OutputPadding}),
                                             In, output_dims(In), UseBias, Init, true> {
    static_assert(detail::sequence_input_fits<In.rank>());
    static_assert(In.rank != 2 ||
                  detail::transposed_output_fits<detail::as_image(In), Filters, Window{1, Kernel},
                                                 Window{1, Strides}, Window{1, Dilation}, Pad,
                                                 Window{0, OutputPadding}>());
  };
};

}  // namespace fitcheck::nn
