// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Moving test data to and from the cuda backend's device memory. In the CI build the device is
// Thrust's C++ system (host memory), but the tests go through the same copies as on a GPU.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <fitcheck/kernels/kernels.hpp>

namespace fitcheck::test {

template <class T>
kernels::gpu::device_buffer<T> to_device(const std::vector<T>& host) {
  kernels::gpu::device_buffer<T> d(host.size());
  kernels::gpu::copy_to_device(cuda, host.data(), d.data(), host.size());
  return d;
}

template <class T>
std::vector<T> to_host(const kernels::gpu::device_buffer<T>& d) {
  std::vector<T> h(d.size());
  kernels::gpu::copy_to_host(cuda, d.data(), h.data(), d.size());
  return h;
}

template <class T = float>
std::vector<T> random_values(std::size_t n, unsigned seed, T lo = T(-2), T hi = T(2)) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist{double(lo), double(hi)};
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(dist(gen));
  return v;
}

template <class T>
double max_abs_diff(const std::vector<T>& a, const std::vector<T>& b) {
  double worst = a.size() == b.size() ? 0.0 : 1e300;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double d = std::abs(double(a[i]) - double(b[i]));
    if (d > worst || d != d) worst = d != d ? 1e300 : d;
  }
  return worst;
}

/// The largest difference relative to the largest magnitude of `want`.
template <class T>
double relative_diff(const std::vector<T>& got, const std::vector<T>& want) {
  double scale = 1e-30;
  for (const T v : want) scale = std::max(scale, double(std::abs(v)));
  return max_abs_diff(got, want) / scale;
}

}  // namespace fitcheck::test
