// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The packed GEMM (kernels/cpu/gemm.hpp) against the reference, per instruction set the build
// enables (AVX-512, AVX2 and SSE tiles are all checked on an AVX-512 machine), on shapes that
// leave remainders of every tile size (MR 6/8/14/16, the AVX-512 tail tiles of 4/8/10/12 rows
// read in place or packed, NR 8/16/32, MC 96/140, KC 256; the small-k path's 6 x 64 tiles and
// their tails of 1-5 rows, at n = 64 and 128 and k <= 16; n = 1's matrix-vector blocks of 8
// rows and their k remainders; the dot-product path of a narrow dY W^T at every alignment), in
// every transposition, with strides wider than the rows, with the epilogue, and on two threads.
// Tolerance as in ../gemm_test.cpp: float accumulation against double, |C| <= k.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/gemm.hpp>

namespace kernels_cpu_gemm_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
constexpr fk::trans no = fk::trans::no, yes = fk::trans::yes;

std::vector<float> values(std::size_t n, std::size_t salt) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<float>(static_cast<int>((i * 37 + salt * 11) % 97) - 48) / 48.0f;
  return v;
}

struct problem {
  fk::gemm_args g;
  std::size_t lda, ldb, ldc;
  std::vector<float> a, b, c;
};

problem make(fk::trans ta, fk::trans tb, std::size_t m, std::size_t n, std::size_t k) {
  problem p{{ta, tb, m, n, k}, (ta == no ? k : m) + 3, (tb == no ? n : k) + 1, n + 2, {}, {}, {}};
  p.a = values((ta == no ? m : k) * p.lda, 1);
  p.b = values((tb == no ? k : n) * p.ldb, 2);
  p.c = values(m * p.ldc, 3);
  return p;
}

double tolerance(std::size_t k) { return 1e-6 * (1.0 + double(k)) * (1.0 + double(k) / 8.0); }

template <class Arch>
void check_arch(const char* name) {
  CAPTURE(name);
  for (fk::trans ta : {no, yes})
    for (fk::trans tb : {no, yes})
      for (std::size_t m : {1, 3, 10, 12, 13, 17, 18, 20, 22, 26, 33, 145})
        for (std::size_t n : {1, 3, 10, 16, 17, 32, 33, 64, 65, 128})
          for (std::size_t k : {1, 16, 17, 257}) {
            CAPTURE(static_cast<int>(ta));
            CAPTURE(static_cast<int>(tb));
            CAPTURE(m);
            CAPTURE(n);
            CAPTURE(k);
            // Scaled and accumulating, and plain (alpha 1, beta 0: C's old values ignored),
            // which takes the stores without a multiply.
            for (const auto& scale : {std::pair{0.5f, -2.0f}, std::pair{1.0f, 0.0f}}) {
              // Not a structured binding: doctest's CAPTURE captures it in a lambda, which
              // clang 14 does not allow for bindings.
              const float alpha = scale.first, beta = scale.second;
              CAPTURE(alpha);
              problem p = make(ta, tb, m, n, k);
              std::vector<float> expected = p.c;
              fk::gemm(fc::reference, p.g, alpha, p.a.data(), p.lda, p.b.data(), p.ldb, beta,
                       expected.data(), p.ldc);
              fk::cpu::gemm_packed<Arch>(p.g, alpha, p.a.data(), p.lda, p.b.data(), p.ldb, beta,
                                         p.c.data(), p.ldc, nullptr);
              double worst = 0;
              for (std::size_t i = 0; i < m; ++i) {
                for (std::size_t j = 0; j < n; ++j)
                  worst = std::max(worst,
                                   double(std::abs(p.c[i * p.ldc + j] - expected[i * p.ldc + j])));
                // The padding between rows is never written.
                for (std::size_t j = n; j < p.ldc; ++j)
                  CHECK(p.c[i * p.ldc + j] == expected[i * p.ldc + j]);
              }
              CHECK(worst <= tolerance(k));
            }
          }
}
}  // namespace

