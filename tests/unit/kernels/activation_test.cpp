// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cpu activation kernels against the reference. ReLU, identity, bias_add and column_sums do
// the same float operations in the same order on both backends, so they must agree exactly;
// sigmoid and tanh use xsimd's exp/tanh, within a few ulp of std::exp/std::tanh: tolerance 1e-6
// absolute on outputs in [-1, 1] (about 8 ulp at 1.0), and 1e-6 * (1 + |dy|) on gradients.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include <fitcheck/kernels/activation.hpp>

namespace kernels_activation_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
// Values over [-12, 12]: both sigmoid branches, tanh's saturation and exact zeros.
std::vector<float> values(std::size_t n, std::size_t salt) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = 0.25f * static_cast<float>(static_cast<int>((i * 37 + salt * 11) % 97) - 48);
  return v;
}

constexpr fk::activation all[] = {fk::activation::identity, fk::activation::relu,
                                  fk::activation::sigmoid, fk::activation::tanh};

bool exact(fk::activation a) {
  return a == fk::activation::identity || a == fk::activation::relu;
}
}  // namespace

TEST_CASE("kernels: cpu activation forward and backward match the reference for every length") {
  // 0..70 covers the tail-only case and one to four AVX-512 vectors with every remainder.
  for (fk::activation act : all) {
    for (std::size_t n = 0; n <= 70; ++n) {
      CAPTURE(static_cast<int>(act));
      CAPTURE(n);
      const auto x = values(n, 1);
      const auto dy = values(n, 2);
      std::vector<float> y_ref(n), y_cpu(n), dx_ref(n), dx_cpu(n);
      fk::activation_forward(fc::reference, act, x.data(), y_ref.data(), n);
      fk::activation_forward(fc::cpu, act, x.data(), y_cpu.data(), n);
      // Backward from the same y, so that it tests the derivative alone.
      fk::activation_backward(fc::reference, act, x.data(), y_ref.data(), dy.data(), dx_ref.data(), n);
      fk::activation_backward(fc::cpu, act, x.data(), y_ref.data(), dy.data(), dx_cpu.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        if (exact(act)) {
          CHECK(y_cpu[i] == y_ref[i]);
          CHECK(dx_cpu[i] == dx_ref[i]);
        } else {
          CHECK(std::abs(y_cpu[i] - y_ref[i]) <= 1e-6f);
          CHECK(std::abs(dx_cpu[i] - dx_ref[i]) <= 1e-6f * (1.0f + std::abs(dy[i])));
        }
      }
    }
  }
}

TEST_CASE("kernels: large activations split among threads equal one thread's, bit for bit") {
  // 2^18 values and more go to the worker threads in chunks; an odd length tests the last one.
  const std::size_t n = (std::size_t{1} << 19) + 37;
  const auto x = values(n, 3), dy = values(n, 4);
  for (fk::activation act : all) {
    CAPTURE(static_cast<int>(act));
    std::vector<float> y1(n), y2(n), dx1(n), dx2(n), dxo1(n), dxo2(n);
    fk::set_max_threads(1);
    fk::activation_forward(fc::cpu, act, x.data(), y1.data(), n);
    fk::activation_backward(fc::cpu, act, x.data(), y1.data(), dy.data(), dx1.data(), n);
    fk::activation_backward_from_output(fc::cpu, act, y1.data(), dy.data(), dxo1.data(), n);
    fk::set_max_threads(3);
    fk::activation_forward(fc::cpu, act, x.data(), y2.data(), n);
    fk::activation_backward(fc::cpu, act, x.data(), y1.data(), dy.data(), dx2.data(), n);
    fk::activation_backward_from_output(fc::cpu, act, y1.data(), dy.data(), dxo2.data(), n);
    fk::set_max_threads(0);
    CHECK(y1 == y2);
    CHECK(dx1 == dx2);
    CHECK(dxo1 == dxo2);
    // And the reference's values at both ends.
    std::vector<float> ref(n);
    fk::activation_forward(fc::reference, act, x.data(), ref.data(), n);
    CHECK(std::abs(ref[0] - y2[0]) <= 1e-6f);
    CHECK(std::abs(ref[n - 1] - y2[n - 1]) <= 1e-6f);
  }
}

