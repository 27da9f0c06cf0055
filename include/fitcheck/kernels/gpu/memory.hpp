// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>
#include <new>
#include <optional>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <thrust/copy.h>
#include <thrust/device_free.h>
#include <thrust/device_malloc.h>
#include <thrust/device_ptr.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/fill.h>
#include <thrust/system_error.h>

#include <fitcheck/config.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/state_buffer.hpp>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
#ifndef __CUDACC__
#error "fitcheck: the cuda backend runs Thrust's CUDA system, so this file must be compiled by nvcc. Fix: compile it as CUDA (a .cu file, or set_source_files_properties(... LANGUAGE CUDA)), or build with -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_CPP to run the backend on the host"
#endif
#include <cuda_runtime.h>
#endif

// Device memory of the cuda backend. "Device" means Thrust's device system: GPU memory with
// THRUST_DEVICE_SYSTEM_CUDA, ordinary host memory with the C++ or OpenMP systems (the CI build),
// where every function below degrades to its host equivalent. Kernels take raw pointers into
// these buffers, exactly as the cpu kernels take raw host pointers.

namespace fitcheck::kernels::gpu {

/// True when the device is an NVIDIA GPU (Thrust's CUDA system), false on Thrust's CPU systems.
inline constexpr bool device_is_gpu = THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA;

/// Where device buffers live, for messages and documentation.
inline constexpr const char* device_memory_name =
    device_is_gpu ? "GPU memory" : "host memory (Thrust's CPU device system)";

namespace detail {
/// The operation the calling thread's backend runs (operation_scope<cuda_t> sets it). Left as it
/// was when an exception leaves the scope, so that the code that turns the exception into a
/// message can still name it.
inline operation& current_operation() noexcept {
  thread_local operation op;
  return op;
}

/// FITCHECK_CUDA_SYNC=1 (any value but empty or 0): wait after every operation, so that a
/// kernel's error is reported by the operation that queued it. Read once.
inline bool synchronous_errors() {
  static const bool on = [] {
    const char* v = std::getenv("FITCHECK_CUDA_SYNC");
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
  }();
  return on;
}

/// The resource_error of a failed CUDA call or Thrust algorithm: what failed, in which operation
/// (the current one), CUDA's reason, and the fix. A kernel's error is reported by the next call
/// that waits for it, so without FITCHECK_CUDA_SYNC the operation named may be a later one: the
/// message says so.
[[noreturn]] inline void raise_cuda_error(const char* what, const char* reason) {
  const operation& op = current_operation();
  std::string where;
  if (op.layer != nullptr)
    where = std::string(" in layer ") + std::to_string(op.index) + " (" + op.layer + ") " +
            (op.what != nullptr ? op.what : "");
  else if (op.what != nullptr)
    where = std::string(" in ") + op.what;
  std::string fix = "check the GPU is present and not out of memory (nvidia-smi), and that the "
                    "binary was built for its architecture (CMAKE_CUDA_ARCHITECTURES)";
  if (!synchronous_errors())
    fix += "; CUDA reports a kernel's error at the next call that waits for it, so the failing "
           "kernel may belong to an earlier operation: rerun with FITCHECK_CUDA_SYNC=1, which "
           "waits after every layer and names the one that failed";
  throw resource_error(std::string("cuda backend: ") + what + " failed" + where + ": " + reason,
                       fix);
}

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
inline void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) raise_cuda_error(what, cudaGetErrorString(e));
}
#endif

/// Runs f(), an entry point of the device engine: a Thrust algorithm that fails inside it
/// (thrust::system_error) becomes raise_cuda_error's resource_error, naming the operation it
/// failed in. However f ends, the thread then runs no operation.
template <class F>
decltype(auto) reporting_errors(F&& f) {
  struct clear {
    ~clear() { current_operation() = {}; }
  } at_exit;
  try {
    return std::forward<F>(f)();
  } catch (const thrust::system_error& e) {
    raise_cuda_error("a Thrust algorithm", e.what());
  }
}
}  // namespace detail

