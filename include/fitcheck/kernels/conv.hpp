// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/gemm.hpp>

// Convolution and pooling over channels-last (NHWC) batches, as Keras lays them out.
//
// A convolution is a GEMM over "lowered" rows: output pixel m = (n, oh, ow) is row m of
// col (M x K, K = kh * kw * c, in the order of the kernel's (kh, kw, c, f) layout), so
//   forward       Y (M x F)  = act(col W + b)               W is (K x F) as stored
//   weight grad   dW (K x F) = col^T dY
//   input grad    dcol = dY W^T, then each col entry is added back where it was read (col2im)
// The CPU lowers a bounded block of rows at a time into a workspace the layer owns (never the
// whole batch's col) and runs the packed GEMM on it, with bias and activation in its epilogue.
// A 1 x 1 convolution with stride 1 and no padding is a GEMM on the input itself. The
// reference computes every sum directly, in loops over the window: the semantics the lowered
// path is tested against.

namespace fitcheck::kernels {

/// Shapes of one 2-D convolution or pooling window over an NHWC batch.
struct conv_geometry {
  std::size_t batch = 0;
  std::size_t h = 0, w = 0, c = 0;      ///< input height, width, channels
  std::size_t kh = 1, kw = 1;           ///< window
  std::size_t f = 0;                    ///< filters (output channels of a convolution)
  std::size_t sh = 1, sw = 1;           ///< strides
  std::size_t dh = 1, dw = 1;           ///< dilation
  std::size_t pad_top = 0, pad_left = 0;  ///< zero rows / columns before the input
  std::size_t oh = 0, ow = 0;           ///< output height, width

