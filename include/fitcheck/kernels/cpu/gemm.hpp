// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <type_traits>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/cpu/gemm_dot.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/cpu/transpose.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/epilogue.hpp>
#include <fitcheck/kernels/reduce.hpp>

// The packed, register-tiled float GEMM behind kernels::gemm(cpu, ...) (the GotoBLAS/BLIS
// scheme). C (m x n, row-major) = alpha op(A) op(B) + beta C, then an epilogue.
//
//   for each KC-slice of k:           pack op(B)'s slice into panels of NR columns
//     for each MC-block of rows:      pack op(A)'s block into panels of MR rows
//       for each NR-panel of B:       (stays in L1)
//         for each MR-panel of A:     (streams from L2)
//           micro-kernel: an MR x NR tile of C in registers, kc rank-1 updates
//
// Packing reads op(A) and op(B) through their transposition flags, so all of X W, dY W^T and
// X^T dY run the same micro-kernel and no transpose is ever materialised. The tile sizes are
// per instruction set (`tile<Arch>`); each tile is finished (bias, activation, derivative) right
// after its last KC-slice, while it is in L1. Large products are split into blocks of whole
// tiles over the worker threads (columns or rows on two, a grid of both on more:
// detail::choose_split); each output element is computed by one thread in the same order
// whatever the thread count, so results are deterministic.

