// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/gpu/gemm.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>

// Convolution, pooling and zero padding of the cuda backend, the cpu kernels' signatures
// (kernels/conv.hpp) with device pointers. A convolution is lowered, as on the CPU, into a col
// matrix (one row per output pixel) and multiplied by the device GEMM with bias and activation in
// its epilogue; the lowering runs over groups of whole images, at most device_conv_group_floats
// of col (kernels/conv.hpp), in a scratch block reused by every call. Gradients are gathered,
// never scattered: each input element sums the col entries (or pooling windows) that read it, in
// the order the reference adds them, so there are no atomics and the results do not depend on
// the schedule.

namespace fitcheck::kernels {

namespace gpu::detail {
// Output pixel m of the batch -> (image, row, column).
struct pixel {
  std::size_t n, oy, ox;
};
FITCHECK_HOST_DEVICE inline pixel pixel_of(const conv_geometry& g, std::size_t m) {
  const std::size_t per_image = g.oh * g.ow;
  return {m / per_image, m % per_image / g.ow, m % g.ow};
}

// col[idx] for the lowered rows [r0, ...): entry (row, (i * kw + j) * c + ch) is the input value
// under window element (i, j) of channel ch, or 0 in the padding.
template <class T>
struct lower_element {
  conv_geometry g;
  const T* x;
  T* col;
  std::size_t r0;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t depth = g.depth();
    const pixel p = pixel_of(g, r0 + idx / depth);
    const std::size_t d = idx % depth, ch = d % g.c, j = d / g.c % g.kw, i = d / g.c / g.kw;
    const auto r = g.in_row(p.oy, i), q = g.in_col(p.ox, j);
    col[idx] = g.inside(r, q) ? x[((p.n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c + ch]
                              : T(0);
  }
};

// Calls f(o, i) for every output row o and window row i that read input row r, o ascending (the
// order the reference's loops visit them); likewise for columns.
template <class F>
FITCHECK_HOST_DEVICE inline void for_readers(std::size_t r, std::size_t pad, std::size_t stride,
                                             std::size_t dilation, std::size_t k, std::size_t out,
                                             F&& f) {
  // o * stride + i * dilation = r + pad with i < k: o from ceil((at - span) / stride) to
  // at / stride, span = (k - 1) * dilation.
  const std::size_t at = r + pad, span = (k - 1) * dilation;
  const std::size_t first = at > span ? (at - span + stride - 1) / stride : 0;
  for (std::size_t o = first; o < out && o * stride <= at; ++o) {
    const std::size_t rest = at - o * stride;
    if (rest % dilation == 0) f(o, rest / dilation);
  }
}

// dx of input element idx of images [n0, ...) from dcol (rows of those images), times the
// derivative of the activation that produced x when `act` is not identity.
template <class T>
struct gather_col {
  conv_geometry g;
  const T* dcol;
  T* dx;
  const T* x;
  activation act;
  std::size_t n0;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t ch = idx % g.c, q = idx / g.c % g.w, r = idx / g.c / g.w % g.h,
                      n = idx / g.c / g.w / g.h;  // relative to n0
    T s = T(0);
    for_readers(r, g.pad_top, g.sh, g.dh, g.kh, g.oh, [&](std::size_t oy, std::size_t i) {
      for_readers(q, g.pad_left, g.sw, g.dw, g.kw, g.ow, [&](std::size_t ox, std::size_t j) {
        s += dcol[((n * g.oh + oy) * g.ow + ox) * g.depth() + (i * g.kw + j) * g.c + ch];
      });
    });
    const std::size_t at = n0 * g.h * g.w * g.c + idx;
    dx[at] = act == activation::identity ? s : s * derivative_from_output(act, x[at]);
  }
};

// Visits the in-bounds elements of pooling window (n, oy, ox) of channel ch in the reference's
// order (kernels/conv.hpp, detail::for_window); returns their count.
template <class V>
FITCHECK_HOST_DEVICE inline std::size_t for_pool_window(const conv_geometry& g, std::size_t n,
                                                        std::size_t oy, std::size_t ox,
                                                        std::size_t ch, V&& visit) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < g.kh; ++i)
    for (std::size_t j = 0; j < g.kw; ++j) {
      const auto r = g.in_row(oy, i), q = g.in_col(ox, j);
      if (!g.inside(r, q)) continue;
      visit(((n * g.h + std::size_t(r)) * g.w + std::size_t(q)) * g.c + ch);
      ++count;
    }
  return count;
}