namespace detail {
// Thrust's reductions need temporary device storage; by default each call cudaMallocs and frees
// it, a synchronising round trip per loss and per gradient norm. This allocator keeps the blocks
// and hands them out again, so after the first step a training step allocates nothing; the
// convolutions take their lowering blocks from it too. On Thrust's CPU systems the blocks are
// host memory.
class cached_allocator {
public:
  using value_type = char;
  cached_allocator() = default;
  cached_allocator(const cached_allocator&) = delete;
  cached_allocator& operator=(const cached_allocator&) = delete;
  ~cached_allocator() {
    for (auto& b : blocks_) release(b.ptr);
  }
  char* allocate(std::ptrdiff_t n) {
    for (auto& b : blocks_) {
      if (!b.in_use && b.size >= std::size_t(n)) {
        b.in_use = true;
        return b.ptr;
      }
    }
    blocks_.reserve(blocks_.size() + 1);  // so that the push_back below cannot lose the block
    char* p = obtain(std::size_t(n));
    blocks_.push_back({p, std::size_t(n), true});
    return p;
  }
  void deallocate(char* p, std::size_t) noexcept {
    for (auto& b : blocks_)
      if (b.ptr == p) b.in_use = false;
  }

private:
  struct block {
    char* ptr;
    std::size_t size;
    bool in_use;
  };
  // A std::bad_alloc when memory runs out, as Thrust's device_vector throws, so that fit reports
  // [E2] with its facts.
  static char* obtain(std::size_t n) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    char* p = nullptr;
    const cudaError_t e = cudaMalloc(reinterpret_cast<void**>(&p), n);
    if (e == cudaErrorMemoryAllocation) {
      // Not a sticky error: cleared, so the next CUDA call does not report it again.
      (void)cudaGetLastError();
      throw std::bad_alloc();
    }
    check(e, "cudaMalloc (scratch)");
    return p;
#else
    return static_cast<char*>(::operator new(n == 0 ? 1 : n));
#endif
  }
  static void release(char* p) noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    cudaFree(p);
#else
    ::operator delete(p);
#endif
  }
  std::vector<block> blocks_;
};

inline cached_allocator& scratch() {
  thread_local cached_allocator a;
  return a;
}

// A block of `count` T from the scratch allocator, returned when the scope ends (kernels queued
// after that on the stream may reuse it: they run after the ones queued before).
template <class T>
class scratch_block {
public:
  explicit scratch_block(std::size_t count)
      : bytes_(count * sizeof(T)),
        p_(reinterpret_cast<T*>(scratch().allocate(static_cast<std::ptrdiff_t>(bytes_)))) {}
  scratch_block(const scratch_block&) = delete;
  scratch_block& operator=(const scratch_block&) = delete;
  ~scratch_block() { scratch().deallocate(reinterpret_cast<char*>(p_), bytes_); }
  [[nodiscard]] T* data() const noexcept { return p_; }

private:
  std::size_t bytes_;
  T* p_;
};

/// The execution policy of kernels that return nothing to the host: on a GPU, launched without
/// the synchronisation Thrust adds by default (stream order keeps them in sequence; the next copy
/// to the host waits for them), with cached scratch memory.
inline auto async_policy() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  return thrust::cuda::par_nosync(scratch());
#else
  return thrust::device;
#endif
}
}  // namespace detail

/// A buffer of `n` values of T in device memory, zero-filled, sized once (no growth: the
/// training loop sizes its buffers before the first step).
template <class T>
class device_buffer {
public:
  device_buffer() = default;
  explicit device_buffer(std::size_t n) : v_(n, T(0)) {}
  void assign(std::size_t n) { v_.assign(n, T(0)); }
  [[nodiscard]] T* data() noexcept { return thrust::raw_pointer_cast(v_.data()); }
  [[nodiscard]] const T* data() const noexcept { return thrust::raw_pointer_cast(v_.data()); }
  [[nodiscard]] std::size_t size() const noexcept { return v_.size(); }
  void fill(T value) { thrust::fill(v_.begin(), v_.end(), value); }

private:
  thrust::device_vector<T> v_;
};

/// Copies n values host -> device (synchronous).
template <class T>
void copy_to_device(cuda_t, const T* host, T* device, std::size_t n) {
  if (n != 0) thrust::copy(host, host + n, thrust::device_pointer_cast(device));
}
/// Copies n values device -> host (synchronous).
template <class T>
void copy_to_host(cuda_t, const T* device, T* host, std::size_t n) {
  if (n != 0) thrust::copy(thrust::device_pointer_cast(device), thrust::device_pointer_cast(device) + n, host);
}
/// Copies n values device -> device.
template <class T>
void copy_on_device(cuda_t, const T* from, T* to, std::size_t n) {
  if (n != 0)
    thrust::copy(thrust::device, thrust::device_pointer_cast(from),
                 thrust::device_pointer_cast(from) + n, thrust::device_pointer_cast(to));
}

/// Free device memory in bytes (cudaMemGetInfo) on a GPU; nullopt on Thrust's CPU systems, where
/// the caller uses the host's free memory instead.
[[nodiscard]] inline std::optional<std::size_t> device_free_memory(cuda_t) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  std::size_t free_bytes = 0, total = 0;
  detail::check(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
  return free_bytes;
#else
  return std::nullopt;
#endif
}

namespace detail {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
// 12040 -> "12.4", as nvidia-smi prints a CUDA version.
inline std::string cuda_version(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}
#endif
}  // namespace detail

