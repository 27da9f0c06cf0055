// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>

#include <fitcheck/config.hpp>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

// C = alpha A B^T as dot products, for a narrow C (a few columns) whose operands both
// run along k: the input gradient dY W^T of a layer with few inputs. Each element of C is a
// dot product of a row of A and a row of B, 16 values of k per vector; a block of 8 x 2
// elements keeps 16 vector accumulators, and one reduction tree then sums the lanes of all 16
// into one vector. Nothing is packed or transposed: the GEMM's other paths must transpose one
// operand here, which costs about as much as the multiply-adds.
//
// A's rows are read at 64-byte-aligned addresses (a vector load that straddles two cache lines
// costs twice): the chunks of 16 values of k start at A's first aligned address, and the
// partial chunks at the two ends of k are loaded masked and, when their lanes do not overlap,
// merged into one vector. Masked-out lanes are neither read nor faulted on. Each row's first
// vector (chunk 0, with the last merged in) is built once per call into a scratch buffer: a row
// is in n / 2 or m / 8 blocks, and per block the merge cost a tenth of the time.
//
// AVX-512 only (masked loads; xsimd 8 has none).

namespace fitcheck::kernels::cpu::detail {

#if defined(__AVX512F__)

/// Where the chunks of k fall: chunk q covers k = 16 q - shift .. 16 q - shift + 15.
struct dot_plan {
  std::ptrdiff_t shift;     ///< A's misalignment in floats (0 .. 15)
  std::ptrdiff_t chunks;    ///< ceil((k + shift) / 16)
  __mmask16 head, tail;     ///< valid lanes of the first and last chunk
  bool merged;              ///< the last chunk shares the first one's vector
  bool tail_step;           ///< the last chunk is a step of its own, masked
  std::ptrdiff_t body_end;  ///< whole chunks after the first: 1 .. body_end - 1

  dot_plan(const float* a, std::size_t k) noexcept
      : shift(static_cast<std::ptrdiff_t>((reinterpret_cast<std::uintptr_t>(a) / sizeof(float)) %
                                          16)),
        chunks((static_cast<std::ptrdiff_t>(k) + shift + 15) / 16) {
    const std::ptrdiff_t tail_lanes = static_cast<std::ptrdiff_t>(k) + shift - 16 * (chunks - 1);
    head = static_cast<__mmask16>(0xffffu << shift);
    tail = static_cast<__mmask16>(0xffffu >> (16 - tail_lanes));
    if (chunks == 1) head &= tail;
    merged = chunks >= 2 && tail_lanes <= shift;
    tail_step = chunks >= 2 && !merged && tail_lanes < 16;
    body_end = chunks >= 2 && (merged || tail_step) ? chunks - 1 : chunks;
  }
};

/// Lane l of the result is the sum of the 16 lanes of x[l]: 15 adds and 30 shuffles.
[[gnu::always_inline]] inline __m512 sum_lanes(const __m512 (&x)[16]) noexcept {
  // The tree leaves lane 4 L + e holding slot 4 e + L's sum; slots are filled transposed.
  auto slot = [&](int s) { return x[(s % 4) * 4 + s / 4]; };
  __m512 t[8], u[4], v[2];
  for (int i = 0; i < 8; ++i) {
    const __m512 p = slot(2 * i), q = slot(2 * i + 1);  // halves: [p.lo + p.hi, q.lo + q.hi]
    t[i] = _mm512_add_ps(_mm512_shuffle_f32x4(p, q, 0x44), _mm512_shuffle_f32x4(p, q, 0xee));
  }
  for (int i = 0; i < 4; ++i)  // 128-bit lanes: [a, b, c, d], 4 partial sums each
    u[i] = _mm512_add_ps(_mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], 0x88),
                         _mm512_shuffle_f32x4(t[2 * i], t[2 * i + 1], 0xdd));
  for (int i = 0; i < 2; ++i)
    v[i] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_ps(u[2 * i], u[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
  return _mm512_add_ps(_mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(2, 0, 2, 0)),
                       _mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(3, 1, 3, 1)));
}

/// Row r of an R x S block from the lanes r S .. r S + S - 1 of z into c (S = 1 or 2): scalar
/// and 64-bit stores (a masked full-width store would straddle cache lines).
template <std::size_t S>
[[gnu::always_inline]] inline void store_block_row(__m512 z, std::size_t r, float* c) noexcept {
  const std::size_t lane = r * S;
  __m128 q = _mm512_castps512_ps128(z);
  if (lane / 4 == 1) q = _mm512_extractf32x4_ps(z, 1);
  if (lane / 4 == 2) q = _mm512_extractf32x4_ps(z, 2);
  if (lane / 4 == 3) q = _mm512_extractf32x4_ps(z, 3);
  if constexpr (S == 2) {
    if (lane % 4 == 0)
      _mm_storel_pi(reinterpret_cast<__m64*>(c), q);
    else
      _mm_storeh_pi(reinterpret_cast<__m64*>(c), q);
  } else {
    if (lane % 4 == 1) q = _mm_shuffle_ps(q, q, 1);
    if (lane % 4 == 2) q = _mm_shuffle_ps(q, q, 2);
    if (lane % 4 == 3) q = _mm_shuffle_ps(q, q, 3);
    _mm_store_ss(c, q);
  }
}

/// The first step's vector of a row (its chunk 0, masked, and the last chunk merged into it),
/// from the row's aligned start (the row's address minus the plan's shift).
[[gnu::always_inline]] inline __m512 first_chunk(const dot_plan& pl, const float* row) noexcept {
  const __m512 x = _mm512_maskz_loadu_ps(pl.head, row);
  return pl.merged ? _mm512_mask_loadu_ps(x, pl.tail, row + 16 * (pl.chunks - 1)) : x;
}