TEST_CASE(
    "kernels: packed gemm matches the reference for every tile, remainder and transposition") {
  using native = fk::cpu::simd::default_arch;
  static_assert(fk::cpu::simd::available<native>, "tests are built for a CPU with SIMD");
  check_arch<native>(native::name());
  if constexpr (xsimd::fma3<xsimd::avx2>::supported()) check_arch<xsimd::fma3<xsimd::avx2>>("avx2");
  if constexpr (xsimd::sse4_2::supported()) check_arch<xsimd::sse4_2>("sse4.2");
}

TEST_CASE(
    "kernels: packed gemm matches the reference on layer-sized products, A in place or packed") {
  // m k between 2^16 and 2^18: a transposed A (X^T of a weight gradient) is read in place over
  // several MC blocks and KC slices, an untransposed one packed. One thread, so that no split
  // into row ranges makes a range's m k smaller than the product's.
  const unsigned before = fk::max_threads();
  fk::set_max_threads(1);
  for (fk::trans ta : {no, yes})
    for (fk::trans tb : {no, yes})
      for (const auto& mnk :
           {std::array<std::size_t, 3>{300, 70, 260}, std::array<std::size_t, 3>{520, 33, 300}}) {
        const std::size_t m = mnk[0], n = mnk[1], k = mnk[2];  // captured: not a binding
        CAPTURE(static_cast<int>(ta));
        CAPTURE(static_cast<int>(tb));
        CAPTURE(m);
        problem p = make(ta, tb, m, n, k);
        std::vector<float> expected = p.c;
        fk::gemm(fc::reference, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0f,
                 expected.data(), p.ldc);
        fk::gemm(fc::cpu, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0f, p.c.data(),
                 p.ldc);
        double worst = 0;
        for (std::size_t i = 0; i < m; ++i)
          for (std::size_t j = 0; j < n; ++j)
            worst = std::max(worst, double(std::abs(p.c[i * p.ldc + j] - expected[i * p.ldc + j])));
        CHECK(worst <= tolerance(k));
      }
  fk::set_max_threads(before);
}

TEST_CASE(
    "kernels: narrow dY W^T (the dot-product path) matches the reference at every alignment "
    "of its operands, every remainder of k and of its 8 x 2 blocks") {
  // With AVX-512 these run kernels/cpu/gemm_dot.hpp (k >= 96 or fewer than 32 rows; the others
  // C^T): its chunks of k start at A's first 64-byte boundary, so each of A's 16 alignments
  // gives other partial chunks at both ends (merged into one vector or not); B aligned like A
  // or not; rows of one alignment (lda a multiple of 16) or of every alignment (lda = k).
  using native = fk::cpu::simd::default_arch;
  for (std::size_t shift_a = 0; shift_a < 16; ++shift_a)
    for (std::size_t shift_b : {std::size_t{0}, shift_a, std::size_t{7}})
      for (std::size_t k : {32, 33, 40, 47, 48, 49, 64, 100, 128, 129})
        for (bool aligned_rows : {true, false})
          for (std::size_t m : {1, 2, 3, 5, 7, 8, 11, 16, 33})
            for (std::size_t n : {1, 2, 3, 10, 16}) {
              CAPTURE(shift_a);
              CAPTURE(shift_b);
              CAPTURE(k);
              CAPTURE(aligned_rows);
              CAPTURE(m);
              CAPTURE(n);
              const fk::gemm_args g{no, yes, m, n, k};
              const std::size_t ld = aligned_rows ? (k + 15) / 16 * 16 + 16 : k, ldc = n + 3;
              // The operands `shift` floats past a 64-byte boundary of their storage.
              std::vector<float> a_store(m * ld + 32), b_store(n * ld + 32);
              auto at = [](std::vector<float>& store, std::size_t shift) {
                const auto misaligned = reinterpret_cast<std::uintptr_t>(store.data()) / 4 % 16;
                return store.data() + (16 - misaligned) % 16 + shift;
              };
              float* a = at(a_store, shift_a);
              float* b = at(b_store, shift_b);
              const auto av = values(m * ld, 6), bv = values(n * ld, 7);
              std::copy(av.begin(), av.end(), a);
              std::copy(bv.begin(), bv.end(), b);
              for (float alpha : {1.0f, -0.5f}) {
                CAPTURE(alpha);
                std::vector<float> expected(m * ldc, 5.0f), c(m * ldc, 5.0f);
                fk::gemm(fc::reference, g, alpha, a, ld, b, ld, 0.0f, expected.data(), ldc);
                fk::cpu::gemm_packed<native>(g, alpha, a, ld, b, ld, 0.0f, c.data(), ldc, nullptr);
                double worst = 0;
                for (std::size_t i = 0; i < m; ++i) {
                  for (std::size_t j = 0; j < n; ++j)
                    worst =
                        std::max(worst, double(std::abs(c[i * ldc + j] - expected[i * ldc + j])));
                  for (std::size_t j = n; j < ldc; ++j) CHECK(c[i * ldc + j] == 5.0f);
                }
                CHECK(worst <= tolerance(k));
              }
            }
}

