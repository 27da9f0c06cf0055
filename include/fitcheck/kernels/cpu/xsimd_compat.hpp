// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Every xsimd call fitcheck makes goes through this header, so that Debian's xsimd 8 and
// Conan Center's xsimd 13/14 both build: their APIs differ (hadd became reduce_add in 9).

#include <cstddef>
#include <type_traits>

#include <fitcheck/config.hpp>

#if FITCHECK_DISPATCHED
// A file compiled with FITCHECK_DISPATCH runs every float kernel through the dispatch table
// (cpu/dispatch.hpp) and compiles no vector code of its own, so it does not parse xsimd (0.8 s
// and 85 MB of each such compile at -march=native). The kernels' vector branches, behind
// `available<Arch>`, are discarded there; the names they use are only declared.
namespace fitcheck::kernels::cpu::simd {

struct unavailable_arch {};
using default_arch = unavailable_arch;
template <class Arch = default_arch>
inline constexpr bool available = false;
template <class T, class Arch = default_arch>
struct batch;
template <class T, class Arch = default_arch>
inline constexpr std::size_t width = batch<T, Arch>::size;
template <class Arch = default_arch, class T>
batch<T, Arch> load_unaligned(const T* p) noexcept;
template <class T, class Arch>
void store_unaligned(T* p, const batch<T, Arch>& v) noexcept;
template <class Arch = default_arch, class T>
batch<T, Arch> broadcast(T v) noexcept;
template <class T, class Arch>
batch<T, Arch> fma(const batch<T, Arch>& a, const batch<T, Arch>& b,
                   const batch<T, Arch>& c) noexcept;
template <class T, class Arch>
T reduce_add(const batch<T, Arch>& v) noexcept;
template <class T, class Arch>
batch<T, Arch> max(const batch<T, Arch>& a, const batch<T, Arch>& b) noexcept;
template <class T, class Arch>
batch<T, Arch> abs(const batch<T, Arch>& v) noexcept;
template <class T, class Arch>
batch<T, Arch> sqrt(const batch<T, Arch>& v) noexcept;
template <class T, class Arch>
batch<T, Arch> exp(const batch<T, Arch>& v) noexcept;
template <class T, class Arch>
batch<T, Arch> log1p(const batch<T, Arch>& v) noexcept;
template <class T, class Arch>
batch<T, Arch> tanh(const batch<T, Arch>& v) noexcept;
template <class Cond, class T, class Arch>
batch<T, Arch> select(const Cond& cond, const batch<T, Arch>& a,
                      const batch<T, Arch>& b) noexcept;

}  // namespace fitcheck::kernels::cpu::simd
#else
// g++ 12 reports -W(maybe-)uninitialized inside the AVX-512 intrinsics that xsimd's kernels
// inline (the `__Y = __Y` idiom of _mm512_undefined_ps and friends): a false positive in the
// compiler's own headers. GCC checks the pragma state at every location of the inlining chain;
// at -O1 (the sanitizer build) the chain ends inside out-of-line xsimd functions (exp, to_int),
// so xsimd itself is included under the pragma; at -O3 the chain reaches the wrappers below,
// which carry the same pragma. Code outside xsimd and these wrappers keeps the warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <xsimd/xsimd.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace fitcheck::kernels::cpu::simd {

/// The widest instruction set the compiler flags enable (AVX-512 with -march=native here). In a
/// translation unit nvcc compiles, none: the per-element formulas are host and device functions
/// (kernels/math.hpp), and nvcc rejects a vector type in any instantiation of one, so the host
/// kernels of a .cu file take their scalar loops.
#if defined(__CUDACC__)
using default_arch = xsimd::unavailable;
#else
using default_arch = xsimd::default_arch;
#endif

/// No instruction set: the scalar path, as a kernel's Arch argument.
using unavailable_arch = xsimd::unavailable;

/// False where xsimd found no instruction set at all; kernels then take their scalar path.
template <class Arch = default_arch>
inline constexpr bool available = !std::is_same_v<Arch, xsimd::unavailable>;

/// True for the AVX-512 instruction sets (32 vector registers instead of 16).
template <class Arch>
inline constexpr bool is_avx512 = std::is_base_of_v<xsimd::avx512f, Arch>;