template <class T>
struct pool_forward_element {
  conv_geometry g;
  pool kind;
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t o) const {
    const std::size_t ch = o % g.c;
    const pixel p = pixel_of(g, o / g.c);
    T acc = T(0);
    bool first = true;
    const std::size_t count = for_pool_window(g, p.n, p.oy, p.ox, ch, [&](std::size_t at) {
      const T v = x[at];
      acc = first ? v : kind == pool::max ? (v > acc ? v : acc) : acc + v;
      first = false;
    });
    y[o] = kind == pool::average ? acc * (T(1) / T(count)) : acc;
  }
};

// dx of input element idx: the sum over the windows that hold it, in output order, of what each
// window gives it: a max window its whole gradient to the first element equal to its maximum,
// an average window an equal share.
template <class T>
struct pool_backward_element {
  conv_geometry g;
  pool kind;
  const T *x, *y, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t ch = idx % g.c, q = idx / g.c % g.w, r = idx / g.c / g.w % g.h,
                      n = idx / g.c / g.w / g.h;
    T s = T(0);
    for_readers(r, g.pad_top, g.sh, 1, g.kh, g.oh, [&](std::size_t oy, std::size_t) {
      for_readers(q, g.pad_left, g.sw, 1, g.kw, g.ow, [&](std::size_t ox, std::size_t) {
        const std::size_t o = ((n * g.oh + oy) * g.ow + ox) * g.c + ch;
        if (kind == pool::max) {
          std::size_t winner = 0;
          bool found = false;
          for_pool_window(g, n, oy, ox, ch, [&](std::size_t at) {
            if (!found && x[at] == y[o]) {
              winner = at;
              found = true;
            }
          });
          if (found && winner == idx) s += dy[o];
        } else {
          const std::size_t count = for_pool_window(g, n, oy, ox, ch, [](std::size_t) {});
          s += dy[o] * (T(1) / T(count));
        }
      });
    });
    dx[idx] = s;
  }
};

// Output element o of a zero padding: the input value under it, or 0 in the border.
template <class T>
struct pad_element {
  conv_geometry g;
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t o) const {
    const std::size_t ch = o % g.c, q = o / g.c % g.ow, r = o / g.c / g.ow % g.oh,
                      n = o / g.c / g.ow / g.oh;
    const auto ir = std::ptrdiff_t(r) - std::ptrdiff_t(g.pad_top),
               iq = std::ptrdiff_t(q) - std::ptrdiff_t(g.pad_left);
    y[o] = g.inside(ir, iq) ? x[((n * g.h + std::size_t(ir)) * g.w + std::size_t(iq)) * g.c + ch]
                            : T(0);
  }
};
// Output element o of nearest-neighbour upsampling: the input pixel it repeats.
template <class T>
struct upsample_element {
  conv_geometry g;
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t o) const {
    const std::size_t ch = o % g.c, q = o / g.c % g.ow, r = o / g.c / g.ow % g.oh,
                      n = o / g.c / g.ow / g.oh;
    y[o] = x[((n * g.h + r / g.kh) * g.w + q / g.kw) * g.c + ch];
  }
};
template <class T>
struct upsample_gradient_element {
  conv_geometry g;
  const T* dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    dx[i] = upsampled_gradient(g, dy, i);
  }
};
template <class T>
struct depthwise_element {
  conv_geometry g;
  const T *x, *w, *b;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t o) const { y[o] = depthwise_value(g, x, w, b, o); }
};
template <class T>
struct depthwise_data_element {
  conv_geometry g;
  const T *dy, *w;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t e) const {
    dx[e] = depthwise_input_gradient(g, dy, w, e);
  }
};
template <class T>
struct depthwise_filter_element {
  conv_geometry g;
  const T *x, *dy;
  T* dw;
  FITCHECK_HOST_DEVICE void operator()(std::size_t e) const {
    dw[e] = depthwise_filter_gradient(g, x, dy, e);
  }
};
template <class T>
struct bilinear_element {
  conv_geometry g;
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t o) const { y[o] = bilinear_value(g, x, o); }
};
template <class T>
struct bilinear_gradient_element {
  conv_geometry g;
  const T* dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { dx[i] = bilinear_gradient(g, dy, i); }
};
// Input element i of a zero padding: the gradient of the output element over it.
template <class T>
struct unpad_element {
  conv_geometry g;
  const T* dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t ch = i % g.c, q = i / g.c % g.w, r = i / g.c / g.w % g.h,
                      n = i / g.c / g.w / g.h;
    dx[i] = dy[((n * g.oh + r + g.pad_top) * g.ow + q + g.pad_left) * g.c + ch];
  }
};