namespace fitcheck::kernels {

namespace cpu {

/// Micro-tile of the GEMM for one instruction set: MR rows x NV vectors of C in registers.
/// AVX-512 has 32 vector registers: 14 x 2 accumulators + 2 of B + 1 broadcast (14 rows, not
/// 12: the loop's loads and bookkeeping are a smaller share of its instructions, 1024^3 and the
/// wide layers +2-3 %). AVX2 and SSE have 16: 6 x 2 + 3. A product with n <= one vector takes
/// the narrow tile (NV = 1).
template <class Arch>
struct tile {
  static constexpr std::size_t w = simd::width<float, Arch>;
  static constexpr bool avx512 = simd::is_avx512<Arch>;
  static constexpr std::size_t mr_wide = avx512 ? 14 : 6;
  static constexpr std::size_t mr_narrow = avx512 ? 16 : 8;
  static constexpr std::size_t kc = 256;  ///< KC x NR floats of B: 32 KiB of a 48 KiB L1
  static constexpr std::size_t mc = avx512 ? 144 : 96;
  static constexpr std::size_t nc = 2048;
};

namespace detail {

/// A 64-byte-aligned float buffer that grows and never shrinks: per-thread packing space,
/// allocated on a thread's first products and reused by every later one.
class aligned_buffer {
public:
  aligned_buffer() = default;
  aligned_buffer(const aligned_buffer&) = delete;
  aligned_buffer& operator=(const aligned_buffer&) = delete;
  ~aligned_buffer() { release(); }
  float* get(std::size_t n) {
    if (n > size_) {
      release();
      data_ = static_cast<float*>(::operator new(n * sizeof(float), std::align_val_t{64}));
      size_ = n;
    }
    return data_;
  }

private:
  void release() noexcept {
    if (data_ != nullptr) ::operator delete(data_, std::align_val_t{64});
    data_ = nullptr;
    size_ = 0;
  }
  float* data_ = nullptr;
  std::size_t size_ = 0;
};

struct workspace {
  aligned_buffer a, b;
  static workspace& local() {
    thread_local workspace w;
    return w;
  }
};

constexpr std::size_t round_up(std::size_t x, std::size_t to) noexcept {
  return (x + to - 1) / to * to;
}

struct operand {
  const float* p;
  std::size_t ld;
  trans t;
  /// op(X)(i, j)
  [[nodiscard]] const float& at(std::size_t i, std::size_t j) const noexcept {
    return t == trans::no ? p[i * ld + j] : p[j * ld + i];
  }
};

// op(A)(i0 .. i0+mc, p0 .. p0+kc) into panels of MR rows; each panel is kc groups of MR values
// (one per row), rows past the edge zero.
// Arch only keeps each instruction set's copy a function of its own (cpu/dispatch.hpp).
template <class Arch, std::size_t MR>
void pack_a(const operand& a, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc,
            float* out) noexcept {
  for (std::size_t ir = 0; ir < mc; ir += MR, out += kc * MR) {
    const std::size_t rows = std::min(MR, mc - ir);
    if (a.t == trans::yes) {
      // op(A)(i, p) = A(p, i): the MR values of one p are contiguous in A.
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = a.p + (p0 + p) * a.ld + i0 + ir;
        float* dst = out + p * MR;
        for (std::size_t r = 0; r < rows; ++r) dst[r] = src[r];
        for (std::size_t r = rows; r < MR; ++r) dst[r] = 0.0f;
      }
    } else {
      // A row of A becomes a strided column of the panel: 16 x 16 blocks go through registers
      // where the build has the transpose.
      std::size_t p_done = 0;
#if defined(__AVX512F__)
      if constexpr (MR <= 16) {
        p_done = kc - kc % 16;
        for (std::size_t p = 0; p < p_done; p += 16)
          transpose_16x16(a.p + (i0 + ir) * a.ld + p0 + p, a.ld, out + p * MR, MR, rows, MR);
      }
#endif
      for (std::size_t r = 0; r < rows; ++r) {
        const float* src = a.p + (i0 + ir + r) * a.ld + p0;
        for (std::size_t p = p_done; p < kc; ++p) out[p * MR + r] = src[p];
      }
      for (std::size_t r = rows; r < MR; ++r)
        for (std::size_t p = p_done; p < kc; ++p) out[p * MR + r] = 0.0f;
    }
  }
}

// op(B)(p0 .. p0+kc, j0 .. j0+nc) into panels of NR columns; each panel is kc rows of NR values,
// columns past the edge zero.
template <class Arch, std::size_t NR>
void pack_b(const operand& b, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc,
            float* out) noexcept {
  for (std::size_t jr = 0; jr < nc; jr += NR, out += kc * NR) {
    const std::size_t cols = std::min(NR, nc - jr);
    if (b.t == trans::no) {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = b.p + (p0 + p) * b.ld + j0 + jr;
        float* dst = out + p * NR;
        for (std::size_t c = 0; c < cols; ++c) dst[c] = src[c];
        for (std::size_t c = cols; c < NR; ++c) dst[c] = 0.0f;
      }
    } else {
      // op(B)(p, j) = B(j, p): one column of the panel is contiguous in B. 16 x 16 blocks go
      // through registers where the build has the transpose, columns past the edge as zeros.
      std::size_t p_done = 0;
#if defined(__AVX512F__)
      if constexpr (NR % 16 == 0) {
        p_done = kc - kc % 16;
        for (std::size_t p = 0; p < p_done; p += 16)
          for (std::size_t c = 0; c < NR; c += 16) {
            const std::size_t rows = c < cols ? std::min<std::size_t>(16, cols - c) : 0;
            transpose_16x16(rows > 0 ? b.p + (j0 + jr + c) * b.ld + p0 + p : b.p, b.ld,
                            out + p * NR + c, NR, rows);
          }
      }
#endif
      for (std::size_t p = p_done; p < kc; ++p) {
        float* dst = out + p * NR;
        for (std::size_t c = 0; c < cols; ++c) dst[c] = b.p[(j0 + jr + c) * b.ld + p0 + p];
        for (std::size_t c = cols; c < NR; ++c) dst[c] = 0.0f;
      }
    }
  }
}

// The epilogue over `len` consecutive elements of one row of C, starting at column j.
template <class Arch>
void finish_row(const epilogue<float>& e, std::size_t i, std::size_t j, std::size_t len,
                float* crow) noexcept {
  constexpr std::size_t w = simd::width<float, Arch>;
  const std::size_t vec_end = len - len % w;
  for (std::size_t c = 0; c < vec_end; c += w)
    simd::store_unaligned(crow + c,
                          finish(e, i, j + c, simd::load_unaligned<Arch>(crow + c)));
  for (std::size_t c = vec_end; c < len; ++c) crow[c] = finish(e, i, j + c, crow[c]);
}

struct tile_target {
  float* c;
  std::size_t ldc;
  std::size_t i, j;            ///< the tile's first row and column in C (for the epilogue)
  std::size_t rows, cols;      ///< valid part of the MR x NR tile
  float alpha, beta;           ///< beta only on the first KC-slice
  const epilogue<float>* epi;  ///< only on the last KC-slice
  bool c_transposed;           ///< the tile is of C^T: element (r, c) goes to C(j + c, i + r)
};

// The register tile to memory: row r's vector v at tile + r * NR + v * w. Constant indices
// only, so the tile stays in registers on the paths that do not spill it.
template <class Arch, std::size_t MR, std::size_t NV>
[[gnu::always_inline]] inline void spill(const simd::batch<float, Arch> (&acc)[MR][NV],
                                         float* tile) noexcept {
  constexpr std::size_t w = simd::width<float, Arch>;
FITCHECK_UNROLL(32)
  for (std::size_t r = 0; r < MR; ++r)
FITCHECK_UNROLL(4)
    for (std::size_t v = 0; v < NV; ++v) acc[r][v].store_aligned(tile + r * NV * w + v * w);
}

// alpha z + beta c, one element of a partial tile (beta C only on the first KC-slice).
inline float scaled(const tile_target& t, float z, float c) noexcept {
  if (t.alpha != 1.0f) z *= t.alpha;
  if (t.beta != 0.0f) z += t.beta * c;
  return z;
}

// A tile of C^T (spilled: row r at tile + r * NR), stored into C (no epilogue): columns of the
// tile become rows of C. The caller spills so that its accumulators never need an address. Out
// of line: inlined, g++ 12 takes the spilled tile for uninitialised (-Wmaybe-uninitialized).
template <class Arch, std::size_t MR, std::size_t NV>
[[gnu::noinline]] void store_transposed(const float* tile, const tile_target& t) noexcept {
  constexpr std::size_t w = simd::width<float, Arch>;
  constexpr std::size_t NR = NV * w;
#if defined(__AVX512F__)
  if constexpr (simd::is_avx512<Arch> && MR <= 16) {
    alignas(64) float rows[16 * 16];
    const auto mask = static_cast<__mmask16>((1u << t.rows) - 1u);
    const __m512 alpha = _mm512_set1_ps(t.alpha), beta = _mm512_set1_ps(t.beta);
    const bool plain = t.alpha == 1.0f && t.beta == 0.0f;
    for (std::size_t c0 = 0; c0 < t.cols; c0 += 16) {
      float* dst0 = t.c + (t.j + c0) * t.ldc + t.i;
      if (plain && t.cols - c0 >= 16) {
        // 16 whole rows of C: the transpose stores them itself.
        transpose_16x16(tile + c0, NR, dst0, t.ldc, MR, t.rows);
        continue;
      }
      transpose_16x16(tile + c0, NR, rows, 16, MR);
      for (std::size_t c = 0; c < std::min<std::size_t>(16, t.cols - c0); ++c) {
        float* dst = dst0 + c * t.ldc;
        __m512 z = _mm512_load_ps(rows + c * 16);
        if (t.alpha != 1.0f) z = _mm512_mul_ps(z, alpha);
        if (t.beta != 0.0f) z = _mm512_fmadd_ps(beta, _mm512_maskz_loadu_ps(mask, dst), z);
        _mm512_mask_storeu_ps(dst, mask, z);
      }
    }
    return;
  }
#endif
  for (std::size_t c = 0; c < t.cols; ++c) {
    float* dst = t.c + (t.j + c) * t.ldc + t.i;
    for (std::size_t r = 0; r < t.rows; ++r) dst[r] = scaled(t, tile[r * NR + c], dst[r]);
  }
}

// kc rank-1 updates of an MR x NV-vector tile held in registers, then the store (with the
// epilogue applied in registers for a whole tile). B's rows are `ldb` apart: NR when packed,
// B's own stride when read in place.
//
// A's element (r, p) is ap[p * lda + r] (packed: lda = MR; a transposed A read in place: its row
// stride), or with RowsA, ap[r * lda + p] (an A read in place, row by row).
template <class Arch, std::size_t MR, std::size_t NV, bool RowsA = false>
void micro_kernel(std::size_t kc, const float* ap, std::size_t lda, const float* bp,
                  std::size_t ldb, const tile_target& t) noexcept {
  using B = simd::batch<float, Arch>;
  constexpr std::size_t w = simd::width<float, Arch>;
  constexpr std::size_t NR = NV * w;
  B acc[MR][NV];
  const std::size_t a_step = RowsA ? 1 : lda;
  {
    // The first rank-1 update sets the accumulators (kc >= 1): zeroing them would cost as
    // many instructions as a rank-1 update, which matters at small k.
    B b[NV];
FITCHECK_UNROLL(4)
    for (std::size_t v = 0; v < NV; ++v) b[v] = simd::load_unaligned<Arch>(bp + v * w);
FITCHECK_UNROLL(32)
    for (std::size_t r = 0; r < MR; ++r) {
      const B a(RowsA ? ap[r * lda] : ap[r]);
FITCHECK_UNROLL(4)
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = a * b[v];
    }
    ap += a_step;
    bp += ldb;
  }
FITCHECK_UNROLL(4)
  for (std::size_t p = 1; p < kc; ++p, ap += a_step, bp += ldb) {
    B b[NV];
FITCHECK_UNROLL(4)
    for (std::size_t v = 0; v < NV; ++v) b[v] = simd::load_unaligned<Arch>(bp + v * w);
FITCHECK_UNROLL(32)
    for (std::size_t r = 0; r < MR; ++r) {
      const B a(RowsA ? ap[r * lda] : ap[r]);
FITCHECK_UNROLL(4)
      for (std::size_t v = 0; v < NV; ++v) acc[r][v] = simd::fma(a, b[v], acc[r][v]);
    }
  }

  if (t.c_transposed) {
    alignas(64) float tile[MR * NR];
    spill<Arch, MR, NV>(acc, tile);
    store_transposed<Arch, MR, NV>(tile, t);
    return;
  }
  // Copies: C's floats may alias t's, so the compiler would reload t's fields after each store.
  const bool scale = t.alpha != 1.0f, accumulate = t.beta != 0.0f;
  const B alpha(t.alpha), beta(t.beta);
  const std::size_t rows = t.rows, cols = t.cols;
  float* const c0 = t.c + t.i * t.ldc + t.j;
  const std::size_t ldc = t.ldc;
  if (t.epi == nullptr && cols == NR && rows == MR && !scale && !accumulate) {
    // The common whole tile: nothing but the stores (small-k products are store-bound).
FITCHECK_UNROLL(32)
    for (std::size_t r = 0; r < MR; ++r)
FITCHECK_UNROLL(4)
      for (std::size_t v = 0; v < NV; ++v) simd::store_unaligned(c0 + r * ldc + v * w, acc[r][v]);
    return;
  }
  if (t.epi == nullptr && cols == NR) {
    // Whole rows (all of them, or the valid ones of a last row panel) straight from registers:
    // constant indices only, or the tile would be spilled for a loop over the rows.
FITCHECK_UNROLL(32)
    for (std::size_t r = 0; r < MR; ++r) {
      if (r < rows) {
        float* crow = c0 + r * ldc;
FITCHECK_UNROLL(4)
        for (std::size_t v = 0; v < NV; ++v) {
          B z = acc[r][v];
          if (scale) z = z * alpha;
          if (accumulate) z = simd::fma(beta, simd::load_unaligned<Arch>(crow + v * w), z);
          simd::store_unaligned(crow + v * w, z);
        }
      }
    }
    return;
  }
#if defined(__AVX512F__)
  if constexpr (simd::is_avx512<Arch>) {
    // A partial tile without an epilogue (a weight gradient of a layer narrower than a
    // vector, the 10-class output layer's) through masked loads and stores: the scalar path
    // below would cost as much as the tile's multiply-adds.
    if (t.epi == nullptr) {
FITCHECK_UNROLL(32)
      for (std::size_t r = 0; r < MR; ++r) {
        if (r < rows) {
          float* crow = c0 + r * ldc;
FITCHECK_UNROLL(4)
          for (std::size_t v = 0; v < NV; ++v) {
            const std::size_t lanes = cols > v * w ? std::min(w, cols - v * w) : 0;
            const auto mask = static_cast<__mmask16>((1u << lanes) - 1u);
            __m512 z = acc[r][v];
            if (scale) z = _mm512_mul_ps(z, alpha);
            if (accumulate) z = _mm512_fmadd_ps(beta, _mm512_maskz_loadu_ps(mask, crow + v * w), z);
            _mm512_mask_storeu_ps(crow + v * w, mask, z);
          }
        }
      }
      return;
    }
  }
#endif
  // With an epilogue, or a partial tile without AVX-512: the tile goes through memory once and
  // one copy of the (long) epilogue code serves every row.
  alignas(64) float edge[MR * NR];
  spill<Arch, MR, NV>(acc, edge);
  const epilogue<float>* epi = t.epi;
  const std::size_t i = t.i, j = t.j;
  for (std::size_t r = 0; r < rows; ++r) {
    float* crow = c0 + r * ldc;
    const float* e = edge + r * NR;
    if (cols == NR) {
      for (std::size_t v = 0; v < NV; ++v) {
        B z = B::load_aligned(e + v * w);
        if (scale) z = z * alpha;
        if (accumulate) z = simd::fma(beta, simd::load_unaligned<Arch>(crow + v * w), z);
        simd::store_unaligned(crow + v * w, finish(*epi, i + r, j + v * w, z));
      }
    } else {
      for (std::size_t c = 0; c < cols; ++c) crow[c] = scaled(t, e[c], crow[c]);
      if (epi != nullptr) finish_row<Arch>(*epi, i + r, j, cols, crow);
    }
  }
}

// The rows of the tile that runs a panel of A with `rows` valid rows: MR, or for a last panel
// of fewer rows, a shorter tile (the padding rows' multiply-adds would cost a sixth of a
// 10-class output layer's products). Tiles of 6 rows have a tail tile of every height.
template <std::size_t MR>
constexpr std::size_t tile_rows(std::size_t rows) noexcept {
  if constexpr (MR == 14) {
    if (rows <= 4) return 4;
    if (rows <= 8) return 8;
    if (rows <= 10) return 10;
    if (rows <= 12) return 12;
  }
  if constexpr (MR == 6) return rows;
  return MR;
}

// micro_kernel with the tile of tile_rows<MR>(t.rows) rows.
template <class Arch, std::size_t MR, std::size_t NV, bool RowsA = false>
void run_tile(std::size_t kc, const float* ap, std::size_t lda, const float* bp, std::size_t ldb,
              const tile_target& t) noexcept {
  if constexpr (MR == 14) {
    switch (tile_rows<MR>(t.rows)) {
      case 4: return micro_kernel<Arch, 4, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 8: return micro_kernel<Arch, 8, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 10: return micro_kernel<Arch, 10, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 12: return micro_kernel<Arch, 12, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      default: break;
    }
  }
  if constexpr (MR == 6) {
    switch (t.rows) {
      case 1: return micro_kernel<Arch, 1, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 2: return micro_kernel<Arch, 2, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 3: return micro_kernel<Arch, 3, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 4: return micro_kernel<Arch, 4, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      case 5: return micro_kernel<Arch, 5, NV, RowsA>(kc, ap, lda, bp, ldb, t);
      default: break;
    }
  }
  micro_kernel<Arch, MR, NV, RowsA>(kc, ap, lda, bp, ldb, t);
}

// One thread's share: rows [i0, i0 + m) and columns [j0, j0 + n) of C.
template <class Arch, std::size_t MR, std::size_t NV>
void gemm_range(const operand& a, const operand& b, std::size_t k, float alpha, float beta,
                float* c, std::size_t ldc, const epilogue<float>* epi, std::size_t i0,
                std::size_t m, std::size_t j0, std::size_t n, bool c_transposed) noexcept {
  using T = tile<Arch>;
  constexpr std::size_t NR = NV * T::w;
  constexpr std::size_t MC = T::mc / MR * MR;
  workspace& ws = workspace::local();
  // k in equal slices of at most KC: 784 = 4 x 196, not 3 x 256 + 16 (a thin last slice would
  // cost a whole pass over C for a few multiply-adds per element).
  const std::size_t kc_max = (k + (k + T::kc - 1) / T::kc - 1) / ((k + T::kc - 1) / T::kc);
  float* bpack = ws.b.get(kc_max * round_up(std::min(n, T::nc), NR));
  float* apack = ws.a.get(kc_max * round_up(std::min(m, MC), MR));
  for (std::size_t jc = j0; jc < j0 + n; jc += T::nc) {
    const std::size_t nc = std::min(T::nc, j0 + n - jc);
    for (std::size_t pc = 0; pc < k; pc += kc_max) {
      const std::size_t kc = std::min(kc_max, k - pc);
      const bool first = pc == 0, last = pc + kc == k;
      // B is read in place when its rows hold whole panels (no transpose): it is a layer's
      // weights or gradients, small enough to stay in L2, and packing it would cost as much as
      // the product at small batch sizes. Only the last, partial panel is packed (a full-width
      // load there would read past the row), as is everything of a transposed B.
      const bool in_place = b.t == trans::no && m < 128;
      const std::size_t full_end = in_place ? nc / NR * NR : 0;
      if (full_end < nc) pack_b<Arch, NR>(b, pc, kc, jc + full_end, nc - full_end, bpack);
      // A is read in place when it is small enough to stay in cache (a batch of activations
      // or gradients), or used once (one panel of B): packing would cost as much as the product
      // at small batch sizes. A large A is packed, for the TLB and the prefetcher. A transposed
      // A (X^T of a weight gradient) is read as MR contiguous values per k, like a packed
      // panel, so it stays in place up to 4x larger (a row-major A of that size is faster
      // packed; benchmarks/README.md has the measurements).
      const bool a_in_place =
          nc <= NR || m * k <= (std::size_t{1} << (a.t == trans::yes ? 18 : 16));
      for (std::size_t ic = i0; ic < i0 + m; ic += MC) {
        const std::size_t mc = std::min(MC, i0 + m - ic);
        // In place, the last panel is packed only when its tile would read rows past A's end.
        const std::size_t tail = mc % MR;
        const std::size_t full_rows =
            !a_in_place ? 0 : tail == 0 || tile_rows<MR>(tail) == tail ? mc : mc - tail;
        if (full_rows < mc) pack_a<Arch, MR>(a, ic + full_rows, mc - full_rows, pc, kc, apack);
        for (std::size_t jr = 0; jr < nc; jr += NR) {
          const float* bp =
              jr < full_end ? b.p + pc * b.ld + jc + jr : bpack + (jr - full_end) * kc;
          const std::size_t ldbp = jr < full_end ? b.ld : NR;
          for (std::size_t ir = 0; ir < mc; ir += MR) {
            const tile_target t{c,     ldc,   ic + ir, jc + jr, std::min(MR, mc - ir),
                                std::min(NR, nc - jr), alpha, first ? beta : 1.0f,
                                last ? epi : nullptr, c_transposed};
            if (ir >= full_rows) {
              run_tile<Arch, MR, NV>(kc, apack + (ir - full_rows) * kc, MR, bp, ldbp, t);
            } else if (a.t == trans::yes) {
              run_tile<Arch, MR, NV>(kc, a.p + pc * a.ld + ic + ir, a.ld, bp, ldbp, t);
            } else {
              run_tile<Arch, MR, NV, true>(kc, a.p + (ic + ir) * a.ld + pc, a.ld, bp, ldbp, t);
            }
          }
        }
      }
    }
  }
}

// n == 1, a matrix-vector product: a tile of NR columns would waste all but one. x is op(B)'s
// single column, its values sx apart.
template <class Arch>
void gemv_products(const operand& a, const float* x, std::size_t sx, std::size_t m, std::size_t k,
                   float alpha, float beta, float* c, std::size_t ldc) noexcept {
  auto store = [&](std::size_t i, float product) {
    c[i * ldc] = alpha * product + (beta == 0.0f ? 0.0f : beta * c[i * ldc]);
  };
  if (a.t == trans::no) {
    using B = simd::batch<float, Arch>;
    constexpr std::size_t w = simd::width<float, Arch>, R = 8;
    std::size_t i = 0;
    if (sx == 1) {
      // R rows of A at once against x: x is loaded once per R rows, and the R dot products
      // are independent chains (one row at a time waits on its one accumulator).
      const std::size_t k_vec = k - k % w;
      for (; i + R <= m; i += R) {
        B acc[R];
FITCHECK_UNROLL(8)
        for (std::size_t r = 0; r < R; ++r) acc[r] = B(0.0f);
        for (std::size_t p = 0; p < k_vec; p += w) {
          const B xv = simd::load_unaligned<Arch>(x + p);
FITCHECK_UNROLL(8)
          for (std::size_t r = 0; r < R; ++r)
            acc[r] = simd::fma(simd::load_unaligned<Arch>(a.p + (i + r) * a.ld + p), xv, acc[r]);
        }
FITCHECK_UNROLL(8)
        for (std::size_t r = 0; r < R; ++r) {
          const float* row = a.p + (i + r) * a.ld;
          float s = simd::reduce_add(acc[r]);
          for (std::size_t p = k_vec; p < k; ++p) s += row[p] * x[p];
          store(i + r, s);
        }
      }
    }
    // Row i of A against x: a dot product when x is contiguous.
    for (; i < m; ++i) {
      const float* row = a.p + i * a.ld;
      float s = 0.0f;
      if (sx == 1) {
        s = kernels::dot<Arch>(fitcheck::cpu, {row, k}, {x, k});
      } else {
        for (std::size_t p = 0; p < k; ++p) s += row[p] * x[p * sx];
      }
      store(i, s);
    }
    return;
  }
  // op(A) = A^T: C's column accumulates x[p] times row p of A, vectorised along the row.
  using B = simd::batch<float, Arch>;
  constexpr std::size_t w = simd::width<float, Arch>;
  constexpr std::size_t chunk = 4 * w;
  alignas(64) float part[chunk];
  for (std::size_t i0 = 0; i0 < m; i0 += chunk) {
    const std::size_t len = std::min(chunk, m - i0);
    if (len == chunk) {
      B acc[4] = {B(0.0f), B(0.0f), B(0.0f), B(0.0f)};
      for (std::size_t p = 0; p < k; ++p) {
        const B xp(x[p * sx]);
        const float* row = a.p + p * a.ld + i0;
FITCHECK_UNROLL(4)
        for (std::size_t v = 0; v < 4; ++v)
          acc[v] = simd::fma(xp, simd::load_unaligned<Arch>(row + v * w), acc[v]);
      }
      for (std::size_t v = 0; v < 4; ++v) acc[v].store_aligned(part + v * w);
    } else {
      for (std::size_t r = 0; r < len; ++r) part[r] = 0.0f;
      for (std::size_t p = 0; p < k; ++p)
        for (std::size_t r = 0; r < len; ++r) part[r] += x[p * sx] * a.p[p * a.ld + i0 + r];
    }
    for (std::size_t r = 0; r < len; ++r) store(i0 + r, part[r]);
  }
}

// The epilogue runs in a pass of its own after the products: kept out of their loops, it leaves
// them as small as those of a product without one.
template <class Arch>
void gemv(const operand& a, const float* x, std::size_t sx, std::size_t m, std::size_t k,
          float alpha, float beta, float* c, std::size_t ldc, const epilogue<float>* epi) noexcept {
  gemv_products<Arch>(a, x, sx, m, k, alpha, beta, c, ldc);
  if (epi != nullptr)
    for (std::size_t i = 0; i < m; ++i) c[i * ldc] = finish(*epi, i, 0, c[i * ldc]);
}

// Small k, both operands read in place: no packing, no blocking, one thread. C is tiles of 6
// rows x 4 vectors: with k = 10 a tile's fixed cost is a large part of its work, and this shape
// needs 10 loads per 24 multiply-adds where 12 x 2 needs 14 (14 x 2: 16 per 28).
template <class Arch>
void gemm_small(const operand& a, const operand& b, const gemm_args& g, float alpha, float beta,
                float* c, std::size_t ldc, const epilogue<float>* epi) noexcept {
  constexpr std::size_t MR = 6, NR = 4 * simd::width<float, Arch>;
  for (std::size_t i = 0; i < g.m; i += MR)
    for (std::size_t j = 0; j < g.n; j += NR)
      run_tile<Arch, MR, 4, true>(g.k, a.p + i * a.ld, a.ld, b.p + j, b.ld,
                                  tile_target{c, ldc, i, j, std::min(MR, g.m - i), NR, alpha, beta,
                                              epi, false});
}

/// Work below which a second thread costs more than it saves (multiply-adds).
inline constexpr std::size_t parallel_threshold = std::size_t{1} << 21;

/// How a product is cut among `parts` threads: `rows` x `cols` blocks of whole tiles.
struct split_grid {
  std::size_t rows, cols;
};

/// The grid for `parts` threads over `row_tiles` x `col_tiles` tiles of C. Up to two threads cut
/// one way: columns when there are enough of them, else rows. More threads cut both ways, so
/// that no thread packs all of A (a column cut) or all of B (a row cut): the most blocks, then
/// the least operand data per thread, m / rows + n / cols (in elements of each, times k).
inline split_grid choose_split(std::size_t parts, std::size_t m, std::size_t n,
                               std::size_t row_tiles, std::size_t col_tiles,
                               std::size_t nr) noexcept {
  if (parts <= 2) {
    const bool by_columns = n >= 2 * nr * parts || n >= m;
    return by_columns ? split_grid{1, std::min(parts, col_tiles)}
                      : split_grid{std::min(parts, row_tiles), 1};
  }
  split_grid best{1, 1};
  double best_cost = 0;
  for (std::size_t r = 1; r <= std::min(parts, row_tiles); ++r) {
    const std::size_t c = std::min(parts / r, col_tiles);
    const double cost = double(m) / double(r) + double(n) / double(c);
    if (r * c > best.rows * best.cols || (r * c == best.rows * best.cols && cost < best_cost)) {
      best = {r, c};
      best_cost = cost;
    }
  }
  return best;
}

template <class Arch, std::size_t MR, std::size_t NV>
void gemm_split(const operand& a, const operand& b, const gemm_args& g, float alpha, float beta,
                float* c, std::size_t ldc, const epilogue<float>* epi, bool c_transposed = false) {
  constexpr std::size_t NR = NV * tile<Arch>::w;
  const std::size_t work = g.m * g.n * g.k;
  const std::size_t parts = std::min<std::size_t>(max_threads(), work / parallel_threshold);
  const std::size_t row_tiles = (g.m + MR - 1) / MR, col_tiles = (g.n + NR - 1) / NR;
  const split_grid grid = choose_split(parts, g.m, g.n, row_tiles, col_tiles, NR);
  if (grid.rows * grid.cols <= 1) {
    gemm_range<Arch, MR, NV>(a, b, g.k, alpha, beta, c, ldc, epi, 0, g.m, 0, g.n, c_transposed);
    return;
  }
  // Block (r, q) holds whole tiles, their rows and columns shared out as evenly as they go.
  parallel_for(static_cast<unsigned>(grid.rows * grid.cols), [&](unsigned part) {
    const std::size_t r = part / grid.cols, q = part % grid.cols;
    const std::size_t i0 = std::min(g.m, row_tiles * r / grid.rows * MR);
    const std::size_t i1 = std::min(g.m, row_tiles * (r + 1) / grid.rows * MR);
    const std::size_t j0 = std::min(g.n, col_tiles * q / grid.cols * NR);
    const std::size_t j1 = std::min(g.n, col_tiles * (q + 1) / grid.cols * NR);
    if (i0 == i1 || j0 == j1) return;
    gemm_range<Arch, MR, NV>(a, b, g.k, alpha, beta, c, ldc, epi, i0, i1 - i0, j0, j1 - j0,
                             c_transposed);
  });
}

}  // namespace detail

