// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#include <thrust/copy.h>
#include <thrust/device_ptr.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform_reduce.h>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
#include <cub/device/device_reduce.cuh>
#include <thrust/fill.h>
#include <thrust/iterator/transform_iterator.h>
#endif

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/dropout.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>
#include <fitcheck/kernels/merge.hpp>

// The cuda backend's elementwise and row kernels: activations and their derivatives, the dense
// bias and its transpose (column sums), softmax over rows, sums and dot products. Same
// signatures as the cpu kernels, pointers into device memory. Each is one Thrust algorithm over
// an index range with a functor; row kernels give one thread a row (k is the class count: small).

namespace fitcheck::kernels {

namespace gpu::detail {
using index_iterator = thrust::counting_iterator<std::size_t>;
inline index_iterator index(std::size_t i) { return index_iterator(i); }

template <class T>
struct act_forward {
  activation act;
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { y[i] = activate(act, x[i]); }
};
template <class T>
struct act_backward {
  activation act;
  const T *x, *y, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    dx[i] = dy[i] * activate_derivative(act, x[i], y[i]);
  }
};
template <class T>
struct act_backward_from_output {
  activation act;
  const T *y, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    dx[i] = dy[i] * derivative_from_output(act, y[i]);
  }
};
template <class Op, class T>
struct map_element {
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { y[i] = Op::f(x[i]); }
};
template <class Op, class T>
struct map_backward_element {
  const T *x, *y, *dy;
  T* dx;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { dx[i] = dy[i] * Op::df(x[i], y[i]); }
};
template <class T>
struct dropout_element {
  std::uint64_t seed, num, den;
  T scale;
  const T* x;
  T* y;
  // Inverted dropout: a kept unit is scaled by 1 / (1 - num / den).
  static dropout_element with_rate(std::uint64_t seed, std::uint64_t num, std::uint64_t den,
                                   const T* x, T* y) {
    return {seed, num, den, T(den) / T(den - num), x, y};
  }
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    y[i] = dropout_keeps(seed, i, num, den) ? x[i] * scale : T(0);
  }
};
template <class T, bool Forward>
struct noise_element {
  noise_args a;
  const T* in;
  T* out;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    out[i] = Forward ? a.apply(i, in[i]) : in[i] * a.factor<T>(i);
  }
};
template <class T>
struct add_element {
  const T* x;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { y[i] += x[i]; }
};
// Element i of the (rows, part) x to its place in the (rows, width) y at column `at`, or back.
template <class T, bool Place>
struct column_block {
  const T* from;
  T* to;
  std::size_t part, width, at;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t wide = i / part * width + at + i % part;
    if constexpr (Place) to[wide] = from[i];
    else to[i] = from[wide];
  }
};
template <class T, std::size_t N>
struct merge_element {
  merge_op op;
  merge_inputs<T, N> m;
  T* y;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { y[i] = merged(op, m, i); }
};
template <class T, std::size_t N>
struct merge_gradient_element {
  merge_op op;
  merge_inputs<T, N> m;
  std::size_t b;
  const T* dy;
  T* g;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    g[i] = dy[i] * merge_share(op, m, b, i);
  }
};
template <class T>
struct add_bias {
  T* y;
  const T* b;
  std::size_t cols;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { y[i] += b[i % cols]; }
};
// Column reductions: out[j] = the sum over rows r of f(r, j), in Acc. Up to
// `sequential_rows` rows one thread per column adds them in order, the reference's additions bit
// for bit; a taller column (a convolution's bias gradient over every output pixel, batch
// normalisation's statistics) would leave the GPU to a few threads walking it, so it is summed in
// two levels of about sqrt(rows) rows each: deterministic, rounded differently.
inline constexpr std::size_t sequential_rows = 1024;

