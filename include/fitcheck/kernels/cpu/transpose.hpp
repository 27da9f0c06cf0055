// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

// In-register transposes for packing a transposed GEMM operand (a layer's weights read as W^T
// in the input-gradient product). xsimd 8 has no shuffle API, so this one file uses the
// intrinsics of the instruction set directly; where it is not compiled in, packing takes the
// scalar loop.

namespace fitcheck::kernels::cpu {

#if defined(__AVX512F__)
/// dst[q * ld_dst + c] = src[c * ld_src + q] for a 16 x 16 block, through registers instead of
/// 256 scalar moves. Only the first `rows` rows of src are read; the others count as zeros (a
/// panel's padding past a matrix's last row). Only the first `cols` values of each row of dst
/// are written (a panel of 14-row groups).
inline void transpose_16x16(const float* src, std::size_t ld_src, float* dst, std::size_t ld_dst,
                            std::size_t rows = 16, std::size_t cols = 16) noexcept {
  if (rows == 16 && cols == 16) {
    // A whole block with half the shuffles: the two lane-crossing stages are done by the loads.
    // Vector v[q] of lane group L holds, in its 128-bit lane a, row 4a + q at columns
    // 4L..4L+3 (a 4 x 4 block per lane); a 4 x 4 transpose inside the lanes then leaves row
    // 4L + j of dst whole in vector j. 64 loads, 48 inserts (either vector port) and 32
    // shuffles (one port) instead of 16 loads and 64 shuffles.
    for (std::size_t L = 0; L < 4; ++L) {
      __m512 v[4];
      for (std::size_t q = 0; q < 4; ++q) {
        const float* at = src + q * ld_src + 4 * L;
        __m512 x = _mm512_castps128_ps512(_mm_loadu_ps(at));
        x = _mm512_insertf32x4(x, _mm_loadu_ps(at + 4 * ld_src), 1);
        x = _mm512_insertf32x4(x, _mm_loadu_ps(at + 8 * ld_src), 2);
        v[q] = _mm512_insertf32x4(x, _mm_loadu_ps(at + 12 * ld_src), 3);
      }
      const __m512 t0 = _mm512_unpacklo_ps(v[0], v[1]), t1 = _mm512_unpackhi_ps(v[0], v[1]);
      const __m512 t2 = _mm512_unpacklo_ps(v[2], v[3]), t3 = _mm512_unpackhi_ps(v[2], v[3]);
      float* out = dst + 4 * L * ld_dst;
      _mm512_storeu_ps(out, _mm512_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)));
      _mm512_storeu_ps(out + ld_dst, _mm512_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)));
      _mm512_storeu_ps(out + 2 * ld_dst, _mm512_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)));
      _mm512_storeu_ps(out + 3 * ld_dst, _mm512_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    return;
  }
  // A partial block (rows past a matrix's edge, a 14-row panel): the 4-stage shuffle transpose.
  __m512 r[16], t[16];
  // Masked, not branched on: rows past `rows` load as zeros without touching memory.
  for (std::size_t i = 0; i < 16; ++i)
    r[i] = _mm512_maskz_loadu_ps(i < rows ? __mmask16(0xffff) : __mmask16(0), src + i * ld_src);
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    r[i] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    r[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    r[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; ++i) {
    t[i] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0x88);
    t[i + 4] = _mm512_shuffle_f32x4(r[i], r[i + 4], 0xdd);
    t[i + 8] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0x88);
    t[i + 12] = _mm512_shuffle_f32x4(r[i + 8], r[i + 12], 0xdd);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0x88);
    r[i + 8] = _mm512_shuffle_f32x4(t[i], t[i + 8], 0xdd);
    r[i + 4] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0x88);
    r[i + 12] = _mm512_shuffle_f32x4(t[i + 4], t[i + 12], 0xdd);
  }
  const auto mask = static_cast<__mmask16>((1u << cols) - 1u);
  for (std::size_t i = 0; i < 16; ++i) _mm512_mask_storeu_ps(dst + i * ld_dst, mask, r[i]);
}
#endif

}  // namespace fitcheck::kernels::cpu
