// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include <fitcheck/kernels/reduce.hpp>

namespace kernels_reduce_test {

namespace fc = fitcheck;

namespace {
std::vector<float> ramp(std::size_t n, float scale) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>((i * 37) % 101) - 0.5f;
  return v;
}
double exact_dot(const std::vector<float>& x, const std::vector<float>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += double(x[i]) * double(y[i]);
  return s;
}
}  // namespace

TEST_CASE("kernels: cpu sum and dot match the reference on every length around the vector width") {
  // Lengths 0..200 cover the empty case, the tail-only case, one vector, and the 4-way unroll
  // with every remainder, for any width up to AVX-512's 16 floats.
  for (std::size_t n = 0; n <= 200; ++n) {
    CAPTURE(n);
    const auto x = ramp(n, 0.01f);
    const auto y = ramp(n, -0.02f);
    std::vector<float> ones(x.size(), 1.0f);
    const double exact_sum = exact_dot(x, ones);
    const double tol = 1e-5 * (1.0 + static_cast<double>(n));
    CHECK(std::abs(fc::kernels::sum(fc::cpu, x) - exact_sum) <= tol);
    CHECK(std::abs(fc::kernels::sum(fc::reference, x) - exact_sum) <= tol);
    CHECK(std::abs(fc::kernels::dot(fc::cpu, x, y) - exact_dot(x, y)) <= tol);
    CHECK(std::abs(fc::kernels::dot(fc::reference, x, y) - exact_dot(x, y)) <= tol);
  }
}

TEST_CASE("kernels: integers sum exactly on both backends") {
  std::vector<float> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i % 7);
  float expected = 0;
  for (float f : v) expected += f;  // small integers: every partial sum is exact
  CHECK(fc::kernels::sum(fc::cpu, v) == expected);
  CHECK(fc::kernels::sum(fc::reference, v) == expected);
}

}  // namespace kernels_reduce_test