template <class T, class Arch = default_arch>
using batch = xsimd::batch<T, Arch>;

/// Lanes per register for T under Arch.
template <class T, class Arch = default_arch>
inline constexpr std::size_t width = batch<T, Arch>::size;

template <class Arch = default_arch, class T>
batch<T, Arch> load_unaligned(const T* p) noexcept {
  return batch<T, Arch>::load_unaligned(p);
}

template <class T, class Arch>
void store_unaligned(T* p, const batch<T, Arch>& v) noexcept {
  v.store_unaligned(p);
}

template <class Arch = default_arch, class T>
batch<T, Arch> broadcast(T v) noexcept {
  return batch<T, Arch>(v);
}

/// a * b + c, fused where the instruction set has FMA.
template <class T, class Arch>
batch<T, Arch> fma(const batch<T, Arch>& a, const batch<T, Arch>& b,
                   const batch<T, Arch>& c) noexcept {
  return xsimd::fma(a, b, c);
}

// The same false positive as at the include above, for the wrappers whose inlined xsimd calls
// trigger it (the double lane sum, max, exp, tanh, the compare/select path).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

/// The kernel levels of runtime dispatch (cpu/dispatch.hpp), as ranks: 0 baseline (SSE2 on
/// x86-64, whatever the flags give elsewhere), 1 AVX2 + FMA, 2 AVX-512 (F, CD, DQ, BW).
/// What this CPU and its operating system support (xsimd's CPUID and XGETBV check).
inline int cpu_level() noexcept {
  const auto a = xsimd::available_architectures();
  if (a.avx512bw && a.avx512dq && a.avx512cd) return 2;
  return a.fma3_avx2 ? 1 : 0;
}

/// The level of the instruction set `Arch` (the compiler flags' choice by default).
template <class Arch = default_arch>
inline constexpr int arch_level =
    std::is_base_of_v<xsimd::avx512bw, Arch> ? 2
    : std::is_base_of_v<xsimd::fma3<xsimd::avx2>, Arch> ? 1 : 0;

/// Sum of the lanes.
template <class T, class Arch>
T reduce_add(const batch<T, Arch>& v) noexcept {
#if XSIMD_VERSION_MAJOR >= 9
  return xsimd::reduce_add(v);
#else
  return xsimd::hadd(v);
#endif
}

/// Lane-wise maximum (ReLU is max(x, 0)).
template <class T, class Arch>
batch<T, Arch> max(const batch<T, Arch>& a, const batch<T, Arch>& b) noexcept {
  return xsimd::max(a, b);
}

/// Lane-wise |x|.
template <class T, class Arch>
batch<T, Arch> abs(const batch<T, Arch>& v) noexcept {
  return xsimd::abs(v);
}

/// Lane-wise square root (correctly rounded).
template <class T, class Arch>
batch<T, Arch> sqrt(const batch<T, Arch>& v) noexcept {
  return xsimd::sqrt(v);
}

/// Lane-wise e^x: xsimd's polynomial, within a few ulp of std::exp.
template <class T, class Arch>
batch<T, Arch> exp(const batch<T, Arch>& v) noexcept {
  return xsimd::exp(v);
}

/// Lane-wise log(1 + x): xsimd's polynomial, within a few ulp of std::log1p.
template <class T, class Arch>
batch<T, Arch> log1p(const batch<T, Arch>& v) noexcept {
  return xsimd::log1p(v);
}

/// Lane-wise tanh: xsimd's rational approximation, within a few ulp of std::tanh.
template <class T, class Arch>
batch<T, Arch> tanh(const batch<T, Arch>& v) noexcept {
  return xsimd::tanh(v);
}

/// Per lane: `cond ? a : b`, from a comparison of two batches (`x > y` and friends).
template <class Cond, class T, class Arch>
batch<T, Arch> select(const Cond& cond, const batch<T, Arch>& a, const batch<T, Arch>& b) noexcept {
  return xsimd::select(cond, a, b);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace fitcheck::kernels::cpu::simd
#endif  // FITCHECK_DISPATCHED