// The lowering groups of `g`: calls f(sub, first image) for each, sub being g over its images.
template <class F>
void for_each_chunk(const conv_geometry& g, F&& f) {
  const std::size_t step = device_conv_group_images(g);
  for (std::size_t n0 = 0; n0 < g.batch; n0 += step) {
    conv_geometry sub = g;
    sub.batch = std::min(step, g.batch - n0);
    f(sub, n0);
  }
}

}  // namespace gpu::detail

/// y = act(conv(x, w) + bias) on the device; bias may be null. The span (the cpu path's
/// workspace) is not used: the lowering takes a reused scratch block.
template <class T>
void conv2d_forward(cuda_t be, const conv_geometry& g, const T* x, const T* wt, const T* bias,
                    T* y, activation act, std::span<T> = {}) {
  const epilogue<T> e{.bias = bias, .act = act};
  if (g.pointwise()) {
    gemm(be, {trans::no, trans::no, g.rows(), g.f, g.c}, T(1), x, g.c, wt, g.f, T(0), y, g.f, e);
    return;
  }
  gpu::detail::scratch_block<T> col(device_conv_workspace_size(g, g.batch));
  gpu::detail::for_each_chunk(g, [&](const conv_geometry& sub, std::size_t n0) {
    const std::size_t r0 = n0 * g.oh * g.ow;
    gpu::detail::for_each_index(sub.rows() * g.depth(),
                                gpu::detail::lower_element<T>{g, x, col.data(), r0});
    gemm(be, {trans::no, trans::no, sub.rows(), g.f, g.depth()}, T(1), col.data(), g.depth(), wt,
         g.f, T(0), y + r0 * g.f, g.f, e);
  });
}

/// dw = dL/dw (overwritten); db = dL/dbias unless null.
template <class T>
void conv2d_backward_filter(cuda_t be, const conv_geometry& g, const T* x, const T* dy, T* dw,
                            T* db, std::span<T> = {}) {
  if (g.pointwise()) {
    gemm(be, {trans::yes, trans::no, g.c, g.f, g.rows()}, T(1), x, g.c, dy, g.f, T(0), dw, g.f);
  } else {
    gpu::detail::scratch_block<T> col(device_conv_workspace_size(g, g.batch));
    gpu::detail::for_each_chunk(g, [&](const conv_geometry& sub, std::size_t n0) {
      const std::size_t r0 = n0 * g.oh * g.ow;
      gpu::detail::for_each_index(sub.rows() * g.depth(),
                                  gpu::detail::lower_element<T>{g, x, col.data(), r0});
      // The groups' products add up into dw: the first overwrites it.
      gemm(be, {trans::yes, trans::no, g.depth(), g.f, sub.rows()}, T(1), col.data(), g.depth(),
           dy + r0 * g.f, g.f, n0 == 0 ? T(0) : T(1), dw, g.f);
    });
  }
  if (db != nullptr) column_sums(be, dy, db, g.rows(), g.f);
}

/// dx = dL/dx (overwritten), times f'(z) of the activation that produced x = f(z) when
/// `input_act` is not identity.
template <class T>
void conv2d_backward_data(cuda_t be, const conv_geometry& g, const T* dy, const T* wt, T* dx,
                          activation input_act, const T* x, std::span<T> = {}) {
  if (g.pointwise()) {
    gemm(be, {trans::no, trans::yes, g.rows(), g.c, g.f}, T(1), dy, g.f, wt, g.f, T(0), dx, g.c,
         epilogue<T>{.dact = input_act, .y = x, .ldy = g.c});
    return;
  }
  gpu::detail::scratch_block<T> dcol(device_conv_workspace_size(g, g.batch));
  gpu::detail::for_each_chunk(g, [&](const conv_geometry& sub, std::size_t n0) {
    const std::size_t r0 = n0 * g.oh * g.ow;
    gemm(be, {trans::no, trans::yes, sub.rows(), g.depth(), g.f}, T(1), dy + r0 * g.f, g.f, wt,
         g.f, T(0), dcol.data(), g.depth());
    gpu::detail::for_each_index(sub.batch * g.h * g.w * g.c,
                                gpu::detail::gather_col<T>{g, dcol.data(), dx, x, input_act, n0});
  });
}

