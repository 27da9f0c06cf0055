// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Gradient clipping by value and by global norm, alone and inside the Optimizer.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/optim/optimizer.hpp>

namespace optim_clipping_test {

namespace fc = fitcheck;
namespace fo = fitcheck::optim;

TEST_CASE("optim clipping: global_norm is the L2 norm of all gradients") {
  const std::vector<float> g = {3.0f, 4.0f, 0.0f, 12.0f, 0.0f};  // 9 + 16 + 144 = 169
  CHECK(fo::global_norm(g) == 13.0);
  CHECK(fo::global_norm(std::vector<float>{}) == 0.0);
  CHECK(std::isinf(fo::global_norm(std::vector<float>{1.0f, std::numeric_limits<float>::infinity()})));
}

TEST_CASE("optim clipping: by global norm, the clipped norm equals the limit") {
  std::vector<float> g(1001);
  fc::Rng rng(3);
  for (float& x : g) x = 4.0f * rng.uniform_float() - 2.0f;
  const double before = fo::global_norm(g);
  REQUIRE(before > 10.0);
  const std::vector<float> original = g;
  fo::clip_by_global_norm(g, 1.5, before);
  CHECK(fo::global_norm(g) == doctest::Approx(1.5).epsilon(1e-6));
  // Every gradient scaled by the same factor: directions are kept.
  for (std::size_t i = 0; i < g.size(); i += 97)
    CHECK(double(g[i]) == doctest::Approx(double(original[i]) * 1.5 / before).epsilon(1e-6));

  // Below the limit: untouched.
  std::vector<float> small = {0.3f, -0.4f};
  fo::clip_by_global_norm(small, 1.0, fo::global_norm(small));
  CHECK(small == std::vector<float>{0.3f, -0.4f});
}

TEST_CASE("optim clipping: by value, each gradient is clamped") {
  std::vector<float> g = {3.0f, -4.0f, 0.2f, -0.5f, 0.5f};
  fo::clip_by_value(g, 0.5f);
  CHECK(g == std::vector<float>{0.5f, -0.5f, 0.2f, -0.5f, 0.5f});
}

TEST_CASE("optim clipping: the Optimizer clips before the update and reports the norm") {
  SUBCASE("global_clipnorm") {
    fo::Optimizer opt(fo::SGD{.learning_rate = 1.0f, .global_clipnorm = 1.0f});
    fo::host_state opt_state(opt, 2);
    std::vector<float> p = {0.0f, 0.0f};
    std::vector<float> g = {3.0f, 4.0f};
    opt.update(opt_state, p, g);
    CHECK(opt.last_gradient_norm() == 5.0);  // before clipping
    CHECK(p[0] == doctest::Approx(-0.6).epsilon(1e-6));
    CHECK(p[1] == doctest::Approx(-0.8).epsilon(1e-6));
    CHECK(fo::global_norm(g) == doctest::Approx(1.0).epsilon(1e-6));  // clipped in place
  }
  SUBCASE("clipvalue") {
    fo::Optimizer opt(fo::SGD{.learning_rate = 1.0f, .clipvalue = 0.5f});
    fo::host_state opt_state(opt, 3);
    std::vector<float> p = {0.0f, 0.0f, 0.0f};
    std::vector<float> g = {3.0f, -4.0f, 0.25f};
    opt.update(opt_state, p, g);
    CHECK(opt.last_gradient_norm() == doctest::Approx(std::sqrt(25.0625)).epsilon(1e-9));
    CHECK(p == std::vector<float>{-0.5f, 0.5f, -0.25f});
  }
  SUBCASE("no clipping: gradients untouched, norm still measured") {
    fo::Optimizer opt(fo::Adam{});
    fo::host_state opt_state(opt, 2);
    CHECK(opt.last_gradient_norm() == 0.0);
    std::vector<float> p = {1.0f, 1.0f};
    std::vector<float> g = {6.0f, 8.0f};
    opt.update(opt_state, p, g);
    CHECK(opt.last_gradient_norm() == 10.0);
    CHECK(g == std::vector<float>{6.0f, 8.0f});
  }
  SUBCASE("a non-finite gradient is not hidden by the norm clipping") {
    fo::Optimizer opt(fo::SGD{.learning_rate = 1.0f, .global_clipnorm = 1.0f});
    fo::host_state opt_state(opt, 2);
    std::vector<float> p = {0.0f, 0.0f};
    std::vector<float> g = {std::numeric_limits<float>::quiet_NaN(), 1.0f};
    opt.update(opt_state, p, g);
    CHECK(std::isnan(opt.last_gradient_norm()));
    CHECK(g[1] == 1.0f);
  }
}

}  // namespace optim_clipping_test