template <class Acc, class F>
struct column_in_order {
  F f;
  std::size_t rows;
  Acc* out;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    Acc s = Acc(0);
    for (std::size_t r = 0; r < rows; ++r) s += f(r, j);
    out[j] = s;
  }
};
template <class Acc, class F>
struct column_part {
  F f;
  std::size_t rows, cols, chunk;
  Acc* partial;  // (chunks, cols)
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    const std::size_t c = i / cols, j = i % cols;
    const std::size_t end = (c + 1) * chunk < rows ? (c + 1) * chunk : rows;
    Acc s = Acc(0);
    for (std::size_t r = c * chunk; r < end; ++r) s += f(r, j);
    partial[i] = s;
  }
};
template <class Acc, class Out>
struct column_parts_total {
  const Acc* partial;
  std::size_t chunks, cols;
  Out* out;
  FITCHECK_HOST_DEVICE void operator()(std::size_t j) const {
    Acc s = Acc(0);
    for (std::size_t c = 0; c < chunks; ++c) s += partial[c * cols + j];
    out[j] = Out(s);
  }
};
template <class T>
struct element_at {
  const T* x;
  std::size_t cols;
  FITCHECK_HOST_DEVICE T operator()(std::size_t r, std::size_t j) const { return x[r * cols + j]; }
};

template <class Acc, class F>
void column_reduce(std::size_t rows, std::size_t cols, F f, Acc* out) {
  if (rows <= sequential_rows) {
    for_each_index(cols, column_in_order<Acc, F>{f, rows, out});
    return;
  }
  std::size_t chunk = 1;
  while (chunk * chunk < rows) ++chunk;
  const std::size_t chunks = (rows + chunk - 1) / chunk;
  scratch_block<Acc> partial(chunks * cols);
  for_each_index(chunks * cols, column_part<Acc, F>{f, rows, cols, chunk, partial.data()});
  for_each_index(cols, column_parts_total<Acc, Acc>{partial.data(), chunks, cols, out});
}
template <class T>
struct softmax_row {
  const T* x;
  T* y;
  std::size_t k;
  FITCHECK_HOST_DEVICE void operator()(std::size_t r) const {
    const T* xr = x + r * k;
    T* yr = y + r * k;
    T m = xr[0];
    for (std::size_t j = 1; j < k; ++j) m = xr[j] > m ? xr[j] : m;
    T s = T(0);
    for (std::size_t j = 0; j < k; ++j) s += (yr[j] = std::exp(xr[j] - m));
    for (std::size_t j = 0; j < k; ++j) yr[j] /= s;
  }
};
template <class T>
struct softmax_backward_row {
  const T *y, *dy;
  T* dx;
  std::size_t k;
  FITCHECK_HOST_DEVICE void operator()(std::size_t r) const {
    const T* yr = y + r * k;
    const T* dyr = dy + r * k;
    T dot = T(0);
    for (std::size_t j = 0; j < k; ++j) dot += dyr[j] * yr[j];
    for (std::size_t j = 0; j < k; ++j) dx[r * k + j] = yr[j] * (dyr[j] - dot);
  }
};
struct product {
  const float *x, *y;
  FITCHECK_HOST_DEVICE float operator()(std::size_t i) const { return x[i] * y[i]; }
};
struct square_double {
  const float* x;
  FITCHECK_HOST_DEVICE double operator()(std::size_t i) const { return double(x[i]) * double(x[i]); }
};

template <class F>
void for_each_index(std::size_t n, F f) {
  if (n != 0) thrust::for_each(async_policy(), index(0), index(n), f);
}

// f(0) + ... + f(n - 1), summed in T, left in device memory at `out` for a later asynchronous
// copy back: the training step reads no result between its kernels. On a GPU this is CUB's
// device reduction on the compute stream (Thrust's reductions always return to the host); on
// Thrust's CPU systems it is the transform_reduce of the synchronous kernels, so the sums are
// the same bits.
template <class T, class F, class Out>
void reduce_into(std::size_t n, F f, Out* out) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  if (n == 0) {
    thrust::fill_n(async_policy(), thrust::device_pointer_cast(out), 1, Out(0));
    return;
  }
  const auto in = thrust::make_transform_iterator(index(0), f);
  std::size_t bytes = 0;
  check(cub::DeviceReduce::Reduce(nullptr, bytes, in, out, n, thrust::plus<T>(), T(0),
                                  cudaStreamLegacy),
        "cub::DeviceReduce::Reduce");
  // Stream order makes the scratch block free for the next kernel as soon as this one is queued.
  char* temp = scratch().allocate(static_cast<std::ptrdiff_t>(bytes));
  const cudaError_t e = cub::DeviceReduce::Reduce(temp, bytes, in, out, n, thrust::plus<T>(),
                                                  T(0), cudaStreamLegacy);
  scratch().deallocate(temp, bytes);
  check(e, "cub::DeviceReduce::Reduce");
