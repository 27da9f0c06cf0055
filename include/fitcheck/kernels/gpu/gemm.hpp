// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA && FITCHECK_USE_CUBLAS
#include <cublas_v2.h>
#endif

// GEMM of the cuda backend, C = alpha op(A) op(B) + beta C, row-major, with the epilogue of
// kernels/epilogue.hpp (bias, activation, pre-activation, an activation's derivative) fused, as
// on the CPU.
// Three implementations behind one signature:
//   - Thrust's CUDA system: a shared-memory tiled CUDA kernel (ours), with the epilogue in the
//     kernel's store; or, where the program links cuBLAS (FITCHECK_USE_CUBLAS, config.hpp),
//     cublasGemmEx for a float product larger than own_gemm_max_macs followed by the epilogue as
//     one Thrust pass (our kernel keeps the small products, whose time is the launch, and other
//     types);
//   - Thrust's CPU systems: one Thrust for_each over the output elements, each a dot product,
//     so the CI build runs the same interface, epilogue included.

namespace fitcheck::kernels {

namespace gpu::detail {
template <class T>
struct gemm_operands {
  gemm_args g;
  T alpha, beta;
  const T* a;
  std::size_t lda;
  const T* b;
  std::size_t ldb;
  T* c;
  std::size_t ldc;
  epilogue<T> e;
  bool has_epilogue;
  precision math = precision::float32;

  // The operands as the precision policy reads them (epilogue.hpp's `operand`).
  FITCHECK_HOST_DEVICE T a_at(std::size_t i, std::size_t p) const {
    return operand(math, g.ta == trans::no ? a[i * lda + p] : a[p * lda + i]);
  }
  FITCHECK_HOST_DEVICE T b_at(std::size_t p, std::size_t j) const {
    return operand(math, g.tb == trans::no ? b[p * ldb + j] : b[j * ldb + p]);
  }
  // Stores element (i, j) given its accumulated product s, then the epilogue (epilogue.hpp's
  // one definition, `finish`).
  FITCHECK_HOST_DEVICE void store(std::size_t i, std::size_t j, T s) const {
    T& out = c[i * ldc + j];
    const T z = alpha * s + (beta == T(0) ? T(0) : beta * out);
    out = has_epilogue ? finish(e, i, j, z) : z;
  }
};

// One output element per index: the portable form (Thrust's CPU systems).
template <class T>
struct gemm_element {
  gemm_operands<T> o;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t i = idx / o.g.n, j = idx % o.g.n;
    T s = T(0);
    for (std::size_t p = 0; p < o.g.k; ++p) s += o.a_at(i, p) * o.b_at(p, j);
    o.store(i, j, s);
  }
};

// The epilogue alone, over a C already holding op(A) op(B) (after cuBLAS).
template <class T>
struct epilogue_element {
  gemm_operands<T> o;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    const std::size_t i = idx / o.g.n, j = idx % o.g.n;
    T& out = o.c[i * o.ldc + j];  // alpha and beta already applied by cuBLAS
    out = finish(o.e, i, j, out);
  }
};

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
inline constexpr int gemm_tile = 16;

// Classic shared-memory tiling: each block computes a tile x tile block of C, staging tile x tile
// blocks of op(A) and op(B) through shared memory; the +1 column avoids bank conflicts.
template <class T>
__global__ void gemm_tiled(gemm_operands<T> o) {
  __shared__ T as[gemm_tile][gemm_tile + 1];
  __shared__ T bs[gemm_tile][gemm_tile + 1];
  const std::size_t row = std::size_t(blockIdx.y) * gemm_tile + threadIdx.y;
  const std::size_t col = std::size_t(blockIdx.x) * gemm_tile + threadIdx.x;
  T acc = T(0);
  for (std::size_t p0 = 0; p0 < o.g.k; p0 += gemm_tile) {
    const std::size_t pa = p0 + threadIdx.x, pb = p0 + threadIdx.y;
    as[threadIdx.y][threadIdx.x] = (row < o.g.m && pa < o.g.k) ? o.a_at(row, pa) : T(0);
    bs[threadIdx.y][threadIdx.x] = (pb < o.g.k && col < o.g.n) ? o.b_at(pb, col) : T(0);
    __syncthreads();
#pragma unroll
    for (int q = 0; q < gemm_tile; ++q) acc += as[threadIdx.y][q] * bs[q][threadIdx.x];
    __syncthreads();
  }
  if (row < o.g.m && col < o.g.n) o.store(row, col, acc);
}

template <class T>
void launch_tiled(const gemm_operands<T>& o) {
  const dim3 block(gemm_tile, gemm_tile);
  const dim3 grid(unsigned((o.g.n + gemm_tile - 1) / gemm_tile),
                  unsigned((o.g.m + gemm_tile - 1) / gemm_tile));
  gemm_tiled<T><<<grid, block>>>(o);
  check(cudaGetLastError(), "the GEMM kernel launch");
}