  /// The same geometry for a batch of n images.
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr conv_geometry for_batch(std::size_t n) const noexcept {
    conv_geometry g = *this;
    g.batch = n;
    return g;
  }
  /// Output pixels of the batch: the GEMM's rows.
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr std::size_t rows() const noexcept {
    return batch * oh * ow;
  }
  /// Values per lowered row: the GEMM's depth.
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr std::size_t depth() const noexcept {
    return kh * kw * c;
  }
  /// A 1 x 1 window over every pixel: the input already is the lowered matrix.
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr bool pointwise() const noexcept {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pad_top == 0 && pad_left == 0;
  }
  /// Input row of window row i at output row o; negative or >= h: in the padding.
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr std::ptrdiff_t in_row(std::size_t o,
                                                                     std::size_t i) const noexcept {
    return std::ptrdiff_t(o * sh + i * dh) - std::ptrdiff_t(pad_top);
  }
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr std::ptrdiff_t in_col(std::size_t o,
                                                                     std::size_t j) const noexcept {
    return std::ptrdiff_t(o * sw + j * dw) - std::ptrdiff_t(pad_left);
  }
  [[nodiscard]] FITCHECK_HOST_DEVICE constexpr bool inside(std::ptrdiff_t r,
                                                          std::ptrdiff_t q) const noexcept {
    return r >= 0 && q >= 0 && r < std::ptrdiff_t(h) && q < std::ptrdiff_t(w);
  }
};

/// Rows of the lowered matrix the CPU path holds at once: 128 Ki floats (512 KiB), which stays
/// in L2 between its writing and the GEMM's reading, and is at least one row.
[[nodiscard]] constexpr std::size_t conv_block_rows(const conv_geometry& g) noexcept {
  return std::max<std::size_t>(1, (std::size_t{1} << 17) / g.depth());
}
/// The workspace (values) the CPU path needs for batches of up to `max_batch` samples split
/// between `threads` threads, a block for each.
[[nodiscard]] constexpr std::size_t conv_workspace_size(conv_geometry g, std::size_t max_batch,
                                                        std::size_t threads = 1) noexcept {
  if (g.pointwise()) return 0;
  threads = std::max<std::size_t>(1, std::min(threads, max_batch));
  g.batch = (max_batch + threads - 1) / threads;
  return threads * std::min(g.rows(), conv_block_rows(g)) * g.depth();
}

/// The most lowered values a device backend holds at once (64 MiB of float): it lowers and
/// multiplies the batch in groups of whole images that fit (kernels/gpu/conv.hpp), so that its
/// workspace does not grow past this with the batch.
inline constexpr std::size_t device_conv_group_floats = std::size_t{1} << 24;

/// Images per device lowering group of `g`: as many as fit device_conv_group_floats, at least one.
[[nodiscard]] constexpr std::size_t device_conv_group_images(const conv_geometry& g) noexcept {
  const std::size_t per_image = g.oh * g.ow * g.depth();
  return per_image == 0 ? 1 : std::max<std::size_t>(1, device_conv_group_floats / per_image);
}

/// The lowering workspace (values) a device backend takes for batches of up to `max_batch`.
[[nodiscard]] constexpr std::size_t device_conv_workspace_size(conv_geometry g,
                                                               std::size_t max_batch) noexcept {
  if (g.pointwise()) return 0;
  g.batch = std::min(max_batch, device_conv_group_images(g));
  return g.rows() * g.depth();
}

/// y = act(conv(x, w) + bias); bias may be null.
template <class T>
void conv2d_forward(reference_t, const conv_geometry& g, const T* x, const T* wt, const T* bias,
                    T* y, activation act, std::span<T> = {}) noexcept {
  using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t oy = 0; oy < g.oh; ++oy)
      for (std::size_t ox = 0; ox < g.ow; ++ox)
        for (std::size_t f = 0; f < g.f; ++f) {
          Acc s = bias != nullptr ? Acc(bias[f]) : Acc(0);
          for (std::size_t i = 0; i < g.kh; ++i)
            for (std::size_t j = 0; j < g.kw; ++j) {
              const auto r = g.in_row(oy, i), q = g.in_col(ox, j);
              if (!g.inside(r, q)) continue;
              const T* xp = x + ((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c;
              const T* wp = wt + (i * g.kw + j) * g.c * g.f + f;
              for (std::size_t ch = 0; ch < g.c; ++ch) s += Acc(xp[ch]) * Acc(wp[ch * g.f]);
            }
          y[((n * g.oh + oy) * g.ow + ox) * g.f + f] = activate(act, T(s));
        }
}

/// dw = dL/dw (overwritten); db = dL/dbias unless null.
template <class T>
void conv2d_backward_filter(reference_t, const conv_geometry& g, const T* x, const T* dy, T* dw,
                            T* db, std::span<T> = {}) noexcept {
  using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;
  for (std::size_t i = 0; i < g.kh; ++i)
    for (std::size_t j = 0; j < g.kw; ++j)
      for (std::size_t ch = 0; ch < g.c; ++ch)
        for (std::size_t f = 0; f < g.f; ++f) {
          Acc s = 0;
          for (std::size_t n = 0; n < g.batch; ++n)
            for (std::size_t oy = 0; oy < g.oh; ++oy)
              for (std::size_t ox = 0; ox < g.ow; ++ox) {
                const auto r = g.in_row(oy, i), q = g.in_col(ox, j);
                if (!g.inside(r, q)) continue;
                s += Acc(x[((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c + ch]) *
                     Acc(dy[((n * g.oh + oy) * g.ow + ox) * g.f + f]);
              }
          dw[((i * g.kw + j) * g.c + ch) * g.f + f] = T(s);
        }
  if (db != nullptr) column_sums(reference, dy, db, g.rows(), g.f);
}

/// dx = dL/dx (overwritten), times f'(z) of the activation that produced x = f(z) when
/// `input_act` is not identity.
template <class T>
void conv2d_backward_data(reference_t, const conv_geometry& g, const T* dy, const T* wt, T* dx,
                          activation input_act, const T* x, std::span<T> = {}) noexcept {
  std::fill_n(dx, g.batch * g.h * g.w * g.c, T(0));
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t oy = 0; oy < g.oh; ++oy)
      for (std::size_t ox = 0; ox < g.ow; ++ox) {
        const T* dyp = dy + ((n * g.oh + oy) * g.ow + ox) * g.f;
        for (std::size_t i = 0; i < g.kh; ++i)
          for (std::size_t j = 0; j < g.kw; ++j) {
            const auto r = g.in_row(oy, i), q = g.in_col(ox, j);
            if (!g.inside(r, q)) continue;
            T* dxp = dx + ((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c;
            const T* wp = wt + (i * g.kw + j) * g.c * g.f;
            for (std::size_t ch = 0; ch < g.c; ++ch) {
              T s = 0;
              for (std::size_t f = 0; f < g.f; ++f) s += dyp[f] * wp[ch * g.f + f];
              dxp[ch] += s;
            }
          }
      }
  if (input_act != activation::identity)
    activation_backward_from_output(reference, input_act, x, dx, dx, g.batch * g.h * g.w * g.c);
}

namespace detail {
// Rows [r0, r0 + count) of the lowered matrix into col (count x depth).
template <class T>
void lower_rows(const conv_geometry& g, const T* x, std::size_t r0, std::size_t count,
                T* col) noexcept {
  const std::size_t per_image = g.oh * g.ow;
  std::size_t n = r0 / per_image, oy = r0 % per_image / g.ow, ox = r0 % g.ow;
  for (std::size_t m = 0; m < count; ++m) {
    const T* image = x + n * g.h * g.w * g.c;
    const auto q0 = g.in_col(ox, 0);
    const bool row_inside = g.dw == 1 && q0 >= 0 && q0 + std::ptrdiff_t(g.kw) <= std::ptrdiff_t(g.w);
    for (std::size_t i = 0; i < g.kh; ++i) {
      const auto r = g.in_row(oy, i);
      // Without dilation a window row inside the image is kw * c contiguous values: one copy
      // (for a one-channel image, 3 values instead of 3 calls of 1).
      if (row_inside && r >= 0 && r < std::ptrdiff_t(g.h)) {
        const T* src = image + (std::size_t(r) * g.w + std::size_t(q0)) * g.c;
        const std::size_t len = g.kw * g.c;
        for (std::size_t t = 0; t < len; ++t) col[t] = src[t];
        col += len;
        continue;
      }
      for (std::size_t j = 0; j < g.kw; ++j, col += g.c) {
        const auto q = g.in_col(ox, j);
        if (g.inside(r, q))
          std::copy_n(image + (std::size_t(r) * g.w + std::size_t(q)) * g.c, g.c, col);
        else
          std::fill_n(col, g.c, T(0));
      }
    }
    if (++ox == g.ow) {
      ox = 0;
      if (++oy == g.oh) {
        oy = 0;
        ++n;
      }
    }
  }
}

// Adds col's rows [r0, r0 + count) back to the input pixels they were read from.
template <class T>
void scatter_rows(const conv_geometry& g, const T* col, std::size_t r0, std::size_t count,
                  T* dx) noexcept {
  const std::size_t per_image = g.oh * g.ow;
  for (std::size_t m = r0; m < r0 + count; ++m) {
    const std::size_t n = m / per_image, oy = m % per_image / g.ow, ox = m % g.ow;
    for (std::size_t i = 0; i < g.kh; ++i) {
      const auto r = g.in_row(oy, i);
      for (std::size_t j = 0; j < g.kw; ++j, col += g.c) {
        const auto q = g.in_col(ox, j);
        if (!g.inside(r, q)) continue;
        T* d = dx + ((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c;
        for (std::size_t ch = 0; ch < g.c; ++ch) d[ch] += col[ch];
      }
    }
  }
}

template <class T, class F>
void for_each_block(const conv_geometry& g, std::span<T> work, F&& f) {
  const std::size_t block = std::min(g.rows(), work.size() / g.depth());
  for (std::size_t r0 = 0; r0 < g.rows(); r0 += block) f(r0, std::min(block, g.rows() - r0));
}

// Multiply-adds below which a second thread costs more than it saves (the GEMM's threshold).
inline constexpr std::size_t conv_parallel_threshold = std::size_t{1} << 21;

// How many shares of whole images a pass over the batch splits into: one per thread with a
// workspace block each, when the work pays for the threads. A 1-filter convolution stays whole:
// its GEMM is a matrix-vector product whose rounding depends on the row's place in its block,
// and results must not depend on the thread count.
template <class T>
unsigned image_shares(const conv_geometry& g, std::span<T> work, std::size_t depth) noexcept {
  if (g.f == 1 || g.rows() * g.depth() * std::max<std::size_t>(g.f, 1) < conv_parallel_threshold)
    return 1;
  return static_cast<unsigned>(std::max<std::size_t>(
      1, std::min({std::size_t{max_threads()}, g.batch, work.size() / depth})));
}

// Runs f(sub-geometry, share, first image) for each of `shares` shares of the batch's whole
// images, one per worker thread. An image is one share's alone, so results do not depend on
// the number of shares.
template <class F>
void for_each_image_share(const conv_geometry& g, unsigned shares, const F& f) {
  parallel_for(shares, [&](unsigned s) {
    const std::size_t first = g.batch * s / shares, last = g.batch * (s + 1) / shares;
    conv_geometry sub = g;
    sub.batch = last - first;
    if (sub.batch > 0) f(sub, s, first);
  });
}

// The same with a workspace slice for each share.
template <class T, class F>
void for_each_image_share(const conv_geometry& g, std::span<T> work, std::size_t depth,
                          const F& f) {
  const unsigned shares = image_shares(g, work, depth);
  const std::size_t slice = work.size() / shares;
  for_each_image_share(g, shares, [&](const conv_geometry& sub, unsigned s, std::size_t first) {
    f(sub, first, work.subspan(s * slice, slice));
  });
}
}  // namespace detail

namespace dispatch {
void conv2d_forward(const conv_geometry& g, const float* x, const float* wt, const float* bias,
                    float* y, activation act, std::span<float> work) noexcept;
void conv2d_backward_filter(const conv_geometry& g, const float* x, const float* dy, float* dw,
                            float* db, std::span<float> work) noexcept;
void conv2d_backward_data(const conv_geometry& g, const float* dy, const float* wt, float* dx,
                          activation input_act, const float* x, std::span<float> work) noexcept;
}  // namespace dispatch

// Each takes the instruction set as a template argument, passed to every kernel it calls, so
// that its instantiations for two instruction sets are two functions (see cpu/dispatch.hpp).

/// `work` holds at least conv_workspace_size(g, g.batch, threads) values, or one lowered row
/// (then the rows go one block at a time, smaller blocks just slower). Shares of whole images run
/// on the worker threads, each lowering into its own part of `work`; every output row is computed
/// by the same arithmetic whatever the thread count.
template <class T, class Arch = cpu::simd::default_arch>
void conv2d_forward(cpu_t be, const conv_geometry& g, const T* x, const T* wt, const T* bias, T* y,
                    activation act, std::span<T> work) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::conv2d_forward(g, x, wt, bias, y, act, work);
    return;
  }
  const epilogue<T> epi{.bias = bias, .act = act};
  if (g.pointwise()) {
    gemm<T, Arch>(be, {trans::no, trans::no, g.rows(), g.f, g.c}, T(1), x, g.c, wt, g.f, T(0), y,
                  g.f, epi);
    return;
  }
  detail::for_each_image_share(g, work, g.depth(), [&](const conv_geometry& sub, std::size_t first,
                                                       std::span<T> part) {
    const T* xs = x + first * g.h * g.w * g.c;
    T* ys = y + first * g.oh * g.ow * g.f;
    detail::for_each_block(sub, part, [&](std::size_t r0, std::size_t count) {
      detail::lower_rows(sub, xs, r0, count, part.data());
      gemm<T, Arch>(be, {trans::no, trans::no, count, g.f, g.depth()}, T(1), part.data(),
                    g.depth(), wt, g.f, T(0), ys + r0 * g.f, g.f, epi);
    });
  });
}

/// The blocks run one after the other (dW sums over them in a fixed order); each block is
/// lowered by all threads and its product split by the GEMM.
template <class T, class Arch = cpu::simd::default_arch>
void conv2d_backward_filter(cpu_t be, const conv_geometry& g, const T* x, const T* dy, T* dw,
                            T* db, std::span<T> work) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::conv2d_backward_filter(g, x, dy, dw, db, work);
    return;
  }
  if (g.pointwise()) {
    gemm<T, Arch>(be, {trans::yes, trans::no, g.c, g.f, g.rows()}, T(1), x, g.c, dy, g.f, T(0),
                  dw, g.f);
  } else {
    detail::for_each_block(g, work, [&](std::size_t r0, std::size_t count) {
      const unsigned shares =
          count * g.depth() < (std::size_t{1} << 14) ? 1u : std::min<unsigned>(max_threads(), 8);
      parallel_for(shares, [&](unsigned s) {
        const std::size_t a = count * s / shares, b = count * (s + 1) / shares;
        detail::lower_rows(g, x, r0 + a, b - a, work.data() + a * g.depth());
      });
      gemm<T, Arch>(be, {trans::yes, trans::no, g.depth(), g.f, count}, T(1), work.data(),
                    g.depth(), dy + r0 * g.f, g.f, r0 == 0 ? T(0) : T(1), dw, g.f);
    });
  }
  if (db != nullptr) column_sums<T, Arch>(be, dy, db, g.rows(), g.f);
}

template <class T, class Arch = cpu::simd::default_arch>
void conv2d_backward_data(cpu_t be, const conv_geometry& g, const T* dy, const T* wt, T* dx,
                          activation input_act, const T* x, std::span<T> work) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::conv2d_backward_data(g, dy, wt, dx, input_act, x, work);
    return;
  }
  if (g.pointwise()) {
    gemm<T, Arch>(be, {trans::no, trans::yes, g.rows(), g.c, g.f}, T(1), dy, g.f, wt, g.f, T(0), dx,
                  g.c, epilogue<T>{.dact = input_act, .y = x, .ldy = g.c});
    return;
  }
  detail::for_each_image_share(g, work, g.depth(), [&](const conv_geometry& sub, std::size_t first,
                                                       std::span<T> part) {
    const std::size_t image = g.h * g.w * g.c;
    T* dxs = dx + first * image;
    const T* dys = dy + first * g.oh * g.ow * g.f;
    std::fill_n(dxs, sub.batch * image, T(0));
    detail::for_each_block(sub, part, [&](std::size_t r0, std::size_t count) {
      gemm<T, Arch>(be, {trans::no, trans::yes, count, g.depth(), g.f}, T(1), dys + r0 * g.f, g.f,
                    wt, g.f, T(0), part.data(), g.depth());
      detail::scatter_rows(sub, part.data(), r0, count, dxs);
    });
    if (input_act != activation::identity)
      activation_backward_from_output<T, Arch>(be, input_act, x + first * image, dxs, dxs,
                                               sub.batch * image);
  });
}

/// y = x inside a border of zeros: g.pad_top rows and g.pad_left columns before it, the output
/// (g.oh, g.ow, g.c) per image (ZeroPadding2D).
template <class T>
void pad2d_forward(reference_t, const conv_geometry& g, const T* x, T* y) noexcept {
  std::fill_n(y, g.batch * g.oh * g.ow * g.c, T(0));
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t r = 0; r < g.h; ++r)
      std::copy_n(x + (n * g.h + r) * g.w * g.c, g.w * g.c,
                  y + ((n * g.oh + r + g.pad_top) * g.ow + g.pad_left) * g.c);
}

