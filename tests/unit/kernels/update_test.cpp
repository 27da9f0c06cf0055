// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/update.hpp>

namespace kernels_update_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

TEST_CASE("kernels: the vectorised Adam update matches the reference, tail included, and reports "
          "the sum of squared gradients") {
  for (std::size_t n : {1, 15, 16, 17, 100}) {
    CAPTURE(n);
    std::vector<float> p(n), g(n), m(n), v(n);
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = 0.1f * float(i % 7) - 0.3f;
      g[i] = 0.05f * float(i % 5) - 0.1f;
      m[i] = 0.01f * float(i % 3);
      v[i] = 0.001f * float(i % 4);
    }
    auto p2 = p, m2 = m, v2 = v;
    const fk::adam_coefficients c{0.9f, 0.999f, 1e-8f, 0.01f, 0.05f, 0.999f};
    double s_ref = 0;
    fk::adam_update(fc::reference, p.data(), g.data(), m.data(), v.data(), n, c, &s_ref);
    double s_cpu = 0;
    fk::adam_update(fc::cpu, p2.data(), g.data(), m2.data(), v2.data(), n, c, &s_cpu);
    double squares = 0;
    for (float x : g) squares += double(x) * double(x);
    CHECK(std::abs(s_ref - squares) <= 1e-6 * (1 + squares));
    CHECK(std::abs(s_cpu - squares) <= 1e-6 * (1 + squares));
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(std::abs(p2[i] - p[i]) <= 1e-6f * (1 + std::abs(p[i])));
      CHECK(std::abs(m2[i] - m[i]) <= 1e-7f);
      CHECK(std::abs(v2[i] - v[i]) <= 1e-8f);
    }
    // The first step from zero moments moves every parameter against its gradient.
    std::vector<float> q(n, 1.0f), m0(n, 0.0f), v0(n, 0.0f);
    const fk::adam_coefficients first{0.9f, 0.999f, 1e-8f, 0.01f / 0.1f, 1.0f / std::sqrt(0.001f), 1.0f};
    (void)fk::adam_update(fc::cpu, q.data(), g.data(), m0.data(), v0.data(), n, first);
    for (std::size_t i = 0; i < n; ++i) {
      if (g[i] > 0) CHECK(q[i] < 1.0f);
      if (g[i] < 0) CHECK(q[i] > 1.0f);
      if (g[i] == 0) CHECK(q[i] == 1.0f);
    }
  }
}

TEST_CASE("kernels: a large Adam update is split in chunks with the same result on any thread "
          "count") {
  constexpr std::size_t n = 400'003;  // 13 chunks, the last partial; large enough to split
  std::vector<float> p(n), g(n), m(n, 0.01f), v(n, 0.002f);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = 0.001f * float(i % 1000) - 0.5f;
    g[i] = 0.002f * float(i % 77) - 0.07f;
  }
  const fk::adam_coefficients c{0.9f, 0.999f, 1e-8f, 0.01f, 0.05f, 1.0f};
  auto run = [&](unsigned threads) {
    fk::set_max_threads(threads);
    auto q = p, mq = m, vq = v;
    double s = 0;
    fk::adam_update(fc::cpu, q.data(), g.data(), mq.data(), vq.data(), n, c, &s);
    return std::pair{q, s};
  };
  const unsigned before = fk::max_threads();
  const auto [one, s1] = run(1);
  const auto [two, s2] = run(2);
  fk::set_max_threads(before);
  CHECK(one == two);
  CHECK(s1 == s2);
  auto ref = p, mr = m, vr = v;
  double sr = 0;
    fk::adam_update(fc::reference, ref.data(), g.data(), mr.data(), vr.data(), n, c, &sr);
  CHECK(std::abs(s1 - sr) <= 1e-4 * sr);
  for (std::size_t i = 0; i < n; i += 997) CHECK(std::abs(one[i] - ref[i]) <= 1e-6f);
}

}  // namespace kernels_update_test