TEST_CASE(
    "kernels: the gemm epilogue (bias, activation, pre-activation, derivative from the "
    "output) matches the reference on every tile path") {
  const fk::activation acts[] = {fk::activation::identity, fk::activation::relu,
                                 fk::activation::sigmoid, fk::activation::tanh};
  for (fk::trans ta : {no, yes})
    for (fk::trans tb : {no, yes})
      for (fk::activation act : acts)
        for (std::size_t m : {1, 10, 13, 40})
          for (std::size_t n : {1, 10, 33, 64})
            for (std::size_t k : {1, 19, 300}) {
              CAPTURE(static_cast<int>(ta));
              CAPTURE(static_cast<int>(tb));
              CAPTURE(static_cast<int>(act));
              CAPTURE(m);
              CAPTURE(n);
              CAPTURE(k);
              const problem p = make(ta, tb, m, n, k);
              const auto bias = values(n, 4);
              // y in (0, 1): a valid output of every activation whose derivative is applied.
              std::vector<float> y = values(m * n, 5);
              for (float& v : y) v = 0.5f + 0.45f * v;
              for (bool backward : {false, true}) {
                CAPTURE(backward);
                std::vector<float> c_ref(p.c.size(), 9.0f), c_cpu(p.c.size(), -9.0f);
                std::vector<float> pre_ref(p.c.size(), 9.0f), pre_cpu(p.c.size(), -9.0f);
                fk::epilogue<float> e_ref, e_cpu;
                if (backward) {
                  e_ref = {.dact = act, .y = y.data(), .ldy = n};
                  e_cpu = e_ref;
                } else {
                  e_ref = {.bias = bias.data(), .act = act, .pre = pre_ref.data(), .ldpre = p.ldc};
                  e_cpu = {.bias = bias.data(), .act = act, .pre = pre_cpu.data(), .ldpre = p.ldc};
                }
                fk::gemm(fc::reference, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0f,
                         c_ref.data(), p.ldc, e_ref);
                fk::gemm(fc::cpu, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.0f,
                         c_cpu.data(), p.ldc, e_cpu);
                const double tol = tolerance(k) + 1e-6;
                for (std::size_t i = 0; i < m; ++i)
                  for (std::size_t j = 0; j < n; ++j) {
                    const std::size_t at = i * p.ldc + j;
                    CHECK(std::abs(double(c_cpu[at]) - double(c_ref[at])) <= tol);
                    if (!backward)
                      CHECK(std::abs(double(pre_cpu[at]) - double(pre_ref[at])) <= tol);
                  }
              }
            }
}