/// dx = the part of dy over the input (the border's gradient goes nowhere).
template <class T>
void pad2d_backward(reference_t, const conv_geometry& g, const T* dy, T* dx) noexcept {
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t r = 0; r < g.h; ++r)
      std::copy_n(dy + ((n * g.oh + r + g.pad_top) * g.ow + g.pad_left) * g.c, g.w * g.c,
                  dx + (n * g.h + r) * g.w * g.c);
}

/// Nearest-neighbour upsampling (UpSampling2D): each input pixel repeated g.kh times down and
/// g.kw times across, the output (g.oh, g.ow, g.c) = (g.h g.kh, g.w g.kw, g.c) per image.
template <class T>
void upsample2d_forward(reference_t, const conv_geometry& g, const T* x, T* y) noexcept {
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t r = 0; r < g.oh; ++r) {
      const T* in = x + (n * g.h + r / g.kh) * g.w * g.c;
      T* out = y + (n * g.oh + r) * g.ow * g.c;
      for (std::size_t q = 0; q < g.w; ++q)
        for (std::size_t j = 0; j < g.kw; ++j)
          std::copy_n(in + q * g.c, g.c, out + (q * g.kw + j) * g.c);
    }
}

/// Input element i's gradient: the sum of its kh x kw copies' gradients, row by row (the one
/// formula both backends add in).
template <class T>
FITCHECK_HOST_DEVICE T upsampled_gradient(const conv_geometry& g, const T* dy,
                                          std::size_t i) noexcept {
  const std::size_t ch = i % g.c, q = i / g.c % g.w, r = i / g.c / g.w % g.h,
                    n = i / g.c / g.w / g.h;
  T sum = T(0);
  for (std::size_t a = 0; a < g.kh; ++a)
    for (std::size_t b = 0; b < g.kw; ++b)
      sum += dy[((n * g.oh + r * g.kh + a) * g.ow + q * g.kw + b) * g.c + ch];
  return sum;
}

