// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <type_traits>

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

/// True for a backend tag: the Model option that names where training runs. A new backend
/// declares its tag, specialises this, and brings its step engine (train/engine.hpp) and its
/// kernel loops; nothing else changes.
template <class T>
inline constexpr bool is_backend_tag = std::is_base_of_v<reference_t, T>;
template <>
inline constexpr bool is_backend_tag<cuda_t> = true;

/// True for the host backends, whose kernels work in host memory and do not throw; a device
/// backend's may (an allocation or a launch that fails).
template <class Backend>
inline constexpr bool is_host_backend = std::is_base_of_v<reference_t, Backend>;

inline constexpr reference_t reference{};
inline constexpr cpu_t cpu{};
inline constexpr cuda_t cuda{};

}  // namespace fitcheck