/// ZeroPadding2D's forward, as the reference (kernels/conv.hpp).
template <class T>
void pad2d_forward(cuda_t, const conv_geometry& g, const T* x, T* y) {
  gpu::detail::for_each_index(g.batch * g.oh * g.ow * g.c, gpu::detail::pad_element<T>{g, x, y});
}

/// ZeroPadding2D's backward: dx = dy over the input.
template <class T>
void pad2d_backward(cuda_t, const conv_geometry& g, const T* dy, T* dx) {
  gpu::detail::for_each_index(g.batch * g.h * g.w * g.c, gpu::detail::unpad_element<T>{g, dy, dx});
}

/// UpSampling2D's forward, as the reference (kernels/conv.hpp).
template <class T>
void upsample2d_forward(cuda_t, const conv_geometry& g, const T* x, T* y) {
  gpu::detail::for_each_index(g.batch * g.oh * g.ow * g.c,
                              gpu::detail::upsample_element<T>{g, x, y});
}

/// UpSampling2D's backward: each input element sums its copies' gradients (a thread each).
template <class T>
void upsample2d_backward(cuda_t, const conv_geometry& g, const T* dy, T* dx) {
  gpu::detail::for_each_index(g.batch * g.h * g.w * g.c,
                              gpu::detail::upsample_gradient_element<T>{g, dy, dx});
}

/// The depthwise convolution, as the reference (kernels/conv.hpp): a thread per output, input
/// and kernel element (the kernel's gradient: a sum over the batch each).
template <class T>
void depthwise_forward(cuda_t, const conv_geometry& g, const T* x, const T* w, const T* b, T* y) {
  gpu::detail::for_each_index(g.rows() * g.f, gpu::detail::depthwise_element<T>{g, x, w, b, y});
}
template <class T>
void depthwise_backward_data(cuda_t, const conv_geometry& g, const T* dy, const T* w, T* dx) {
  gpu::detail::for_each_index(g.batch * g.h * g.w * g.c,
                              gpu::detail::depthwise_data_element<T>{g, dy, w, dx});
}
template <class T>
void depthwise_backward_filter(cuda_t, const conv_geometry& g, const T* x, const T* dy, T* dw) {
  gpu::detail::for_each_index(g.kh * g.kw * g.f,
                              gpu::detail::depthwise_filter_element<T>{g, x, dy, dw});
}

/// Bilinear upsampling, as the reference (kernels/conv.hpp): a thread per output element.
template <class T>
void upsample2d_bilinear_forward(cuda_t, const conv_geometry& g, const T* x, T* y) {
  gpu::detail::for_each_index(g.batch * g.oh * g.ow * g.c,
                              gpu::detail::bilinear_element<T>{g, x, y});
}

/// Its backward: a thread per input element gathers the outputs that read it.
template <class T>
void upsample2d_bilinear_backward(cuda_t, const conv_geometry& g, const T* dy, T* dx) {
  gpu::detail::for_each_index(g.batch * g.h * g.w * g.c,
                              gpu::detail::bilinear_gradient_element<T>{g, dy, dx});
}

/// y = the max (or the mean) of each window, per channel, as the reference (kernels/conv.hpp).
template <class T>
void pool2d_forward(cuda_t, pool kind, const conv_geometry& g, const T* x, T* y) {
  gpu::detail::for_each_index(g.rows() * g.c, gpu::detail::pool_forward_element<T>{g, kind, x, y});
}

/// dx (overwritten): a max window's gradient to its first maximal element, an average window's
/// spread evenly; each input element sums its windows' shares in the reference's order.
template <class T>
void pool2d_backward(cuda_t, pool kind, const conv_geometry& g, const T* x, const T* y,
                     const T* dy, T* dx) {
  gpu::detail::for_each_index(g.batch * g.h * g.w * g.c,
                              gpu::detail::pool_backward_element<T>{g, kind, x, y, dy, dx});
}

}  // namespace fitcheck::kernels
