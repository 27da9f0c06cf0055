// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <cstddef>

#include <fitcheck/kernels/cpu/xsimd_compat.hpp>

namespace kernels_cpu_xsimd_compat_test {

namespace simd = fitcheck::kernels::cpu::simd;

TEST_CASE("xsimd_compat: load, fma, reduce_add and store agree with scalar code") {
  static_assert(simd::available<>, "tests are built for a CPU with SIMD");
  constexpr std::size_t w = simd::width<float>;
  std::array<float, w> a{}, b{}, out{};
  float expected = 0;
  for (std::size_t i = 0; i < w; ++i) {
    a[i] = static_cast<float>(i + 1);
    b[i] = 2.0f;
    expected += a[i] * 2.0f + 0.5f;
  }
  const auto va = simd::load_unaligned(a.data());
  const auto vb = simd::load_unaligned(b.data());
  const auto r = simd::fma(va, vb, simd::broadcast(0.5f));
  CHECK(simd::reduce_add(r) == expected);
  simd::store_unaligned(out.data(), r);
  for (std::size_t i = 0; i < w; ++i) CHECK(out[i] == a[i] * 2.0f + 0.5f);
}

TEST_CASE("xsimd_compat: the native build uses the widest instruction set the machine has") {
#if defined(__AVX512F__)
  CHECK(simd::width<float> == 16);
#elif defined(__AVX2__) || defined(__AVX__)
  CHECK(simd::width<float> == 8);
#else
  CHECK(simd::width<float> == 4);  // SSE2 or NEON
#endif
}

}  // namespace kernels_cpu_xsimd_compat_test
