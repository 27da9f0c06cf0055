// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include <fitcheck/kernels/backend.hpp>

// Values a layer keeps between calls in a backend's memory (BatchNormalization's statistics on
// the device, a merge block's activations). The handle names no backend header, so a layer holds
// one in every build; the backend's `allocate_buffer<T>(tag, n)` makes one with that backend's
// allocation and copies (`allocate_state(tag, n)` for doubles).

namespace fitcheck::kernels {

/// n values of T in some backend's memory, owned: copying the handle copies the values (a copied
/// model trains on its own statistics), moving it moves them.
template <class T>
class backend_buffer {
public:
  /// What the backend provides: allocation, release and copies in each direction.
  struct operations {
    T* (*allocate)(std::size_t n);
    void (*release)(T* p, std::size_t n) noexcept;
    void (*to_buffer)(const T* host, T* buffer, std::size_t n);
    void (*to_host)(const T* buffer, T* host, std::size_t n);
    void (*within)(const T* from, T* to, std::size_t n);
  };

  backend_buffer() = default;
  backend_buffer(const operations& ops, std::size_t n)
      : ops_(&ops), data_(ops.allocate(n)), size_(n) {}
  backend_buffer(const backend_buffer& o) : ops_(o.ops_), size_(o.size_) {
    if (ops_ == nullptr) return;
    data_ = ops_->allocate(size_);
    ops_->within(o.data_, data_, size_);
  }
  backend_buffer(backend_buffer&& o) noexcept
      : ops_(std::exchange(o.ops_, nullptr)), data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)) {}
  backend_buffer& operator=(backend_buffer o) noexcept {
    std::swap(ops_, o.ops_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~backend_buffer() {
    if (ops_ != nullptr) ops_->release(data_, size_);
  }

  [[nodiscard]] T* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return ops_ == nullptr; }
  /// Copies size() values from host memory into the buffer.
  void upload(const T* host) const { ops_->to_buffer(host, data_, size_); }
  /// Copies the buffer's size() values into host memory.
  void download(T* host) const { ops_->to_host(data_, host, size_); }

private:
  const operations* ops_ = nullptr;
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A layer's non-trainable state in a backend's memory.
using state_buffer = backend_buffer<double>;

namespace detail {
template <class T>
inline constexpr typename backend_buffer<T>::operations host_buffer_operations{
    [](std::size_t n) { return new T[n](); },
    [](T* p, std::size_t) noexcept { delete[] p; },
    [](const T* from, T* to, std::size_t n) { std::copy_n(from, n, to); },
    [](const T* from, T* to, std::size_t n) { std::copy_n(from, n, to); },
    [](const T* from, T* to, std::size_t n) { std::copy_n(from, n, to); },
};
}  // namespace detail

/// n zeroed values of T in host memory.
template <class T>
backend_buffer<T> allocate_buffer(reference_t, std::size_t n) {
  return {detail::host_buffer_operations<T>, n};
}
/// n zeroed doubles in host memory.
inline state_buffer allocate_state(reference_t be, std::size_t n) {
  return allocate_buffer<double>(be, n);
}

}  // namespace fitcheck::kernels