/// The R x S block of C at c: element (r, s) = A(r, :) . B(s, :). fa, fb: the first-step
/// vectors of the block's rows of A and of B, 16 floats apart.
template <std::size_t R, std::size_t S>
[[gnu::always_inline]] inline void dot_block(const dot_plan& pl, const float* a, std::size_t lda,
                                             const float* b, std::size_t ldb, float* c,
                                             std::size_t ldc, const float* fa,
                                             const float* fb) noexcept {
  static_assert(R * S <= 16 && (S == 1 || S == 2));
  a -= pl.shift;  // chunk q at a + 16 q (chunk 0 starts before the row: masked-out lanes)
  b -= pl.shift;
  __m512 acc[R][S];
  {
    __m512 bv[S];
FITCHECK_UNROLL(2)
    for (std::size_t s = 0; s < S; ++s) bv[s] = _mm512_load_ps(fb + 16 * s);
FITCHECK_UNROLL(8)
    for (std::size_t r = 0; r < R; ++r) {
      const __m512 x = _mm512_load_ps(fa + 16 * r);
FITCHECK_UNROLL(2)
      for (std::size_t s = 0; s < S; ++s) acc[r][s] = _mm512_mul_ps(x, bv[s]);
    }
  }
  auto step = [&](std::ptrdiff_t p, auto load) {
    __m512 bv[S];
FITCHECK_UNROLL(2)
    for (std::size_t s = 0; s < S; ++s) bv[s] = load(b + s * ldb + p);
FITCHECK_UNROLL(8)
    for (std::size_t r = 0; r < R; ++r) {
      __m512 x = load(a + r * lda + p);
      // In a register: folded into each of its S multiply-adds, it would be loaded S times,
      // and the loads (not the multiply-adds) would bound the loop.
      asm("" : "+v"(x));
FITCHECK_UNROLL(2)
      for (std::size_t s = 0; s < S; ++s) acc[r][s] = _mm512_fmadd_ps(x, bv[s], acc[r][s]);
    }
  };
  const std::ptrdiff_t body_end = pl.body_end;
  for (std::ptrdiff_t q = 1; q < body_end; ++q)
    step(16 * q, [](const float* p) { return _mm512_loadu_ps(p); });
  if (pl.tail_step) {
    const __mmask16 tail = pl.tail;
    step(16 * body_end, [tail](const float* p) { return _mm512_maskz_loadu_ps(tail, p); });
  }

  __m512 all[16];
FITCHECK_UNROLL(16)
  for (std::size_t l = 0; l < 16; ++l) all[l] = l < R * S ? acc[l / S][l % S] : _mm512_setzero_ps();
  const __m512 z = sum_lanes(all);
FITCHECK_UNROLL(8)
  for (std::size_t r = 0; r < R; ++r) store_block_row<S>(z, r, c + r * ldc);
}

/// R rows of C, all n columns.
template <std::size_t R>
void dot_rows(const dot_plan pl, const float* a, std::size_t lda, const float* b, std::size_t ldb,
              std::size_t n, float* c, std::size_t ldc, const float* fa,
              const float* fb) noexcept {
  std::size_t j = 0;
  for (; j + 2 <= n; j += 2)
    dot_block<R, 2>(pl, a, lda, b + j * ldb, ldb, c + j, ldc, fa, fb + 16 * j);
  if (j < n) dot_block<R, 1>(pl, a, lda, b + j * ldb, ldb, c + j, ldc, fa, fb + 16 * j);
}

/// Floats of scratch gemm_dot uses: the first-step vectors of every row of A and of B.
constexpr std::size_t dot_scratch_size(std::size_t m, std::size_t n) noexcept {
  return 16 * (m + n);
}

/// C (m x n) = alpha A B^T; A is m x k and B is n x k, both row-major. `scratch`: 64-byte
/// aligned, dot_scratch_size(m, n) floats.
inline void gemm_dot(std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
                     std::size_t lda, const float* b, std::size_t ldb, float* c, std::size_t ldc,
                     float* scratch) noexcept {
  const dot_plan pl(a, k);
  // Each row's first step (two masked loads and a merge) once, not once per block it is in.
  float* const fa = scratch;
  float* const fb = scratch + 16 * m;
  for (std::size_t i = 0; i < m; ++i)
    _mm512_store_ps(fa + 16 * i, first_chunk(pl, a + i * lda - pl.shift));
  for (std::size_t j = 0; j < n; ++j)
    _mm512_store_ps(fb + 16 * j, first_chunk(pl, b + j * ldb - pl.shift));
  std::size_t i = 0;
  auto rows = [&]<std::size_t R>() {
    dot_rows<R>(pl, a + i * lda, lda, b, ldb, n, c + i * ldc, ldc, fa + 16 * i, fb);
    i += R;
  };
  while (i + 8 <= m) rows.template operator()<8>();
  if (i + 4 <= m) rows.template operator()<4>();
  if (i + 2 <= m) rows.template operator()<2>();
  if (i < m) rows.template operator()<1>();
  // alpha after the fact: in the blocks it would cost every product a test and a multiply.
  if (alpha != 1.0f)
    for (std::size_t r = 0; r < m; ++r)
      for (std::size_t j = 0; j < n; ++j) c[r * ldc + j] *= alpha;
}

#endif

}  // namespace fitcheck::kernels::cpu::detail