/// dx (overwritten) of nearest-neighbour upsampling.
template <class T>
void upsample2d_backward(reference_t, const conv_geometry& g, const T* dy, T* dx) noexcept {
  for (std::size_t i = 0; i < g.batch * g.h * g.w * g.c; ++i) dx[i] = upsampled_gradient(g, dy, i);
}

namespace detail {
// Calls visit(input pixel, tap) for each window position (tap = i kw + k) of output (n, oy, ox)
// that lies inside the input, in window order.
FITCHECK_EXEC_CHECK_DISABLE
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE void for_window_taps(const conv_geometry& g,
                                                                std::size_t n, std::size_t oy,
                                                                std::size_t ox, V&& visit) {
  for (std::size_t i = 0; i < g.kh; ++i)
    for (std::size_t k = 0; k < g.kw; ++k) {
      const std::ptrdiff_t r = g.in_row(oy, i), q = g.in_col(ox, k);
      if (g.inside(r, q)) visit((n * g.h + std::size_t(r)) * g.w + std::size_t(q), i * g.kw + k);
    }
}
// Calls visit(input pixel, output pixel) for each output of the batch whose window position
// `tap` lies inside the input, image by image, row by row.
FITCHECK_EXEC_CHECK_DISABLE
template <class V>
FITCHECK_HOST_DEVICE FITCHECK_FORCE_INLINE void for_tap_outputs(const conv_geometry& g,
                                                                std::size_t tap, V&& visit) {
  const std::size_t i = tap / g.kw, k = tap % g.kw;
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t oy = 0; oy < g.oh; ++oy) {
      const std::ptrdiff_t r = g.in_row(oy, i);
      if (r < 0 || r >= std::ptrdiff_t(g.h)) continue;
      for (std::size_t ox = 0; ox < g.ow; ++ox) {
        const std::ptrdiff_t q = g.in_col(ox, k);
        if (q >= 0 && q < std::ptrdiff_t(g.w))
          visit((n * g.h + std::size_t(r)) * g.w + std::size_t(q), (n * g.oh + oy) * g.ow + ox);
      }
    }
}
}  // namespace detail