#if FITCHECK_USE_CUBLAS
inline cublasHandle_t cublas_handle() {
  static cublasHandle_t h = [] {
    cublasHandle_t handle = nullptr;
    if (cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS)
      throw resource_error("cuda backend: cublasCreate failed",
                           "check the GPU is present, or build with FITCHECK_USE_CUBLAS=0");
    return handle;
  }();
  return h;
}
// Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands. The
// precision policy is cuBLAS' compute type: its tensor cores round the float32 operands to TF32
// or bfloat16 and sum in float32.
inline void cublas_gemm(const gemm_operands<float>& o, float beta) {
  const float alpha = o.alpha;
  const cublasComputeType_t compute = o.math == precision::tf32   ? CUBLAS_COMPUTE_32F_FAST_TF32
                                      : o.math == precision::bf16 ? CUBLAS_COMPUTE_32F_FAST_16BF
                                                                  : CUBLAS_COMPUTE_32F;
  const auto status = cublasGemmEx(
      cublas_handle(), o.g.tb == trans::no ? CUBLAS_OP_N : CUBLAS_OP_T,
      o.g.ta == trans::no ? CUBLAS_OP_N : CUBLAS_OP_T, int(o.g.n), int(o.g.m), int(o.g.k), &alpha,
      o.b, CUDA_R_32F, int(o.ldb), o.a, CUDA_R_32F, int(o.lda), &beta, o.c, CUDA_R_32F,
      int(o.ldc), compute, CUBLAS_GEMM_DEFAULT);
  if (status != CUBLAS_STATUS_SUCCESS)
    throw resource_error("cuda backend: cublasGemmEx failed (status " +
                             std::to_string(int(status)) + ")",
                         "build with FITCHECK_USE_CUBLAS=0 to use fitcheck's own GEMM kernel");
}
#endif
#endif

/// With cuBLAS, the products of at most this many multiply-adds stay with fitcheck's own kernel:
/// both take a launch's few microseconds there, and cuBLAS adds its heuristics' host time. A
/// first estimate (the seed model's products are 41 k and 4 k), to be set from bench_gpu_gemm's
/// small shapes on a GPU.
inline constexpr std::size_t own_gemm_max_macs = std::size_t{1} << 18;

/// True when cuBLAS, where linked, computes the product `g`.
[[nodiscard]] constexpr bool takes_cublas(const gemm_args& g) noexcept {
  return g.m * g.n * g.k > own_gemm_max_macs;
}

// fitcheck's own kernel (tiled on a GPU, one thread per element on Thrust's CPU systems).
template <class T>
void run_own_gemm(const gemm_operands<T>& o) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  launch_tiled(o);
#else
  for_each_index(o.g.m * o.g.n, gemm_element<T>{o});
#endif
}

// Split-K. A product with few output tiles and a long k leaves the GPU to a handful of blocks,
// each walking all of k: a convolution's weight gradient is 9 x 32 outputs summed over 43,264
// output pixels (2 blocks of the tiled kernel). Such a product is cut along k into slices that
// run side by side into scratch partials, which one pass then adds slice by slice, in order (so
// the result does not depend on the schedule), with alpha, beta and the epilogue.
inline constexpr std::size_t split_k_min_depth = 2048;

[[nodiscard]] inline std::size_t k_slices(const gemm_args& g) {
  constexpr std::size_t tile = 16;
  const std::size_t tiles = ((g.m + tile - 1) / tile) * ((g.n + tile - 1) / tile);
  if (g.k < split_k_min_depth || tiles >= 128) return 1;
  // Slices of at least 1024 of k, and about 512 tiles in all.
  return std::max<std::size_t>(1, std::min(g.k / 1024, 512 / tiles));
}

template <class T>
struct split_k_total {
  gemm_operands<T> o;
  const T* partial;  // slices x (m x n)
  std::size_t slices;
  FITCHECK_HOST_DEVICE void operator()(std::size_t idx) const {
    T s = T(0);
    for (std::size_t sl = 0; sl < slices; ++sl) s += partial[sl * o.g.m * o.g.n + idx];
    o.store(idx / o.g.n, idx % o.g.n, s);
  }
};

template <class T>
void run_split_k(const gemm_operands<T>& o, std::size_t slices) {
  const std::size_t len = (o.g.k + slices - 1) / slices, mn = o.g.m * o.g.n;
  scratch_block<T> partial(slices * mn);
  for (std::size_t sl = 0; sl < slices; ++sl) {
    const std::size_t p0 = sl * len;
    gemm_operands<T> part = o;
    part.g.k = std::min(len, o.g.k - p0);
    part.a = o.g.ta == trans::no ? o.a + p0 : o.a + p0 * o.lda;
    part.b = o.g.tb == trans::no ? o.b + p0 * o.ldb : o.b + p0;
    part.alpha = T(1);
    part.beta = T(0);
    part.c = partial.data() + sl * mn;
    part.ldc = o.g.n;
    part.has_epilogue = false;
    run_own_gemm(part);
  }
  for_each_index(mn, split_k_total<T>{o, partial.data(), slices});
}

template <class T>
void run_gemm(const gemm_operands<T>& o) {
  if (o.g.m == 0 || o.g.n == 0) return;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA && FITCHECK_USE_CUBLAS
  if constexpr (std::is_same_v<T, float>) {
    if (takes_cublas(o.g)) {
      cublas_gemm(o, o.beta);
      if (o.has_epilogue) for_each_index(o.g.m * o.g.n, epilogue_element<T>{o});
      return;
    }
  }
#endif
  if (const std::size_t slices = k_slices(o.g); slices > 1) return run_split_k(o, slices);
  run_own_gemm(o);
}
}  // namespace gpu::detail

/// C = alpha op(A) op(B) + beta C on the device, then the epilogue (epilogue.hpp) in the store;
/// the operands as `be.math`, the precision policy, reads them.
template <class T>
void gemm(cuda_t be, const gemm_args& g, T alpha, const T* a, std::size_t lda, const T* b,
          std::size_t ldb, T beta, T* c, std::size_t ldc, const epilogue<T>& epi = {}) {
  gpu::detail::run_gemm(gpu::detail::gemm_operands<T>{g, alpha, beta, a, lda, b, ldb, c, ldc, epi,
                                                      !epi.empty(), be.math});
}

}  // namespace fitcheck::kernels
