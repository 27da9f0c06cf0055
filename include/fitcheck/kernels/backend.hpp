// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Backend tags. Kernels take one as their first argument; host tags inherit from `reference_t`,
// so an operation a host backend does not specialise falls back to the scalar reference through
// ordinary overload resolution.

namespace fitcheck {

/// Plain scalar C++: the semantics every other backend is tested against.
struct reference_t {};
/// The host CPU through xsimd.
struct cpu_t : reference_t {};

/// An NVIDIA GPU through Thrust and CUDA (kernels/gpu/). Deliberately not derived from
/// `reference_t`: its pointers name device memory, so an operation without a GPU kernel must be a
/// compile error, never the scalar reference looping over device addresses. Built with Thrust's
/// CPU systems (THRUST_DEVICE_SYSTEM_CPP / _OMP) the same kernels run on the host, which is how
/// they are tested without a GPU.
struct cuda_t {};

inline constexpr reference_t reference{};
inline constexpr cpu_t cpu{};
inline constexpr cuda_t cuda{};

}  // namespace fitcheck