TEST_CASE("kernels: the reference activations are the textbook functions") {
  const float x[] = {-3.0f, -0.5f, 0.0f, 0.5f, 3.0f, -100.0f, 100.0f};
  constexpr std::size_t n = std::size(x);
  float y[n], dx[n];
  const float ones[n] = {1, 1, 1, 1, 1, 1, 1};
  fk::activation_forward(fc::reference, fk::activation::sigmoid, x, y, n);
  for (std::size_t i = 0; i < n; ++i) CHECK(y[i] == doctest::Approx(1.0 / (1.0 + std::exp(-double(x[i])))));
  CHECK(std::isfinite(y[5]));  // no overflow in exp for very negative inputs
  fk::activation_backward(fc::reference, fk::activation::sigmoid, x, y, ones, dx, n);
  for (std::size_t i = 0; i < n; ++i) CHECK(dx[i] == doctest::Approx(y[i] * (1 - y[i])));
  fk::activation_forward(fc::reference, fk::activation::relu, x, y, n);
  fk::activation_backward(fc::reference, fk::activation::relu, x, y, ones, dx, n);
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(y[i] == (x[i] > 0 ? x[i] : 0.0f));
    CHECK(dx[i] == (x[i] > 0 ? 1.0f : 0.0f));
  }
  fk::activation_forward(fc::cpu, fk::activation::tanh, x, y, n);
  for (std::size_t i = 0; i < n; ++i) CHECK(y[i] == doctest::Approx(std::tanh(double(x[i]))));
}

TEST_CASE("kernels: cpu activation_forward may run in place") {
  for (fk::activation act : all) {
    auto x = values(53, 3);
    std::vector<float> expected(x.size());
    fk::activation_forward(fc::cpu, act, x.data(), expected.data(), x.size());
    fk::activation_forward(fc::cpu, act, x.data(), x.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(x[i] == expected[i]);
  }
}

TEST_CASE("kernels: the cpu activations take double through the reference") {
  const auto xf = values(41, 4);
  std::vector<double> x(xf.begin(), xf.end()), y_ref(x.size()), y_cpu(x.size());
  for (fk::activation act : all) {
    fk::activation_forward(fc::reference, act, x.data(), y_ref.data(), x.size());
    fk::activation_forward(fc::cpu, act, x.data(), y_cpu.data(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(y_cpu[i] == y_ref[i]);
  }
}

TEST_CASE("kernels: cpu bias_add and column_sums match the reference exactly") {
  for (std::size_t rows : {std::size_t(0), std::size_t(1), std::size_t(5), std::size_t(32)}) {
    for (std::size_t cols = 1; cols <= 40; ++cols) {
      CAPTURE(rows);
      CAPTURE(cols);
      const auto b = values(cols, 5);
      const auto dy = values(rows * cols, 6);
      auto y_ref = dy, y_cpu = dy;
      fk::bias_add(fc::reference, y_ref.data(), b.data(), rows, cols);
      fk::bias_add(fc::cpu, y_cpu.data(), b.data(), rows, cols);
      CHECK(y_cpu == y_ref);
      // Garbage in db: both must overwrite, not accumulate.
      std::vector<float> db_ref(cols, 99.0f), db_cpu(cols, -99.0f);
      fk::column_sums(fc::reference, dy.data(), db_ref.data(), rows, cols);
      fk::column_sums(fc::cpu, dy.data(), db_cpu.data(), rows, cols);
      CHECK(db_cpu == db_ref);
      for (std::size_t j = 0; j < cols; ++j) {
        double s = 0;
        for (std::size_t r = 0; r < rows; ++r) s += dy[r * cols + j];
        CHECK(db_ref[j] == doctest::Approx(s).epsilon(1e-6));
      }
    }
  }
}

}  // namespace kernels_activation_test
