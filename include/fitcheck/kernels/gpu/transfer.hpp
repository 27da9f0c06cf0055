// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>

// Transfers of the training step, built so that the host never waits between a step's kernels.
// Host -> device: a ring of upload slots (two: a step's batch and the next one's; one more per
// further step in flight). On a GPU each slot has a pinned (page-locked) host
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
class upload_ring {
public:
  upload_ring() = default;
  upload_ring(const upload_ring&) = delete;
  upload_ring& operator=(const upload_ring&) = delete;
  ~upload_ring() { free_pinned(); }

  /// Sizes `slots` slots (at least 2) for `n` values each; a step engine does it before its first
  /// step. Grows only; a larger ring is allocated afresh.
  void reserve(std::size_t n, std::size_t slots = 2) {
    slots = std::max<std::size_t>(slots, 2);
    if (n <= capacity_ && slots <= device_.size()) return;
    capacity_ = std::max(n, capacity_);
    slots = std::max(slots, device_.size());
    free_pinned();
    device_.clear();  // (device_buffer is not movable: the ring is rebuilt whole)
    device_ = std::vector<device_buffer<T>>(slots);
    for (auto& d : device_) d.assign(capacity_);
    slot_ = slots - 1;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    staging_.assign(slots, nullptr);
    copied_.assign(slots, nullptr);
    consumed_.assign(slots, nullptr);
    detail::check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
    for (std::size_t s = 0; s < slots; ++s) {
      detail::check(cudaHostAlloc(reinterpret_cast<void**>(&staging_[s]), capacity_ * sizeof(T),
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
  T* upload(const T* host, std::size_t n) { return upload(host, n, nullptr, 0, n); }

  /// The same for two arrays in one copy (a batch's features and labels: half the host calls of
  /// two uploads): `na` values of `a` at the slot's start, `nb` of `b` from `offset` (>= na).
  T* upload(const T* a, std::size_t na, const T* b, std::size_t nb, std::size_t offset) {
    slot_ = (slot_ + 1) % device_.size();
    T* dev = device_[slot_].data();
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    // The staging area is free once its previous copy has finished.
    detail::check(cudaEventSynchronize(copied_[slot_]), "cudaEventSynchronize");
    std::memcpy(staging_[slot_], a, na * sizeof(T));
    if (nb > 0) std::memcpy(staging_[slot_] + offset, b, nb * sizeof(T));
    // The device area is free once the step that read it (a ring ago) has finished.
    detail::check(cudaStreamWaitEvent(stream_, consumed_[slot_], 0), "cudaStreamWaitEvent");
    detail::check(cudaMemcpyAsync(dev, staging_[slot_], (nb > 0 ? offset + nb : na) * sizeof(T),
                                  cudaMemcpyHostToDevice, stream_),
                  "cudaMemcpyAsync");
    detail::check(cudaEventRecord(copied_[slot_], stream_), "cudaEventRecord");
    detail::check(cudaStreamWaitEvent(cudaStreamLegacy, copied_[slot_], 0), "cudaStreamWaitEvent");
#else
    // Device memory is host memory on Thrust's CPU systems.
    std::memcpy(dev, a, na * sizeof(T));
    if (nb > 0) std::memcpy(dev + offset, b, nb * sizeof(T));
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
  [[nodiscard]] std::size_t slots() const noexcept { return device_.size(); }

private:
  void free_pinned() noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    for (std::size_t s = 0; s < staging_.size(); ++s) {
      // A copy may still be reading the staging area being freed.
      if (copied_[s]) cudaEventSynchronize(copied_[s]);
      if (staging_[s]) cudaFreeHost(staging_[s]);
      if (copied_[s]) cudaEventDestroy(copied_[s]);
      if (consumed_[s]) cudaEventDestroy(consumed_[s]);
    }
    staging_.clear();
    copied_.clear();
    consumed_.clear();
    if (stream_) cudaStreamDestroy(stream_);
    stream_ = nullptr;
#endif
  }

  std::vector<device_buffer<T>> device_;
  std::size_t capacity_ = 0;
  std::size_t slot_ = 0;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  std::vector<T*> staging_;
  std::vector<cudaEvent_t> copied_, consumed_;
  cudaStream_t stream_ = nullptr;
#endif
};

/// Device -> host copies that do not block the host: fetch() queues the copy behind the kernels
/// launched so far, wait() blocks until it has landed and returns the host copy. Each of its
/// slots holds one fetch at a time: the next fetch into a slot overwrites its values, so a step
/// engine with several steps in flight gives each its own slot.
template <class T>
class readback_buffer {
public:
  readback_buffer() = default;
  readback_buffer(const readback_buffer&) = delete;
  readback_buffer& operator=(const readback_buffer&) = delete;
  ~readback_buffer() { free_pinned(); }

  /// Sizes `slots` host copies of `n` values (before the first step). Grows only.
  void reserve(std::size_t n, std::size_t slots = 1) {
    slots = std::max<std::size_t>(slots, 1);
    if (n <= capacity_ && slots <= slots_) return;
    capacity_ = std::max(n, capacity_);
    slots_ = std::max(slots, slots_);
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    free_pinned();
    detail::check(cudaHostAlloc(reinterpret_cast<void**>(&host_), slots_ * capacity_ * sizeof(T),
                                cudaHostAllocDefault),
                  "cudaHostAlloc (pinned readback memory)");
    ready_.assign(slots_, nullptr);
    for (auto& r : ready_)
      detail::check(cudaEventCreateWithFlags(&r, cudaEventDisableTiming), "cudaEventCreate");
#else
    host_.resize(slots_ * capacity_);
#endif
  }

  /// Queues the copy of `n` device values (n <= the reserved size) into `slot` behind the
  /// kernels launched on the default stream so far.
  void fetch(const T* device, std::size_t n, std::size_t slot = 0) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaMemcpyAsync(host_ + slot * capacity_, device, n * sizeof(T),
                                  cudaMemcpyDeviceToHost, cudaStreamLegacy),
                  "cudaMemcpyAsync");
    detail::check(cudaEventRecord(ready_[slot], cudaStreamLegacy), "cudaEventRecord");
#else
    copy_to_host(cuda, device, host_.data() + slot * capacity_, n);
#endif
  }

  /// Waits for the last fetch into `slot` and returns its values.
  [[nodiscard]] const T* wait(std::size_t slot = 0) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventSynchronize(ready_[slot]), "cudaEventSynchronize");
    return host_ + slot * capacity_;
#else
    return host_.data() + slot * capacity_;
#endif
  }

private:
  void free_pinned() noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    // A copy may still be landing in the memory being freed.
    for (auto r : ready_) cudaEventSynchronize(r);
    if (host_) cudaFreeHost(host_);
    for (auto r : ready_) cudaEventDestroy(r);
    host_ = nullptr;
    ready_.clear();
#endif
  }

  std::size_t capacity_ = 0, slots_ = 0;
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  T* host_ = nullptr;
  std::vector<cudaEvent_t> ready_;
