// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// GCC 12 at -O3 -march=native (AVX-512) warns that _mm256_undefined_pd's self-initialised
// variable is uninitialised where xsimd reduces a double batch in the gemm dot kernel: a false
// positive inside the intrinsic headers, reached only by this test's double gradient check.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <doctest/doctest.h>

#include <cmath>
#include <type_traits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/sequential.hpp>

#include "gradient_check.hpp"

namespace nn_dense_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

struct broken_dense : nn::Dense<2>::bind<dims<3>> {
  template <class T>
  void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp,
                std::size_t batch) const noexcept {
    nn::Dense<2>::bind<dims<3>>::backward(p, x, y, dy, dx, dp, batch);
    dp[bias_offset] = T(0);
  }
};
}  // namespace

TEST_CASE("dense: shapes and parameter layout follow Keras (kernel in x out, then bias)") {
  using B = nn::Dense<3>::bind<dims<5>>;
  static_assert(std::is_same_v<B::input_shape, fc::Shape<5>>);
  static_assert(std::is_same_v<B::output_shape, fc::Shape<3>>);
  static_assert(B::param_count == 5 * 3 + 3 && B::bias_offset == 15);
  static_assert(nn::bound_layer<B> && nn::layer_spec<nn::Dense<3>>);
  // A pinned width that agrees with inference binds like the inferred one.
  static_assert(std::is_same_v<nn::Dense<3, 5>::bind<dims<5>>::output_shape, fc::Shape<3>>);
  using Net = nn::Sequential<nn::Input<10>, nn::Dense<4, 10>, nn::Dense<2>>;
  static_assert(std::is_same_v<Net::output_shape, fc::Shape<2>>);
  static_assert(Net::param_count == (10 * 4 + 4) + (4 * 2 + 2));
  CHECK(std::string(B::name) == "Dense");
}

TEST_CASE("dense: forward is x W + b on every row of the batch") {
  nn::Dense<3>::bind<dims<2>> layer;
  const std::vector<float> p{1, 2, 3, 4, 5, 6, 0.5f, -1, 0};
  const auto y = fc::test::forward_values(layer, {1, -1, 2, 0.5f}, 2, nn::mode::inference, p);
  const std::vector<float> want{-2.5f, -4, -3, 4.5f, 5.5f, 9};
  REQUIRE(y.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(y[i] == doctest::Approx(want[i]));
}

TEST_CASE("dense: the gradients match central differences in double") {
  nn::Dense<5>::bind<dims<4>> layer;
  using B = decltype(layer);
  const auto r = fc::test::check_gradients(layer, fc::test::random_values(B::param_count, 1),
                                           fc::test::random_values(3 * 4, 2), 3);
  CHECK(r.dx_error <= 1e-6);
  CHECK(r.dparam_error <= 1e-6);
  CHECK(r.null_dx_same_dparams);
}

TEST_CASE("dense: the gradient check catches a wrong gradient") {
  // A backward that forgets the bias: the check must fail on it, or it proves nothing.
  broken_dense layer;
  const auto r = fc::test::check_gradients(layer, fc::test::random_values(8, 3),
                                           fc::test::random_values(6, 4), 2);
  CHECK(r.dx_error <= 1e-6);
  CHECK(r.dparam_error > 1e-3);
  CHECK(r.dparam_worst == 6);
}

TEST_CASE("dense: initialisers draw within their Keras limits and zero the bias") {
  nn::Dense<20, nn::inferred, nn::initializer::glorot_uniform>::bind<dims<30>> glorot;
  nn::Dense<20, nn::inferred, nn::initializer::he_uniform>::bind<dims<30>> he;
  nn::Dense<20, nn::inferred, nn::initializer::zeros>::bind<dims<30>> zeros;
  std::vector<float> p(30 * 20 + 20, 99.0f);
  fc::Rng rng(5);

  glorot.init(p, rng);
  const double g = std::sqrt(6.0 / 50.0);
  float widest = 0;
  for (std::size_t i = 0; i < 600; ++i) widest = std::max(widest, std::abs(p[i]));
  CHECK(widest <= g);
  CHECK(widest > 0.9 * g);  // 600 draws reach the edge of the range
  for (std::size_t i = 600; i < p.size(); ++i) CHECK(p[i] == 0.0f);

  he.init(p, rng);
  widest = 0;
  for (std::size_t i = 0; i < 600; ++i) widest = std::max(widest, std::abs(p[i]));
  CHECK(widest <= std::sqrt(6.0 / 30.0));
  CHECK(widest > g);  // he's range is wider than glorot's for these widths

  zeros.init(p, rng);
  for (float v : p) CHECK(v == 0.0f);
}

}  // namespace nn_dense_test