/// C = alpha op(A) op(B) + beta C, then the epilogue `epi` (may be null) on every element.
template <class Arch>
void gemm_packed(const gemm_args& g, float alpha, const float* a, std::size_t lda, const float* b,
                 std::size_t ldb, float beta, float* c, std::size_t ldc,
                 const epilogue<float>* epi) {
  if (g.m == 0 || g.n == 0) return;
  if (epi != nullptr && epi->empty()) epi = nullptr;
  if (g.k == 0) {
    // No products: only beta C and the epilogue.
    for (std::size_t i = 0; i < g.m; ++i) {
      float* crow = c + i * ldc;
      for (std::size_t j = 0; j < g.n; ++j) crow[j] = beta == 0.0f ? 0.0f : beta * crow[j];
      if (epi != nullptr) detail::finish_row<Arch>(*epi, i, 0, g.n, crow);
    }
    return;
  }
  const detail::operand oa{a, lda, g.ta}, ob{b, ldb, g.tb};
  using T = tile<Arch>;
  if (g.n == 1 && g.m * g.k < detail::parallel_threshold) {
    detail::gemv<Arch>(oa, b, g.tb == trans::no ? ldb : 1, g.m, g.k,
                       alpha, beta, c, ldc, epi);
    return;
  }
#if defined(__AVX512F__)
  if constexpr (T::avx512) {
    // A narrow dY W^T (a layer with few inputs): dot products, see gemm_dot.hpp. Below 96
    // values of k the C^T path below (32 rows or more) wins: a block's reduction and its two
    // partial chunks are then a large share of its work (measured: benchmarks/README.md).
    if (g.ta == trans::no && g.tb == trans::yes && g.n <= T::w && beta == 0.0f &&
        epi == nullptr && g.k >= 32 && (g.k >= 96 || g.m < 2 * T::w) &&
        g.m * g.n * g.k < detail::parallel_threshold) {
      float* scratch = detail::workspace::local().b.get(detail::dot_scratch_size(g.m, g.n));
      detail::gemm_dot(g.m, g.n, g.k, alpha, a, lda, b, ldb, c, ldc, scratch);
      return;
    }
  }
#endif
  const bool untransposed = g.ta == trans::no && g.tb == trans::no;
  if (g.n <= T::w && g.m >= 2 * T::w && epi == nullptr && (!untransposed || g.m <= 64)) {
    // Narrow C (n within one vector) with many rows, no epilogue: the gradients of a narrow
    // layer (the 10-class output). Its tiles would be mostly padding; C^T = op(B)^T op(A)^T has
    // n rows and m columns instead, and is stored transposed. Untransposed, C^T's packing of
    // A^T pays for a batch of 64 but not of 256.
    const detail::operand sa{b, ldb, g.tb == trans::no ? trans::yes : trans::no};
    const detail::operand sb{a, lda, g.ta == trans::no ? trans::yes : trans::no};
    const gemm_args sg{sa.t, sb.t, g.n, g.m, g.k};
    detail::gemm_split<Arch, T::mr_wide, 2>(sa, sb, sg, alpha, beta, c, ldc, nullptr, true);
    return;
  }
  if constexpr (T::avx512) {
    // The seed model's first layer (k = 10): see gemm_small. Its 6 x 4 vectors of
    // accumulators would not fit in the 16 registers of AVX2.
    if (g.k <= 16 && g.n % (4 * T::w) == 0 && g.ta == trans::no && g.tb == trans::no &&
        g.m * g.n * g.k < detail::parallel_threshold) {
      detail::gemm_small<Arch>(oa, ob, g, alpha, beta, c, ldc, epi);
      return;
    }
  }
  if (g.n <= T::w)
    detail::gemm_split<Arch, T::mr_narrow, 1>(oa, ob, g, alpha, beta, c, ldc, epi);
  else
    detail::gemm_split<Arch, T::mr_wide, 2>(oa, ob, g, alpha, beta, c, ldc, epi);
}

}  // namespace cpu
}  // namespace fitcheck::kernels