#else
  std::vector<T> host_;
#endif
};

/// Host memory the device copies to and from directly (pinned, page-locked, on a GPU; ordinary
/// memory on Thrust's CPU systems), `n` values of T, uninitialised. Sized once.
template <class T>
class pinned_buffer {
public:
  explicit pinned_buffer(std::size_t n) : size_(n) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaHostAlloc(reinterpret_cast<void**>(&p_), std::max<std::size_t>(n, 1) *
                                                                   sizeof(T),
                                cudaHostAllocDefault),
                  "cudaHostAlloc (pinned memory)");
#else
    v_.resize(n);
    p_ = v_.data();
#endif
  }
  pinned_buffer(const pinned_buffer&) = delete;
  pinned_buffer& operator=(const pinned_buffer&) = delete;
  ~pinned_buffer() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    cudaFreeHost(p_);
#endif
  }
  [[nodiscard]] T* data() noexcept { return p_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  T* p_ = nullptr;
  std::size_t size_;
#if THRUST_DEVICE_SYSTEM != THRUST_DEVICE_SYSTEM_CUDA
  std::vector<T> v_;
#endif
};

/// A point in the compute (default) stream's work: record() marks the work queued so far, wait()
/// blocks the host until it has run. On Thrust's CPU systems, where that work has run when it
/// returns, both do nothing.
class device_event {
public:
  device_event() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventCreateWithFlags(&e_, cudaEventDisableTiming), "cudaEventCreate");
#endif
  }
  device_event(const device_event&) = delete;
  device_event& operator=(const device_event&) = delete;
  ~device_event() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    cudaEventSynchronize(e_);  // (a copy may still be landing in memory its owner frees next)
    cudaEventDestroy(e_);
#endif
  }
  void record() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventRecord(e_, cudaStreamLegacy), "cudaEventRecord");
#endif
  }
  void wait() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
    detail::check(cudaEventSynchronize(e_), "cudaEventSynchronize");
#endif
  }

private:
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  cudaEvent_t e_ = nullptr;
#endif
};

}  // namespace fitcheck::kernels::gpu
