// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <vector>

#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>

// Transfers of the training step, built so that the host never waits between a step's kernels.
// Host -> device: a double buffer. On a GPU each of its two slots has a pinned (page-locked) host
// staging area and a device area; upload() copies the batch into the staging area and starts a
// cudaMemcpyAsync on a non-blocking copy stream, and the compute stream waits on that copy's event
// only, so fit's upload of batch i + 1 (made by the pipeline while step i runs) copies while the
// kernels of step i still execute. A slot's device area is overwritten only after the compute
// that read it has finished (an event recorded by release()), its staging area only after its
// previous copy has finished. Device -> host: a readback buffer, pinned memory that a
// cudaMemcpyAsync queued behind a step's kernels fills (the loss, the gradient norm, the outputs
// metrics read), with an event the host waits on when it needs the values. On Thrust's CPU systems
// both are plain copies.

namespace fitcheck::kernels::gpu {

template <class T>
class double_buffer {
public:
  double_buffer() = default;
  double_buffer(const double_buffer&) = delete;
  double_buffer& operator=(const double_buffer&) = delete;
  ~double_buffer() { free_pinned(); }

  /// Sizes both slots for `n` values (once, before the first step).
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    capacity_ = n;
    for (auto& d : device_) d.assign(n);
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    free_pinned();
    detail::check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
    for (std::size_t s = 0; s < 2; ++s) {
      detail::check(cudaHostAlloc(reinterpret_cast<void**>(&staging_[s]), n * sizeof(T),
                                  cudaHostAllocDefault),
                    "cudaHostAlloc (pinned staging memory)");
      detail::check(cudaEventCreateWithFlags(&copied_[s], cudaEventDisableTiming),
                    "cudaEventCreate");
      detail::check(cudaEventCreateWithFlags(&consumed_[s], cudaEventDisableTiming),
                    "cudaEventCreate");
    }
#endif
  }

  /// Copies `n` host values into the next slot and returns its device pointer. Kernels launched
  /// on the default stream after this call see the data.
  T* upload(const T* host, std::size_t n) {
    slot_ ^= 1u;
    T* dev = device_[slot_].data();
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    // The staging area is free once its previous copy has finished.
    detail::check(cudaEventSynchronize(copied_[slot_]), "cudaEventSynchronize");
    std::memcpy(staging_[slot_], host, n * sizeof(T));
    // The device area is free once the step that read it (two uploads ago) has finished.
    detail::check(cudaStreamWaitEvent(stream_, consumed_[slot_], 0), "cudaStreamWaitEvent");
    detail::check(cudaMemcpyAsync(dev, staging_[slot_], n * sizeof(T), cudaMemcpyHostToDevice,
                                  stream_),
                  "cudaMemcpyAsync");
    detail::check(cudaEventRecord(copied_[slot_], stream_), "cudaEventRecord");
    detail::check(cudaStreamWaitEvent(cudaStreamLegacy, copied_[slot_], 0), "cudaStreamWaitEvent");
#else
    // Device memory is host memory on Thrust's CPU systems.
    std::memcpy(dev, host, n * sizeof(T));
#endif
    return dev;
  }

  /// Marks the current slot's data as consumed by everything launched so far.
  void release() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventRecord(consumed_[slot_], cudaStreamLegacy), "cudaEventRecord");
#endif
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

private:
  void free_pinned() noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    for (std::size_t s = 0; s < 2; ++s) {
      if (staging_[s]) cudaFreeHost(staging_[s]);
      if (copied_[s]) cudaEventDestroy(copied_[s]);
      if (consumed_[s]) cudaEventDestroy(consumed_[s]);
      staging_[s] = nullptr;
      copied_[s] = consumed_[s] = nullptr;
    }
    if (stream_) cudaStreamDestroy(stream_);
    stream_ = nullptr;
#endif
  }

  std::array<device_buffer<T>, 2> device_;
  std::size_t capacity_ = 0;
  unsigned slot_ = 1;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  std::array<T*, 2> staging_{};
  std::array<cudaEvent_t, 2> copied_{};
  std::array<cudaEvent_t, 2> consumed_{};
  cudaStream_t stream_ = nullptr;
#endif
};

/// Device -> host copies that do not block the host: fetch() queues the copy behind the kernels
/// launched so far, wait() blocks until it has landed and returns the host copy. One fetch at a
/// time: the next fetch overwrites the values.
template <class T>
class readback_buffer {
public:
  readback_buffer() = default;
  readback_buffer(const readback_buffer&) = delete;
  readback_buffer& operator=(const readback_buffer&) = delete;
  ~readback_buffer() { free_pinned(); }

  /// Sizes the host copy for `n` values (once, before the first step).
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    free_pinned();
    detail::check(cudaHostAlloc(reinterpret_cast<void**>(&host_), n * sizeof(T),
                                cudaHostAllocDefault),
                  "cudaHostAlloc (pinned readback memory)");
    detail::check(cudaEventCreateWithFlags(&ready_, cudaEventDisableTiming), "cudaEventCreate");
#else
    host_.resize(n);
#endif
    capacity_ = n;
  }

  /// Queues the copy of `n` device values (n <= the reserved size) behind the kernels launched
  /// on the default stream so far.
  void fetch(const T* device, std::size_t n) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaMemcpyAsync(host_, device, n * sizeof(T), cudaMemcpyDeviceToHost,
                                  cudaStreamLegacy),
                  "cudaMemcpyAsync");
    detail::check(cudaEventRecord(ready_, cudaStreamLegacy), "cudaEventRecord");
#else
    copy_to_host(cuda, device, host_.data(), n);
#endif
  }

  /// Waits for the last fetch and returns its values.
  [[nodiscard]] const T* wait() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventSynchronize(ready_), "cudaEventSynchronize");
    return host_;
#else
    return host_.data();
#endif
  }

private:
  void free_pinned() noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    // A copy may still be landing in the memory being freed.
    if (ready_) cudaEventSynchronize(ready_);
    if (host_) cudaFreeHost(host_);
    if (ready_) cudaEventDestroy(ready_);
    host_ = nullptr;
    ready_ = nullptr;
#endif
  }

  std::size_t capacity_ = 0;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  T* host_ = nullptr;
  cudaEvent_t ready_ = nullptr;
#else
  std::vector<T> host_;
#endif
};

}  // namespace fitcheck::kernels::gpu
