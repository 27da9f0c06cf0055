// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <array>
#include <cstdio>

#include <fitcheck/fitcheck.hpp>

int main() {
  namespace fc = fitcheck;
  // Static facts, checked by the compiler.
  static_assert(fc::Features<10>::size == 10);
  static_assert(fc::Cardinality::finite(150).batch(32).repeat().is_infinite());

  // The vectorised kernel, through xsimd as installed: at the level runtime dispatch chose, or
  // compiled for this file's flags where the build opted out (FITCHECK_DISPATCH=OFF).
  std::array<float, 37> ones{};
  ones.fill(1.0f);
  if (fc::kernels::sum(fc::cpu, ones) != 37.0f) return 1;
#if FITCHECK_DISPATCHED
  std::printf("kernels: %s (%s)\n", fc::kernels::dispatch::active_level_name(),
              fc::kernels::dispatch::active_isa());
#else
  std::printf("kernels: compiled for %s\n", fc::kernels::cpu::simd::default_arch::name());
#endif

  // The error hierarchy.
  try {
    (void)fc::Cardinality::finite(10).batch(0);
    return 1;
  } catch (const fc::error&) {
  }
  std::printf("fitcheck %d.%d.%d works\n", fc::version.major, fc::version.minor, fc::version.patch);
  return 0;
}
