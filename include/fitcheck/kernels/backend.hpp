// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

// Backend tags. Kernels take one as their first argument; host tags inherit from `reference_t`,
// so an operation a host backend does not specialise falls back to the scalar reference through
// ordinary overload resolution.

namespace fitcheck {

/// Plain scalar C++: the semantics every other backend is tested against.
struct reference_t {};
/// The host CPU through xsimd.
struct cpu_t : reference_t {};

/// What a backend's matrix products (dense layers, convolutions) compute in: the precision
/// policy, the Model option `Precision<P>` (train/options). Everything else (activations, losses,
/// normalisation, the optimizer and the weights it updates) stays float32.
enum class precision : std::uint8_t {
  float32,  ///< exact float32 products: the default, equal to the CPU backends to rounding
  tf32,     ///< operands rounded to TF32 (10-bit mantissa), float32 sums: tensor cores' mode
  bf16,     ///< operands rounded to bfloat16 (7-bit mantissa), float32 sums and storage
};

/// An NVIDIA GPU through Thrust and CUDA (kernels/gpu/). Deliberately not derived from
/// `reference_t`: its pointers name device memory, so an operation without a GPU kernel must be a
/// compile error, never the scalar reference looping over device addresses. Built with Thrust's
/// CPU systems (THRUST_DEVICE_SYSTEM_CPP / _OMP) the same kernels run on the host, which is how
/// they are tested without a GPU. The tag's value carries the precision of its products.
struct cuda_t {
  precision math = precision::float32;
};

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

namespace kernels {

/// What a backend runs, for its error messages: a layer's "forward" or "backward" (`layer` its
/// name, `index` its place in the model, counted as the guards count), or a step of the engine's
/// own ("the loss", "the optimizer update"; `layer` null).
struct operation {
  const char* what = nullptr;
  const char* layer = nullptr;
  std::size_t index = 0;
};

/// Marks `op` as what `Backend` runs until the scope ends; `finish()` after the operation's
/// kernels are queued. Host backends' kernels do not fail, so for them it does nothing; the cuda
/// backend (kernels/gpu/memory.hpp) names the operation in its errors, and with
/// FITCHECK_CUDA_SYNC=1 waits in finish() for the operation's kernels so that an error is
/// reported by the operation that caused it.
template <class Backend>
struct operation_scope {
  constexpr operation_scope(Backend, operation) noexcept {}
  constexpr void finish() noexcept {}
};
template <>
struct operation_scope<cuda_t>;

}  // namespace kernels

}  // namespace fitcheck