TEST_CASE("kernels: gemm on several threads gives bit-identical results to one thread") {
  const unsigned before = fk::max_threads();
  for (fk::trans ta : {no, yes})
    for (fk::trans tb : {no, yes})
      // Large enough to split (by columns: 300 wide; by rows: 5 wide; on 3 or more threads
      // both ways: up to 10 blocks of 700 x 600), with remainders.
      for (const auto& mnk :
           {std::array<std::size_t, 3>{301, 300, 97}, std::array<std::size_t, 3>{2000, 5, 300},
            std::array<std::size_t, 3>{4000, 10, 300}, std::array<std::size_t, 3>{700, 600, 50}}) {
        const std::size_t m = mnk[0], n = mnk[1], k = mnk[2];  // captured: not a binding
        for (bool with_epilogue : {true, false}) {
          CAPTURE(m);
          CAPTURE(n);
          CAPTURE(with_epilogue);  // without, a narrow transposed-A product runs as C^T
          const problem p = make(ta, tb, m, n, k);
          const auto bias = values(n, 6);
          const fk::epilogue<float> e =
              with_epilogue ? fk::epilogue<float>{.bias = bias.data(), .act = fk::activation::tanh}
                            : fk::epilogue<float>{};
          std::vector<float> one = p.c;
          fk::set_max_threads(1);
          fk::gemm(fc::cpu, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.5f, one.data(),
                   p.ldc, e);
          for (unsigned threads : {2u, 3u, 4u, 16u}) {
            CAPTURE(threads);
            std::vector<float> many = p.c;
            fk::set_max_threads(threads);
            CHECK(fk::max_threads() == threads);
            fk::gemm(fc::cpu, p.g, 1.0f, p.a.data(), p.lda, p.b.data(), p.ldb, 0.5f, many.data(),
                     p.ldc, e);
            CHECK(one == many);
          }
        }
      }
  fk::set_max_threads(before);
}

TEST_CASE("kernels: a product is cut one way on two threads, both ways on more") {
  using fk::cpu::detail::choose_split;
  // Two threads: columns when there are enough, else rows (m, n, row tiles, column tiles, NR).
  CHECK(choose_split(2, 256, 512, 19, 16, 32).rows == 1);
  CHECK(choose_split(2, 256, 512, 19, 16, 32).cols == 2);
  CHECK(choose_split(2, 4000, 10, 286, 1, 32).rows == 2);
  CHECK(choose_split(2, 4000, 10, 286, 1, 32).cols == 1);
  // Sixteen threads on the wide layer's forward (256 x 512): all sixteen, as a grid whose
  // blocks read the least of A and B, not 16 column strips that each pack all of A.
  const auto wide = choose_split(16, 256, 512, 19, 16, 32);
  CHECK(wide.rows * wide.cols == 16);
  CHECK(wide.rows >= 2);
  CHECK(wide.cols >= 2);
  CHECK(256 / wide.rows + 512 / wide.cols == 192);  // 2 x 8 or 4 x 4, against 288 for 1 x 16
  // Never more blocks than tiles, nor than threads.
  const auto narrow = choose_split(16, 4000, 10, 286, 1, 32);
  CHECK(narrow.rows == 16);
  CHECK(narrow.cols == 1);
  const auto tiny = choose_split(16, 20, 40, 2, 2, 32);
  CHECK(tiny.rows * tiny.cols == 4);
  const auto odd = choose_split(6, 300, 300, 22, 10, 32);
  CHECK(odd.rows * odd.cols == 6);
  CHECK(odd.rows >= 2);
  CHECK(odd.cols >= 2);
}

TEST_CASE("kernels: parallel_for runs every part exactly once, also on more parts than threads") {
  const unsigned before = fk::max_threads();
  fk::set_max_threads(2);
  std::vector<int> hits(2, 0);
  fk::parallel_for(2, [&](unsigned part) { ++hits[part]; });
  CHECK(hits == std::vector<int>{1, 1});
  for (int round = 0; round < 100; ++round)
    fk::parallel_for(2, [&](unsigned part) { ++hits[part]; });
  CHECK(hits == std::vector<int>{101, 101});
  fk::set_max_threads(before);
}

}  // namespace kernels_cpu_gemm_test