/// Depthwise convolution (DepthwiseConv2D): each input channel ch convolved with its own
/// g.f / g.c filters, output channel ch m + j, m = g.f / g.c, the kernel (kh, kw, c, m) as Keras
/// stores it. Each output, input gradient and kernel gradient element is one formula below, a
/// sum in a fixed order (a thread per element on the GPU; the CPU's loops below add the same
/// terms with the channels innermost): the results do not depend on the backend's parallelism.
template <class T>
FITCHECK_HOST_DEVICE T depthwise_value(const conv_geometry& g, const T* x, const T* w, const T* b,
                                       std::size_t o) noexcept {
  const std::size_t oc = o % g.f, ox = o / g.f % g.ow, oy = o / g.f / g.ow % g.oh,
                    n = o / g.f / g.ow / g.oh, ch = oc / (g.f / g.c);
  T sum = T(0);
  detail::for_window_taps(g, n, oy, ox, [&](std::size_t pixel, std::size_t tap) {
    sum += x[pixel * g.c + ch] * w[tap * g.f + oc];
  });
  return b != nullptr ? sum + b[oc] : sum;
}

/// Input element e's gradient: the outputs whose windows hold it, each through its filters.
template <class T>
FITCHECK_HOST_DEVICE T depthwise_input_gradient(const conv_geometry& g, const T* dy, const T* w,
                                                std::size_t e) noexcept {
  const std::size_t ch = e % g.c, q = e / g.c % g.w, r = e / g.c / g.w % g.h,
                    n = e / g.c / g.w / g.h, m = g.f / g.c;
  T sum = T(0);
  for (std::size_t i = 0; i < g.kh; ++i) {
    const std::ptrdiff_t ty = std::ptrdiff_t(r + g.pad_top) - std::ptrdiff_t(i * g.dh);
    if (ty < 0 || std::size_t(ty) % g.sh != 0 || std::size_t(ty) / g.sh >= g.oh) continue;
    const std::size_t oy = std::size_t(ty) / g.sh;
    for (std::size_t k = 0; k < g.kw; ++k) {
      const std::ptrdiff_t tx = std::ptrdiff_t(q + g.pad_left) - std::ptrdiff_t(k * g.dw);
      if (tx < 0 || std::size_t(tx) % g.sw != 0 || std::size_t(tx) / g.sw >= g.ow) continue;
      const std::size_t ox = std::size_t(tx) / g.sw;
      const T* d = dy + ((n * g.oh + oy) * g.ow + ox) * g.f + ch * m;
      const T* f = w + (i * g.kw + k) * g.f + ch * m;
      for (std::size_t j = 0; j < m; ++j) sum += d[j] * f[j];
    }
  }
  return sum;
}

/// Kernel element e's gradient, e = (i kw + k) f + oc: its input times the output's gradient,
/// over every output of the batch, image by image, row by row.
template <class T>
FITCHECK_HOST_DEVICE T depthwise_filter_gradient(const conv_geometry& g, const T* x, const T* dy,
                                                 std::size_t e) noexcept {
  const std::size_t oc = e % g.f, ch = oc / (g.f / g.c);
  T sum = T(0);
  detail::for_tap_outputs(g, e / g.f, [&](std::size_t in, std::size_t out) {
    sum += x[in * g.c + ch] * dy[out * g.f + oc];
  });
  return sum;
}