#else
  const T total =
      n == 0 ? T(0)
             : thrust::transform_reduce(thrust::device, index(0), index(n), f, T(0),
                                        thrust::plus<T>());
  const auto value = static_cast<Out>(total);
  thrust::copy(&value, &value + 1, thrust::device_pointer_cast(out));
#endif
}

// f(0) + ... + f(n - 1) in T, brought back to the host: reduce_into's kernels and a copy back,
// so a sum the host waits for and the same sum queued by a training step compile one set of
// reduction kernels per functor (Thrust's own reductions would compile two more, for 32- and
// 64-bit sizes, each a copy of the functor: nvcc's time).
template <class T, class F>
T reduce_value(std::size_t n, F f) {
  scratch_block<double> out(1);
  reduce_into<T>(n, f, out.data());
  double value = 0.0;
  copy_to_host(cuda, out.data(), &value, 1);
  return static_cast<T>(value);
}

struct value_of {
  const float* x;
  FITCHECK_HOST_DEVICE float operator()(std::size_t i) const { return x[i]; }
};
}  // namespace gpu::detail

/// y = f(x), n elements (in place allowed).
template <class T>
void activation_forward(cuda_t, activation act, const T* x, T* y, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::act_forward<T>{act, x, y});
}

/// dx = dy * f'(x), n elements.
template <class T>
void activation_backward(cuda_t, activation act, const T* x, const T* y, const T* dy, T* dx,
                         std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::act_backward<T>{act, x, y, dy, dx});
}

/// dx = dy * f'(x) with f' written from y = f(x) alone.
template <class T>
void activation_backward_from_output(cuda_t, activation act, const T* y, const T* dy, T* dx,
                                     std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::act_backward_from_output<T>{act, y, dy, dx});
}

/// y = Op::f(x), n elements (kernels/activation.hpp).
template <class Op, class T>
void map_forward(cuda_t, Op, const T* x, T* y, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::map_element<Op, T>{x, y});
}

/// dx = dy * Op::df(x, y), n elements.
template <class Op, class T>
void map_backward(cuda_t, Op, const T* x, const T* y, const T* dy, T* dx, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::map_backward_element<Op, T>{x, y, dy, dx});
}

/// y = x, n values in device memory.
template <class T>
void copy_values(cuda_t, const T* x, T* y, std::size_t n) {
  if (n != 0)
    thrust::copy(gpu::detail::async_policy(), thrust::device_pointer_cast(x),
                 thrust::device_pointer_cast(x) + n, thrust::device_pointer_cast(y));
}

/// y += x, n values in device memory.
template <class T>
void add_values(cuda_t, const T* x, T* y, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::add_element<T>{x, y});
}

/// y = the element-wise merge of the inputs, as the reference (kernels/merge.hpp).
template <class T, std::size_t N>
void merge_forward(cuda_t, merge_op op, const merge_inputs<T, N>& m, T* y, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::merge_element<T, N>{op, m, y});
}

/// g = dy times input b's share of the merge.
template <class T, std::size_t N>
void merge_backward(cuda_t, merge_op op, const merge_inputs<T, N>& m, std::size_t b, const T* dy,
                    T* g, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::merge_gradient_element<T, N>{op, m, b, dy, g});
}

/// Row r of the (rows, part) x into columns [at, at + part) of row r of the (rows, width) y.
template <class T>
void place_columns(cuda_t, const T* x, std::size_t part, T* y, std::size_t width, std::size_t at,
                   std::size_t rows) {
  gpu::detail::for_each_index(rows * part,
                              gpu::detail::column_block<T, true>{x, y, part, width, at});
}

