// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cpu softmax kernels against the reference. The cpu version reorders the row sums and uses
// xsimd's exp (a few ulp from std::exp), so outputs in [0, 1] agree within 1e-6 absolute and
// gradients within 1e-6 * (1 + max |dy|).
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include <fitcheck/kernels/softmax.hpp>

namespace kernels_softmax_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
std::vector<float> values(std::size_t n, std::size_t salt, float scale) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = scale * static_cast<float>(static_cast<int>((i * 37 + salt * 11) % 97) - 48);
  return v;
}
}  // namespace

TEST_CASE("kernels: cpu softmax_rows and its backward match the reference for every width") {
  for (std::size_t rows : {std::size_t(1), std::size_t(3), std::size_t(8)}) {
    for (std::size_t k = 1; k <= 50; ++k) {
      CAPTURE(rows);
      CAPTURE(k);
      const auto x = values(rows * k, 1, 0.2f);
      const auto dy = values(rows * k, 2, 0.05f);
      std::vector<float> y_ref(x.size()), y_cpu(x.size()), dx_ref(x.size()), dx_cpu(x.size());
      fk::softmax_rows(fc::reference, x.data(), y_ref.data(), rows, k);
      fk::softmax_rows(fc::cpu, x.data(), y_cpu.data(), rows, k);
      fk::softmax_backward_rows(fc::reference, y_ref.data(), dy.data(), dx_ref.data(), rows, k);
      fk::softmax_backward_rows(fc::cpu, y_ref.data(), dy.data(), dx_cpu.data(), rows, k);
      for (std::size_t r = 0; r < rows; ++r) {
        double s = 0;
        for (std::size_t j = 0; j < k; ++j) s += y_cpu[r * k + j];
        CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
      }
      for (std::size_t i = 0; i < x.size(); ++i) {
        CAPTURE(i);
        CHECK(std::abs(y_cpu[i] - y_ref[i]) <= 1e-6f);
        CHECK(std::abs(dx_cpu[i] - dx_ref[i]) <= 1e-6f * (1.0f + 2.4f));
      }
    }
  }
}

TEST_CASE("kernels: softmax does not overflow on large scores") {
  const float x[] = {1000.0f, 999.0f, -1000.0f, 0.0f, 1000.0f, 998.0f, 997.0f, 996.0f,
                     995.0f,  994.0f, 993.0f,   992.0f, 991.0f, 990.0f, 989.0f, 988.0f, 987.0f};
  constexpr std::size_t k = std::size(x);
  float y_ref[k], y_cpu[k];
  fk::softmax_rows(fc::reference, x, y_ref, 1, k);
  fk::softmax_rows(fc::cpu, x, y_cpu, 1, k);
  for (std::size_t j = 0; j < k; ++j) {
    CHECK(std::isfinite(y_cpu[j]));
    CHECK(std::abs(y_cpu[j] - y_ref[j]) <= 1e-6f);
  }
  CHECK(y_cpu[2] == 0.0f);
}

TEST_CASE("kernels: the cpu softmax takes double through the reference") {
  const auto xf = values(3 * 19, 3, 0.3f);
  const std::vector<double> x(xf.begin(), xf.end());
  std::vector<double> y_ref(x.size()), y_cpu(x.size());
  fk::softmax_rows(fc::reference, x.data(), y_ref.data(), 3, 19);
  fk::softmax_rows(fc::cpu, x.data(), y_cpu.data(), 3, 19);
  CHECK(y_cpu == y_ref);
}

}  // namespace kernels_softmax_test
