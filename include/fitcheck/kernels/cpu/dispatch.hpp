// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Runtime dispatch of the hot float kernels to the best instruction set the CPU has. A target
// that links CMake's fitcheck::fitcheck links the library fitcheck_cpu_kernels
// (cmake/fitcheckKernels.cmake), three translation units built in the user's build tree: the
// kernels compiled for the directory's flags (the baseline, which also holds the dispatcher), for
// AVX2 + FMA and for AVX-512 (kernels/cpu/dispatch_levels.hpp). The target's own files, compiled
// with FITCHECK_DISPATCH, call the functions declared in each kernel header's `dispatch`
// namespace instead of instantiating the kernels; those run the table chosen once per process:
// the widest level the CPU and the operating system support, or a lower one named by the
// environment variable FITCHECK_CPU (baseline, avx2, avx512), for testing each level on one
// machine. Without it (fitcheck::headers, FITCHECK_DISPATCH=OFF, no CMake) nothing here is used:
// the kernels compile for the flags of each file that uses them.

#include <type_traits>

#include <fitcheck/config.hpp>

namespace fitcheck::kernels {

namespace dispatch {

/// The instruction-set levels a dispatching build holds kernels for.
enum class level : unsigned char { baseline, avx2, avx512 };

/// The level this process runs its kernels at (dispatching builds only: defined by the
/// kernels library).
level active_level() noexcept;

/// Its name as FITCHECK_CPU spells it, and the instruction set xsimd compiled it for.
const char* active_level_name() noexcept;
const char* active_isa() noexcept;

}  // namespace dispatch

namespace detail {
/// True where a float kernel runs through the dispatch table instead of being compiled here.
template <class T>
inline constexpr bool dispatched = FITCHECK_DISPATCHED && std::is_same_v<T, float>;
}  // namespace detail

}  // namespace fitcheck::kernels