/// Columns [at, at + part) of the (rows, width) y into the (rows, part) x.
template <class T>
void take_columns(cuda_t, const T* y, std::size_t width, std::size_t at, T* x, std::size_t part,
                  std::size_t rows) {
  gpu::detail::for_each_index(rows * part,
                              gpu::detail::column_block<T, false>{y, x, part, width, at});
}

/// A noise layer's training forward (kernels/dropout.hpp).
template <class T>
void noise_forward(cuda_t, const noise_args& a, const T* x, T* y, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::noise_element<T, true>{a, x, y});
}
/// Its backward: dx = dy times the forward's factor.
template <class T>
void noise_backward(cuda_t, const noise_args& a, const T* dy, T* dx, std::size_t n) {
  gpu::detail::for_each_index(n, gpu::detail::noise_element<T, false>{a, dy, dx});
}

/// Inverted dropout with the mask of `seed` (kernels/dropout.hpp).
template <class T>
void dropout_forward(cuda_t, std::uint64_t seed, std::uint64_t num, std::uint64_t den,
                     const T* x, T* y, std::size_t n) {
  gpu::detail::for_each_index(
      n, gpu::detail::dropout_element<T>::with_rate(seed, num, den, x, y));
}

/// dx = dy scaled where the forward with `seed` kept the unit, 0 elsewhere.
template <class T>
void dropout_backward(cuda_t be, std::uint64_t seed, std::uint64_t num, std::uint64_t den,
                      const T* dy, T* dx, std::size_t n) {
  dropout_forward(be, seed, num, den, dy, dx, n);
}

/// y(r, :) += b for every row of the row-major (rows, cols) y.
template <class T>
void bias_add(cuda_t, T* y, const T* b, std::size_t rows, std::size_t cols) {
  gpu::detail::for_each_index(rows * cols, gpu::detail::add_bias<T>{y, b, cols});
}

/// db(j) = sum_r dy(r, j), overwriting db; up to 1024 rows added in order (bitwise the
/// reference), more in two levels (detail::column_reduce).
template <class T>
void column_sums(cuda_t, const T* dy, T* db, std::size_t rows, std::size_t cols) {
  gpu::detail::column_reduce<T>(rows, cols, gpu::detail::element_at<T>{dy, cols}, db);
}

/// Softmax over each row of the row-major (rows, k) x.
template <class T>
void softmax_rows(cuda_t, const T* x, T* y, std::size_t rows, std::size_t k) {
  if (k == 0) return;
  gpu::detail::for_each_index(rows, gpu::detail::softmax_row<T>{x, y, k});
}

/// dx = y (dy - sum_j dy_j y_j) per row.
template <class T>
void softmax_backward_rows(cuda_t, const T* y, const T* dy, T* dx, std::size_t rows,
                           std::size_t k) {
  gpu::detail::for_each_index(rows, gpu::detail::softmax_backward_row<T>{y, dy, dx, k});
}

/// Sum of `x` (device memory): a tree reduction, so it differs from the reference by rounding.
inline float sum(cuda_t, std::span<const float> x) {
  return gpu::detail::reduce_value<float>(x.size(), gpu::detail::value_of{x.data()});
}

/// Dot product of two device spans of equal length.
inline float dot(cuda_t, std::span<const float> x, std::span<const float> y) {
  return gpu::detail::reduce_value<float>(x.size(), gpu::detail::product{x.data(), y.data()});
}

/// Sum of squares accumulated in double (the gradient norm: a float square cannot overflow).
inline double sum_of_squares(cuda_t, std::span<const float> x) {
  return gpu::detail::reduce_value<double>(x.size(), gpu::detail::square_double{x.data()});
}

/// As sum_of_squares, without waiting: the sum goes to `out` in device memory.
inline void sum_of_squares_into(cuda_t, std::span<const float> x, double* out) {
  gpu::detail::reduce_into<double>(x.size(), gpu::detail::square_double{x.data()}, out);
}

}  // namespace fitcheck::kernels