/// y (overwritten) = the depthwise convolution of x with w, plus b unless it is null.
template <class T>
void depthwise_forward(reference_t, const conv_geometry& g, const T* x, const T* w, const T* b,
                       T* y) noexcept {
  for (std::size_t o = 0; o < g.rows() * g.f; ++o) y[o] = depthwise_value(g, x, w, b, o);
}
/// dx (overwritten).
template <class T>
void depthwise_backward_data(reference_t, const conv_geometry& g, const T* dy, const T* w,
                             T* dx) noexcept {
  for (std::size_t e = 0; e < g.batch * g.h * g.w * g.c; ++e)
    dx[e] = depthwise_input_gradient(g, dy, w, e);
}
/// dw (overwritten, kh kw f values).
template <class T>
void depthwise_backward_filter(reference_t, const conv_geometry& g, const T* x, const T* dy,
                               T* dw) noexcept {
  for (std::size_t e = 0; e < g.kh * g.kw * g.f; ++e) dw[e] = depthwise_filter_gradient(g, x, dy, e);
}

/// One axis of bilinear upsampling by an integer factor `scale`, with half-pixel centres
/// (TensorFlow's tf.image.resize, which Keras' UpSampling2D(interpolation="bilinear") calls, and
/// PyTorch's align_corners=False): output o samples the input at (o + 0.5) / scale - 0.5,
/// clamped at 0, between inputs i0 and i1 = min(i0 + 1, n - 1) with weights 1 - lambda and lambda.
struct bilinear_tap {
  std::size_t i0, i1;
  double lambda;
};
FITCHECK_HOST_DEVICE inline bilinear_tap bilinear_at(std::size_t o, std::size_t scale,
                                                     std::size_t n) noexcept {
  double src = (double(o) + 0.5) / double(scale) - 0.5;
  if (src < 0.0) src = 0.0;
  const auto i0 = static_cast<std::size_t>(src);
  return {i0, i0 + 1 < n ? i0 + 1 : i0, src - double(i0)};
}
/// The weight of input i in output o along that axis (0 when o does not read it).
FITCHECK_HOST_DEVICE inline double bilinear_weight(std::size_t o, std::size_t i, std::size_t scale,
                                                   std::size_t n) noexcept {
  const bilinear_tap t = bilinear_at(o, scale, n);
  return (t.i0 == i ? 1.0 - t.lambda : 0.0) + (t.i1 == i ? t.lambda : 0.0);
}

/// Output element o of bilinear upsampling (scale g.kh down, g.kw across): the rows' weights
/// applied to the columns' blends, in PyTorch's order.
template <class T>
FITCHECK_HOST_DEVICE T bilinear_value(const conv_geometry& g, const T* x, std::size_t o) noexcept {
  const std::size_t ch = o % g.c, q = o / g.c % g.ow, r = o / g.c / g.ow % g.oh,
                    n = o / g.c / g.ow / g.oh;
  const bilinear_tap a = bilinear_at(r, g.kh, g.h), b = bilinear_at(q, g.kw, g.w);
  const T* img = x + n * g.h * g.w * g.c + ch;
  const T h1 = T(a.lambda), h0 = T(1) - h1, w1 = T(b.lambda), w0 = T(1) - w1;
  return h0 * (w0 * img[(a.i0 * g.w + b.i0) * g.c] + w1 * img[(a.i0 * g.w + b.i1) * g.c]) +
         h1 * (w0 * img[(a.i1 * g.w + b.i0) * g.c] + w1 * img[(a.i1 * g.w + b.i1) * g.c]);
}

/// Input element i's gradient under bilinear upsampling: the weighted sum of the gradients of
/// the outputs that read it, which lie within one input row or column of its copies (a gather,
/// the same sums in the same order on every backend).
template <class T>
FITCHECK_HOST_DEVICE T bilinear_gradient(const conv_geometry& g, const T* dy,
                                         std::size_t i) noexcept {
  const std::size_t ch = i % g.c, q = i / g.c % g.w, r = i / g.c / g.w % g.h,
                    n = i / g.c / g.w / g.h;
  const std::size_t r_lo = r > 0 ? (r - 1) * g.kh : 0, q_lo = q > 0 ? (q - 1) * g.kw : 0;
  const std::size_t r_hi = (r + 2) * g.kh < g.oh ? (r + 2) * g.kh : g.oh;
  const std::size_t q_hi = (q + 2) * g.kw < g.ow ? (q + 2) * g.kw : g.ow;
  T sum = T(0);
  for (std::size_t oy = r_lo; oy < r_hi; ++oy) {
    const double wy = bilinear_weight(oy, r, g.kh, g.h);
    if (wy == 0.0) continue;
    T row = T(0);
    for (std::size_t ox = q_lo; ox < q_hi; ++ox) {
      const double wx = bilinear_weight(ox, q, g.kw, g.w);
      if (wx != 0.0) row += T(wx) * dy[((n * g.oh + oy) * g.ow + ox) * g.c + ch];
    }
    sum += T(wy) * row;
  }
  return sum;
}

/// Bilinear upsampling (UpSampling2D with interpolation::bilinear), the output (g.h g.kh,
/// g.w g.kw, g.c) per image.
template <class T>
void upsample2d_bilinear_forward(reference_t, const conv_geometry& g, const T* x, T* y) noexcept {
  for (std::size_t o = 0; o < g.batch * g.oh * g.ow * g.c; ++o) y[o] = bilinear_value(g, x, o);
}
/// dx (overwritten) of bilinear upsampling.
template <class T>
void upsample2d_bilinear_backward(reference_t, const conv_geometry& g, const T* dy,
                                  T* dx) noexcept {
  for (std::size_t i = 0; i < g.batch * g.h * g.w * g.c; ++i) dx[i] = bilinear_gradient(g, dy, i);
}

