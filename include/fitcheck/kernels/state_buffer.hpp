// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include <fitcheck/kernels/backend.hpp>

// Values a layer keeps between calls in a backend's memory (BatchNormalization's statistics on
// the device). The handle names no backend header, so a layer holds one in every build; the
// backend's `allocate_state(tag, n)` makes one with that backend's allocation and copies.

namespace fitcheck::kernels {

/// n doubles in some backend's memory, owned: copying the handle copies the values (a copied
/// model trains on its own statistics), moving it moves them.
class state_buffer {
public:
  /// What the backend provides: allocation, release and copies in each direction.
  struct operations {
    double* (*allocate)(std::size_t n);
    void (*release)(double* p, std::size_t n) noexcept;
    void (*to_buffer)(const double* host, double* buffer, std::size_t n);
    void (*to_host)(const double* buffer, double* host, std::size_t n);
    void (*within)(const double* from, double* to, std::size_t n);
  };

  state_buffer() = default;
  state_buffer(const operations& ops, std::size_t n)
      : ops_(&ops), data_(ops.allocate(n)), size_(n) {}
  state_buffer(const state_buffer& o) : ops_(o.ops_), size_(o.size_) {
    if (ops_ == nullptr) return;
    data_ = ops_->allocate(size_);
    ops_->within(o.data_, data_, size_);
  }
  state_buffer(state_buffer&& o) noexcept
      : ops_(std::exchange(o.ops_, nullptr)), data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)) {}
  state_buffer& operator=(state_buffer o) noexcept {
    std::swap(ops_, o.ops_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }
  ~state_buffer() {
    if (ops_ != nullptr) ops_->release(data_, size_);
  }

  [[nodiscard]] double* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return ops_ == nullptr; }
  /// Copies size() values from host memory into the buffer.
  void upload(const double* host) const { ops_->to_buffer(host, data_, size_); }
  /// Copies the buffer's size() values into host memory.
  void download(double* host) const { ops_->to_host(data_, host, size_); }

private:
  const operations* ops_ = nullptr;
  double* data_ = nullptr;
  std::size_t size_ = 0;
};

namespace detail {
inline constexpr state_buffer::operations host_state_operations{
    [](std::size_t n) { return new double[n](); },
    [](double* p, std::size_t) noexcept { delete[] p; },
    [](const double* from, double* to, std::size_t n) { std::copy_n(from, n, to); },
    [](const double* from, double* to, std::size_t n) { std::copy_n(from, n, to); },
    [](const double* from, double* to, std::size_t n) { std::copy_n(from, n, to); },
};
}  // namespace detail

/// n zeroed doubles in host memory.
inline state_buffer allocate_state(reference_t, std::size_t n) {
  return {detail::host_state_operations, n};
}

}  // namespace fitcheck::kernels
