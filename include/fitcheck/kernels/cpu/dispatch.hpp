// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Runtime dispatch of the hot float kernels to the best instruction set the CPU has. A target
// linked with CMake's fitcheck_add_kernels() gets three more translation units: the kernels
// compiled for the target's own flags (the baseline, which also holds the dispatcher), for
// AVX2 + FMA and for AVX-512 (kernels/cpu/dispatch_levels.hpp). Its own files, compiled with
// FITCHECK_DISPATCH, call the functions declared in each kernel header's `dispatch` namespace
// instead of instantiating the kernels; those run the table chosen once per process: the widest
// level the CPU and the operating system support, or a lower one named by the environment
// variable FITCHECK_CPU (baseline, avx2, avx512), for testing each level on one machine.
// Without fitcheck_add_kernels() nothing here is used: the kernels compile for the flags of
// each file that uses them, as before.

#include <type_traits>

#include <fitcheck/config.hpp>

namespace fitcheck::kernels {

namespace dispatch {

/// The instruction-set levels a dispatching build holds kernels for.
enum class level : unsigned char { baseline, avx2, avx512 };

/// The level this process runs its kernels at (dispatching builds only: defined by the
/// translation units fitcheck_add_kernels() adds).
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