/// Max or average over each window, per channel (`g.f` unused: output channels = c).
enum class pool : bool { max, average };

namespace detail {
// Calls visit(input offset) for each in-bounds element of the window of output (n, oy, ox);
// returns how many there were.
template <class V>
std::size_t for_window(const conv_geometry& g, std::size_t n, std::size_t oy, std::size_t ox,
                       V&& visit) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < g.kh; ++i)
    for (std::size_t j = 0; j < g.kw; ++j) {
      const auto r = g.in_row(oy, i), q = g.in_col(ox, j);
      if (!g.inside(r, q)) continue;
      visit(((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c);
      ++count;
    }
  return count;
}
}  // namespace detail

/// y = the max (or the mean) of each window; padding is never part of either (Keras: a `same`
/// average divides by the in-bounds count). Channels are innermost, so every loop below runs
/// along contiguous channels and vectorises.
template <class T>
void pool2d_forward(reference_t, pool kind, const conv_geometry& g, const T* x, T* y) noexcept {
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t oy = 0; oy < g.oh; ++oy)
      for (std::size_t ox = 0; ox < g.ow; ++ox) {
        T* yp = y + ((n * g.oh + oy) * g.ow + ox) * g.c;
        bool first = true;
        const std::size_t count = detail::for_window(g, n, oy, ox, [&](std::size_t at) {
          const T* xp = x + at;
          if (first) {
            std::copy_n(xp, g.c, yp);
          } else if (kind == pool::max) {
            for (std::size_t ch = 0; ch < g.c; ++ch) yp[ch] = xp[ch] > yp[ch] ? xp[ch] : yp[ch];
          } else {
            for (std::size_t ch = 0; ch < g.c; ++ch) yp[ch] += xp[ch];
          }
          first = false;
        });
        if (kind == pool::average) {
          const T inv = T(1) / T(count);
          for (std::size_t ch = 0; ch < g.c; ++ch) yp[ch] *= inv;
        }
      }
}

/// dx (overwritten): a max window's gradient goes to its first maximal element (PyTorch's and
/// TensorFlow's choice on ties), found again from x and y; an average spreads it evenly.
template <class T>
void pool2d_backward(reference_t, pool kind, const conv_geometry& g, const T* x, const T* y,
                     const T* dy, T* dx) noexcept {
  // Windows that tile the input exactly (2 x 2 pools of an even-sized map) write each input
  // element once: no zeroing first.
  const bool tiles = g.sh == g.kh && g.sw == g.kw && g.oh * g.sh == g.h && g.ow * g.sw == g.w &&
                     g.pad_top == 0 && g.pad_left == 0 && kind == pool::max;
  if (!tiles) std::fill_n(dx, g.batch * g.h * g.w * g.c, T(0));
  for (std::size_t n = 0; n < g.batch; ++n)
    for (std::size_t oy = 0; oy < g.oh; ++oy)
      for (std::size_t ox = 0; ox < g.ow; ++ox) {
        const std::size_t o = ((n * g.oh + oy) * g.ow + ox) * g.c;
        if (kind == pool::max) {
          // Channels in blocks of 64. `give` holds the gradient not yet handed out: the first
          // element equal to the maximum takes it all and leaves 0 for later ties, without a
          // branch, so the channel loop vectorises.
          for (std::size_t c0 = 0; c0 < g.c; c0 += 64) {
            const std::size_t cn = std::min<std::size_t>(64, g.c - c0);
            T give[64];
            std::copy_n(dy + o + c0, cn, give);
            const T* yo = y + o + c0;
            detail::for_window(g, n, oy, ox, [&](std::size_t at) {
              const T* xp = x + at + c0;
              T* dxp = dx + at + c0;
              for (std::size_t ch = 0; ch < cn; ++ch) {
                const T taken = xp[ch] == yo[ch] ? give[ch] : T(0);
                if (tiles) dxp[ch] = taken;
                else dxp[ch] += taken;
                give[ch] -= taken;
              }
            });
          }
        } else {
          const std::size_t count = detail::for_window(g, n, oy, ox, [](std::size_t) {});
          const T inv = T(1) / T(count);
          detail::for_window(g, n, oy, ox, [&](std::size_t at) {
            for (std::size_t ch = 0; ch < g.c; ++ch) dx[at + ch] += dy[o + ch] * inv;
          });
        }
      }
}

namespace detail {
// Pooling's shares: one per worker thread when the windows hold enough values to pay for them.
template <class F>
void pool_image_shares(const conv_geometry& g, const F& f) {
  const std::size_t values = g.batch * g.oh * g.ow * g.c * g.kh * g.kw;
  const unsigned shares = values < (std::size_t{1} << 16)
                              ? 1u
                              : static_cast<unsigned>(std::min<std::size_t>(max_threads(), g.batch));
  for_each_image_share(g, shares,
                       [&](const conv_geometry& sub, unsigned, std::size_t first) { f(sub, first); });
}
}  // namespace detail

namespace dispatch {
void pool2d_forward(pool kind, const conv_geometry& g, const float* x, float* y) noexcept;
void pool2d_backward(pool kind, const conv_geometry& g, const float* x, const float* y,
                     const float* dy, float* dx) noexcept;
}  // namespace dispatch