/// Throws resource_error where the cuda backend cannot run, before anything is allocated: no
/// NVIDIA driver, a driver of an older major CUDA version than the runtime the program was built
/// with, no device (or none visible), or a device that cannot be initialised (another process
/// holds it in exclusive mode). Each message says what was found and the fix. No-op on CPU
/// systems; once per process when it passes.
inline void require_device(cuda_t) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  static const bool usable = [] {
    const char* cpu_fix = "; or train on the CPU: leave fc::cuda_t out of the Model (fc::cpu_t is "
                          "the default)";
    int driver = 0, runtime = 0;
    (void)cudaDriverGetVersion(&driver);  // 0 when no driver is loaded
    (void)cudaRuntimeGetVersion(&runtime);
    if (driver == 0)
      throw resource_error("cuda backend: this machine has no NVIDIA driver (libcuda), so no GPU "
                           "can run the model",
                           std::string("install the NVIDIA driver (nvidia-smi must list the GPU)") +
                               cpu_fix);
    // An older driver of the same major version runs a newer runtime (CUDA's minor-version
    // compatibility); an older major version never does.
    if (driver / 1000 < runtime / 1000)
      throw resource_error("cuda backend: the NVIDIA driver supports CUDA " +
                               detail::cuda_version(driver) + ", older than the CUDA " +
                               detail::cuda_version(runtime) + " runtime this program was built with",
                           "update the driver to one for CUDA " + detail::cuda_version(runtime) +
                               " or newer, or build with a CUDA toolkit no newer than " +
                               detail::cuda_version(driver) + cpu_fix);
    int count = 0;
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess || count == 0)
      throw resource_error(std::string("cuda backend: no usable CUDA device (") +
                               (e != cudaSuccess ? cudaGetErrorString(e) : "none found") + ")",
                           std::string("check that nvidia-smi lists a GPU and that "
                                       "CUDA_VISIBLE_DEVICES does not hide it") +
                               cpu_fix);
    // The first call that needs a context: fails when the GPU is held in exclusive mode, or out
    // of memory before the model has allocated anything.
    std::size_t free_bytes = 0, total = 0;
    const cudaError_t init = cudaMemGetInfo(&free_bytes, &total);
    if (init != cudaSuccess)
      throw resource_error(std::string("cuda backend: the GPU could not be initialised (") +
                               cudaGetErrorString(init) + ")",
                           std::string("check with nvidia-smi whether another process holds the "
                                       "GPU (compute mode Exclusive_Process) or its memory") +
                               cpu_fix);
    return true;
  }();
  (void)usable;
#endif
}

/// Waits until every kernel launched so far has finished (no-op on CPU systems).
inline void synchronize(cuda_t) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  detail::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
#endif
}

}  // namespace fitcheck::kernels::gpu

namespace fitcheck::kernels {
namespace gpu::detail {
template <class T>
inline constexpr typename backend_buffer<T>::operations device_buffer_operations{
    [](std::size_t n) {
      T* p = thrust::raw_pointer_cast(thrust::device_malloc<T>(n));
      thrust::fill_n(thrust::device, thrust::device_pointer_cast(p), n, T(0));
      return p;
    },
    [](T* p, std::size_t) noexcept { thrust::device_free(thrust::device_pointer_cast(p)); },
    [](const T* host, T* buffer, std::size_t n) {
      thrust::copy(host, host + n, thrust::device_pointer_cast(buffer));
    },
    [](const T* buffer, T* host, std::size_t n) {
      thrust::copy(thrust::device_pointer_cast(buffer), thrust::device_pointer_cast(buffer) + n,
                   host);
    },
    [](const T* from, T* to, std::size_t n) {
      thrust::copy(thrust::device, thrust::device_pointer_cast(from),
                   thrust::device_pointer_cast(from) + n, thrust::device_pointer_cast(to));
    },
};
}  // namespace gpu::detail

/// n zeroed values of T in device memory that a layer keeps between steps
/// (kernels/state_buffer.hpp).
template <class T>
backend_buffer<T> allocate_buffer(cuda_t, std::size_t n) {
  return {gpu::detail::device_buffer_operations<T>, n};
}
/// n zeroed doubles in device memory (a layer's state).
inline state_buffer allocate_state(cuda_t be, std::size_t n) {
  return allocate_buffer<double>(be, n);
}

/// The cuda backend's operation scope (see kernels/backend.hpp): names `op` in the errors raised
/// while it is open, restores the enclosing operation when it closes normally, and keeps `op`
/// when an exception leaves it (the handler reports it). finish(): with FITCHECK_CUDA_SYNC=1,
/// waits for the operation's kernels, so that their error names it.
template <>
struct operation_scope<cuda_t> {
  operation_scope(cuda_t, operation op) noexcept
      : saved_(gpu::detail::current_operation()), exceptions_(std::uncaught_exceptions()) {
    gpu::detail::current_operation() = op;
  }
  operation_scope(const operation_scope&) = delete;
  operation_scope& operator=(const operation_scope&) = delete;
  ~operation_scope() {
    if (std::uncaught_exceptions() == exceptions_) gpu::detail::current_operation() = saved_;
  }
  void finish() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    if (gpu::detail::synchronous_errors()) {
      gpu::detail::check(cudaGetLastError(), "a kernel launch");
      gpu::detail::check(cudaDeviceSynchronize(), "a kernel");
    }
#endif
  }

private:
  operation saved_;
  int exceptions_;
};
}  // namespace fitcheck::kernels
