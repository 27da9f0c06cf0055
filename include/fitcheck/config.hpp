// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The only header that defines macros.

#define FITCHECK_VERSION_MAJOR 0
#define FITCHECK_VERSION_MINOR 1
#define FITCHECK_VERSION_PATCH 0
#define FITCHECK_VERSION \
  (FITCHECK_VERSION_MAJOR * 10000 + FITCHECK_VERSION_MINOR * 100 + FITCHECK_VERSION_PATCH)

// Functors shared by the CPU code and Thrust kernels carry this; nvcc needs both attributes.
#if defined(__CUDACC__) || defined(__HIPCC__)
#define FITCHECK_HOST_DEVICE __host__ __device__
#else
#define FITCHECK_HOST_DEVICE
#endif

// Before a host-and-device template that calls a functor it is given: the host code passes it
// host-only lambdas (the CPU kernels), which nvcc's execution-space check would reject in a
// translation unit it compiles, though no device code ever makes that call (Thrust's own
// _CCCL_EXEC_CHECK_DISABLE).
#if defined(__CUDACC__)
#define FITCHECK_EXEC_CHECK_DISABLE _Pragma("nv_exec_check_disable")
#else
#define FITCHECK_EXEC_CHECK_DISABLE
#endif

// Formulas inlined into hot loops (the GEMM's epilogue), where a call per vector costs more
// than the formula.
#if defined(__CUDACC__)
#define FITCHECK_FORCE_INLINE __forceinline__
#else
#define FITCHECK_FORCE_INLINE [[gnu::always_inline]] inline
#endif

// A large functor's call in device code: a call, not a copy. CUB's reductions unroll their loop
// over each thread's items and inline the functor into every copy; the loss term (a switch over
// every loss, with its gradient) made each reduction kernel some 60 k lines of PTX, most of a
// test file's nvcc time. Host code inlines as before.
#if defined(__CUDA_ARCH__)
#define FITCHECK_DEVICE_NOINLINE __noinline__
#else
#define FITCHECK_DEVICE_NOINLINE
#endif

// Fully unrolls the loop that follows (constant trip count): the GEMM micro-kernel's loops over
// its register tile. GCC and Clang read `GCC unroll`; nvcc has its own spelling.
#define FITCHECK_PRAGMA(x) _Pragma(#x)
#if defined(__CUDACC__)
#define FITCHECK_UNROLL(n) FITCHECK_PRAGMA(unroll n)
#else
#define FITCHECK_UNROLL(n) FITCHECK_PRAGMA(GCC unroll n)
#endif

// Set by CMake's FITCHECK_ENABLE_CUDA option (through the fitcheck target) or by the user.
#ifndef FITCHECK_HAS_CUDA
#define FITCHECK_HAS_CUDA 0
#endif

// The device backend (`fc::cuda_t`, kernels/gpu/) is compiled in when this is 1: by default with
// FITCHECK_HAS_CUDA (Thrust's CUDA system; the translation unit must be compiled by nvcc). The CI
// build defines it with THRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CPP, where the same kernels run
// on the host through Thrust's C++ system, so they are tested without a GPU.
#ifndef FITCHECK_GPU_BACKEND
#define FITCHECK_GPU_BACKEND FITCHECK_HAS_CUDA
#endif

// The cuda backend's larger products through cuBLAS (kernels/gpu/gemm.hpp): on wherever the
// program links cuBLAS, which the package's fitcheck::fitcheck says with FITCHECK_HAS_CUBLAS=1
// (CMake's FITCHECK_WITH_CUBLAS, on by default with FITCHECK_ENABLE_CUDA). A target that defines
// FITCHECK_USE_CUBLAS=0 keeps fitcheck's own kernel for every product.
#ifndef FITCHECK_HAS_CUBLAS
#define FITCHECK_HAS_CUBLAS 0
#endif
#ifndef FITCHECK_USE_CUBLAS
#define FITCHECK_USE_CUBLAS FITCHECK_HAS_CUBLAS
#endif

// Token pasting and quoting after macro expansion (the dispatch units' table names).
#define FITCHECK_CONCAT_(a, b) a##b
#define FITCHECK_CONCAT(a, b) FITCHECK_CONCAT_(a, b)
#define FITCHECK_STRINGIFY_(a) #a
#define FITCHECK_STRINGIFY(a) FITCHECK_STRINGIFY_(a)

// Runtime kernel dispatch (kernels/cpu/dispatch.hpp): FITCHECK_DISPATCH is defined for the users
// of CMake's fitcheck::fitcheck, which links the kernels compiled once per instruction set
// (cmake/fitcheckKernels.cmake; those translation units define FITCHECK_KERNEL_LEVEL). In the
// users' files the hot float kernels then run through a table chosen once per process for the CPU,
// instead of being compiled for the files' flags. nvcc-compiled files keep their own kernels.
#if defined(FITCHECK_DISPATCH) && !defined(FITCHECK_KERNEL_LEVEL) && !defined(__CUDACC__)
#define FITCHECK_DISPATCHED 1
#else
#define FITCHECK_DISPATCHED 0
#endif

// Separate compilation of the code no user type shapes (argument checks, error messages, the
// progress bar, the memory plan's sentences, the parsers): its definitions are in
// `*_impl.hpp` files beside their headers. With FITCHECK_DISPATCH, the kernels library (which such
// a program links anyway) compiles them once, in its baseline unit (include/fitcheck/compiled.hpp),
// and every other file of the program only declares them: a user's file neither parses nor
// optimises them again (benchmarks/README.md, "A user's compile"). Without it (fitcheck::headers),
// each header includes its `_impl.hpp` and the functions are inline: headers only, as before. The
// other kernel units declare them too, so no copy compiled with AVX-512 flags exists. Functions
// with state of their own (a function-local static, such as the warning channel) stay inline in
// the headers, so that a program has one instance of it however its files were compiled. So does
// everything that calls a dispatched kernel (Optimizer::step): the library's units each call their
// own level's kernels, not the table, so such code compiled there would run the baseline's.
#if defined(FITCHECK_DISPATCHER)
#define FITCHECK_SEPARATE 0
#define FITCHECK_IMPL
#elif defined(FITCHECK_DISPATCH) || defined(FITCHECK_KERNEL_LEVEL)
#define FITCHECK_SEPARATE 1
#define FITCHECK_IMPL inline
#else
#define FITCHECK_SEPARATE 0
#define FITCHECK_IMPL inline
#endif

namespace fitcheck {

/// A library version: major.minor.patch.
struct version_info {
  /// Incremented for incompatible changes.
  int major;
  /// Incremented for additions.
  int minor;
  /// Incremented for fixes.
  int patch;
};

/// The library version the headers were built from.
inline constexpr version_info version{FITCHECK_VERSION_MAJOR, FITCHECK_VERSION_MINOR,
                                      FITCHECK_VERSION_PATCH};

}  // namespace fitcheck