/// The reference loops on shares of the batch's images, one per worker thread.
template <class T, class Arch = cpu::simd::default_arch>
void pool2d_forward(cpu_t, pool kind, const conv_geometry& g, const T* x, T* y) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::pool2d_forward(kind, g, x, y);
    return;
  }
  detail::pool_image_shares(g, [&](const conv_geometry& sub, std::size_t first) {
    pool2d_forward(reference, kind, sub, x + first * g.h * g.w * g.c,
                   y + first * g.oh * g.ow * g.c);
  });
}

template <class T, class Arch = cpu::simd::default_arch>
void pool2d_backward(cpu_t, pool kind, const conv_geometry& g, const T* x, const T* y,
                     const T* dy, T* dx) noexcept {
  if constexpr (detail::dispatched<T>) {
    dispatch::pool2d_backward(kind, g, x, y, dy, dx);
    return;
  }
  detail::pool_image_shares(g, [&](const conv_geometry& sub, std::size_t first) {
    const std::size_t in = first * g.h * g.w * g.c, out = first * g.oh * g.ow * g.c;
    pool2d_backward(reference, kind, sub, x + in, y + out, dy + out, dx + in);
  });
}

/// The depthwise convolution on the CPU: the reference's sums, each over the same terms in the
/// same order, with the channels innermost so that the compiler vectorises them; the batch's
/// images (the kernel's window positions for its gradient) shared among the worker threads.
namespace detail {
// out[ch m + j] += a[ch] * b[ch m + j] over the c channels: the inner step of all three passes.
template <class T>
FITCHECK_FORCE_INLINE void depthwise_madd(T* out, const T* a, const T* b, std::size_t c,
                                          std::size_t m) noexcept {
  if (m == 1) {
    for (std::size_t ch = 0; ch < c; ++ch) out[ch] += a[ch] * b[ch];
  } else {
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t j = 0; j < m; ++j) out[ch * m + j] += a[ch] * b[ch * m + j];
  }
}
// dx[ch] += sum_j dy[ch m + j] w[ch m + j].
template <class T>
FITCHECK_FORCE_INLINE void depthwise_back(T* dx, const T* dy, const T* w, std::size_t c,
                                          std::size_t m) noexcept {
  if (m == 1) {
    for (std::size_t ch = 0; ch < c; ++ch) dx[ch] += dy[ch] * w[ch];
  } else {
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t j = 0; j < m; ++j) dx[ch] += dy[ch * m + j] * w[ch * m + j];
  }
}
}  // namespace detail

template <class T>
void depthwise_forward(cpu_t, const conv_geometry& g, const T* x, const T* w, const T* b,
                       T* y) noexcept {
  const std::size_t m = g.f / g.c;
  detail::pool_image_shares(g, [&](const conv_geometry& sub, std::size_t first) {
    for (std::size_t n = first; n < first + sub.batch; ++n)
      for (std::size_t oy = 0; oy < g.oh; ++oy)
        for (std::size_t ox = 0; ox < g.ow; ++ox) {
          T* out = y + ((n * g.oh + oy) * g.ow + ox) * g.f;
          std::fill_n(out, g.f, T(0));
          detail::for_window_taps(g, n, oy, ox, [&](std::size_t pixel, std::size_t tap) {
            detail::depthwise_madd(out, x + pixel * g.c, w + tap * g.f, g.c, m);
          });
          if (b != nullptr)
            for (std::size_t oc = 0; oc < g.f; ++oc) out[oc] += b[oc];
        }
  });
}
template <class T>
void depthwise_backward_data(cpu_t, const conv_geometry& g, const T* dy, const T* w,
                             T* dx) noexcept {
  // A scatter from each output over its window (the reference gathers; the same terms, summed
  // in output order).
  const std::size_t m = g.f / g.c;
  detail::pool_image_shares(g, [&](const conv_geometry& sub, std::size_t first) {
    std::fill_n(dx + first * g.h * g.w * g.c, sub.batch * g.h * g.w * g.c, T(0));
    for (std::size_t n = first; n < first + sub.batch; ++n)
      for (std::size_t oy = 0; oy < g.oh; ++oy)
        for (std::size_t ox = 0; ox < g.ow; ++ox) {
          const T* d = dy + ((n * g.oh + oy) * g.ow + ox) * g.f;
          detail::for_window_taps(g, n, oy, ox, [&](std::size_t pixel, std::size_t tap) {
            detail::depthwise_back(dx + pixel * g.c, d, w + tap * g.f, g.c, m);
          });
        }
  });
}
template <class T>
void depthwise_backward_filter(cpu_t, const conv_geometry& g, const T* x, const T* dy,
                               T* dw) noexcept {
  const std::size_t m = g.f / g.c, taps = g.kh * g.kw;
  const unsigned shares = g.rows() * taps * g.f < (std::size_t{1} << 16)
                              ? 1u
                              : static_cast<unsigned>(std::min<std::size_t>(max_threads(), taps));
  parallel_for(shares, [&](unsigned s) {
    for (std::size_t tap = taps * s / shares; tap < taps * (s + 1) / shares; ++tap) {
      T* acc = dw + tap * g.f;
      std::fill_n(acc, g.f, T(0));
      detail::for_tap_outputs(g, tap, [&](std::size_t in, std::size_t out) {
        detail::depthwise_madd(acc, x + in * g.c, dy + out * g.f, g.c, m);
      });
    }
  });
}

}  // namespace fitcheck::kernels
