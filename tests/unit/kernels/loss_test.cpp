// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <fitcheck/kernels/loss.hpp>

namespace kernels_loss_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
// Logits from -30 to 30 (both tails of the sigmoid, and zero), labels 0/1.
std::vector<float> logits(std::size_t n) {
  std::vector<float> z(n);
  for (std::size_t i = 0; i < n; ++i)
    z[i] = 0.6f * static_cast<float>(static_cast<int>((i * 37) % 101) - 50);
  return z;
}
template <class Y>
std::vector<Y> labels(std::size_t n) {
  std::vector<Y> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<Y>((i * 7) % 3 == 0 ? 1 : 0);
  return y;
}
// The loss in double, term by term: max(z, 0) - z y + log(1 + e^-|z|).
template <class Y>
double exact(const std::vector<float>& z, const std::vector<Y>& y) {
  double s = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double v = z[i];
    s += std::max(v, 0.0) - v * double(y[i]) + std::log1p(std::exp(-std::abs(v)));
  }
  return z.empty() ? 0.0 : s / double(z.size());
}

template <class Y>
void check_against_reference() {
  // Lengths 0..70: empty, tail only, one vector and several, with every remainder up to
  // AVX-512's 16 floats.
  for (std::size_t n = 0; n <= 70; ++n) {
    CAPTURE(n);
    const auto z = logits(n);
    const auto y = labels<Y>(n);
    std::vector<float> g_cpu(n, -1.0f), g_ref(n, -2.0f);
    const float cpu = fk::loss(fc::cpu, fk::loss_kind::binary_crossentropy, true, z.data(),
                               y.data(), g_cpu.data(), n, std::size_t{1});
    const float ref = fk::loss(fc::reference, fk::loss_kind::binary_crossentropy, true, z.data(),
                               y.data(), g_ref.data(), n, std::size_t{1});
    const double want = exact(z, y);
    CHECK(std::abs(cpu - want) <= 1e-6 * (1.0 + want));
    CHECK(std::abs(ref - want) <= 1e-6 * (1.0 + want));
    // The gradient, (sigmoid(z) - y) / n, within a few float ulp of the scalar reference's.
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      CHECK(std::abs(g_cpu[i] - g_ref[i]) <= 4e-7f * (1.0f / static_cast<float>(n)));
    }
    // Without a gradient buffer the value is the same.
    CHECK(fk::loss(fc::cpu, fk::loss_kind::binary_crossentropy, true, z.data(), y.data(),
                   static_cast<float*>(nullptr), n, std::size_t{1}) == cpu);
  }
}
}  // namespace

TEST_CASE("kernels: the cpu binary cross-entropy from logits matches the reference") {
  SUBCASE("integer labels (BinaryLabel)") { check_against_reference<std::int32_t>(); }
  SUBCASE("float labels (MultiLabel)") { check_against_reference<float>(); }
}

TEST_CASE("kernels: the cpu binary cross-entropy from logits stays finite at extreme logits") {
  // e^-|z| underflows to 0 and max(z, 0) - z y is exact: no inf, no NaN, the right limits.
  const std::vector<float> z = {-1e30f, -100.0f, -0.0f, 0.0f, 100.0f, 1e30f,
                                -88.0f, 88.0f,  20.0f, -20.0f, 1e-30f, -1e-30f,
                                50.0f,  -50.0f, 3.0f,  -3.0f,  7.0f};
  const std::vector<std::int32_t> y = {0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1};
  std::vector<float> g(z.size());
  const float l = fk::loss(fc::cpu, fk::loss_kind::binary_crossentropy, true, z.data(), y.data(),
                           g.data(), z.size(), std::size_t{1});
  CHECK(std::isfinite(l));
  CHECK(l == doctest::Approx(exact(z, y)).epsilon(1e-6));
  for (std::size_t i = 0; i < z.size(); ++i) {
    CAPTURE(i);
    CHECK(std::isfinite(g[i]));
    CHECK(std::abs(g[i]) <= 1.0f / static_cast<float>(z.size()));
  }
}

TEST_CASE("kernels: the cpu loss takes the reference loop for every other loss") {
  const std::vector<float> o = {0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.5f};
  const std::vector<float> y = {0.0f, 1.0f, 0.0f, 1.0f, 0.0f, 1.0f};
  for (auto kind : {fk::loss_kind::mean_squared_error, fk::loss_kind::mean_absolute_error,
                    fk::loss_kind::huber}) {
    std::vector<float> g1(o.size()), g2(o.size());
    CHECK(fk::loss(fc::cpu, kind, false, o.data(), y.data(), g1.data(), 3, 2) ==
          fk::loss(fc::reference, kind, false, o.data(), y.data(), g2.data(), 3, 2));
    CHECK(g1 == g2);
  }
  // The probability form of the binary cross-entropy is the reference's too, bit for bit.
  std::vector<float> g1(o.size()), g2(o.size());
  CHECK(fk::loss(fc::cpu, fk::loss_kind::binary_crossentropy, false, o.data(), y.data(),
                 g1.data(), 6, 1) ==
        fk::loss(fc::reference, fk::loss_kind::binary_crossentropy, false, o.data(), y.data(),
                 g2.data(), 6, 1));
  CHECK(g1 == g2);
}

}  // namespace kernels_loss_test
