// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cpu GEMM and its fused bias/activation epilogue against the reference, for every
// transposition, sizes around the vector width (AVX-512: 16 floats, 8 doubles), and row strides
// wider than the rows. Entries lie in [-1, 1], so |C| <= k; the reference accumulates in double
// and the cpu kernel in float with FMAs, which bounds the difference by about k * k * 2^-24:
// the float tolerance is 1e-6 * (1 + k) * (1 + k / 8), the double one 1e-13 * (1 + k). After an
// activation (1-Lipschitz for all four) the same bound holds plus 1e-6 for xsimd's exp/tanh.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include <fitcheck/kernels/gemm.hpp>

namespace kernels_gemm_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
template <class T>
std::vector<T> values(std::size_t n, std::size_t salt) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<T>(static_cast<int>((i * 37 + salt * 11) % 97) - 48) / T(48);
  return v;
}

constexpr std::size_t sizes[] = {1, 7, 15, 16, 17, 33};
constexpr fk::trans no = fk::trans::no, yes = fk::trans::yes;

struct problem {
  fk::gemm_args g;
  std::size_t lda, ldb, ldc;
  std::size_t a_size, b_size, c_size;
};

// Stored shapes follow the transposition; strides are padded by 3 to catch stride mix-ups.
problem make(fk::trans ta, fk::trans tb, std::size_t m, std::size_t n, std::size_t k) {
  problem p{{ta, tb, m, n, k}, 0, 0, 0, 0, 0, 0};
  const std::size_t a_rows = ta == no ? m : k, a_cols = ta == no ? k : m;
  const std::size_t b_rows = tb == no ? k : n, b_cols = tb == no ? n : k;
  p.lda = a_cols + 3;
  p.ldb = b_cols + 3;
  p.ldc = n + 3;
  p.a_size = a_rows * p.lda;
  p.b_size = b_rows * p.ldb;
  p.c_size = m * p.ldc;
  return p;
}

template <class T>
double tolerance(std::size_t k) {
  if constexpr (std::is_same_v<T, float>)
    return 1e-6 * (1.0 + double(k)) * (1.0 + double(k) / 8.0);
  else
    return 1e-13 * (1.0 + double(k));
}

template <class T>
void check_gemm(fk::trans ta, fk::trans tb) {
  for (std::size_t m : sizes)
    for (std::size_t n : sizes)
      for (std::size_t k : sizes) {
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(k);
        const problem p = make(ta, tb, m, n, k);
        const auto a = values<T>(p.a_size, 1);
        const auto b = values<T>(p.b_size, 2);
        // beta != 0 reads C; alpha != 1 scales the product.
        auto c_ref = values<T>(p.c_size, 3), c_cpu = c_ref;
        fk::gemm(fc::reference, p.g, T(0.5), a.data(), p.lda, b.data(), p.ldb, T(-2), c_ref.data(), p.ldc);
        fk::gemm(fc::cpu, p.g, T(0.5), a.data(), p.lda, b.data(), p.ldb, T(-2), c_cpu.data(), p.ldc);
        for (std::size_t i = 0; i < c_ref.size(); ++i)
          CHECK(std::abs(double(c_cpu[i]) - double(c_ref[i])) <= tolerance<T>(k));
      }
}
}  // namespace

TEST_CASE("kernels: cpu gemm matches the reference for every transposition (float)") {
  check_gemm<float>(no, no);    // forward       Y  = X W
  check_gemm<float>(no, yes);   // input grad    dX = dY W^T
  check_gemm<float>(yes, no);   // weight grad   dW = X^T dY
  check_gemm<float>(yes, yes);  // not used by the layers, but part of the interface
}

TEST_CASE("kernels: cpu gemm matches the reference for every transposition (double)") {
  check_gemm<double>(no, no);
  check_gemm<double>(no, yes);
  check_gemm<double>(yes, no);
  check_gemm<double>(yes, yes);
}

TEST_CASE("kernels: the reference gemm is the textbook product") {
  const float a[] = {1, 2, 3, 4, 5, 6};        // 2 x 3
  const float b[] = {7, 8, 9, 10, 11, 12};     // 3 x 2
  float c[4] = {1, 1, 1, 1};
  fk::gemm(fc::reference, {no, no, 2, 2, 3}, 1.0f, a, 3, b, 2, 1.0f, c, 2);
  CHECK(c[0] == 59.0f);
  CHECK(c[1] == 65.0f);
  CHECK(c[2] == 140.0f);
  CHECK(c[3] == 155.0f);
}

TEST_CASE("kernels: cpu gemm_bias_act matches the reference, with and without bias, activation "
          "and pre-activation") {
  const fk::activation acts[] = {fk::activation::identity, fk::activation::relu,
                                 fk::activation::sigmoid, fk::activation::tanh};
  const fk::trans ts[] = {no, yes};
  for (fk::trans ta : ts)
    for (fk::trans tb : ts)
      for (fk::activation act : acts)
        for (bool with_bias : {false, true})
          for (bool with_pre : {false, true})
            for (std::size_t m : {std::size_t(1), std::size_t(5)})
              for (std::size_t n : sizes)
                for (std::size_t k : {std::size_t(1), std::size_t(17)}) {
                  CAPTURE(static_cast<int>(ta));
                  CAPTURE(static_cast<int>(tb));
                  CAPTURE(static_cast<int>(act));
                  CAPTURE(with_bias);
                  CAPTURE(with_pre);
                  CAPTURE(m);
                  CAPTURE(n);
                  CAPTURE(k);
                  const problem p = make(ta, tb, m, n, k);
                  const auto a = values<float>(p.a_size, 4);
                  const auto b = values<float>(p.b_size, 5);
                  const auto bias = values<float>(n, 6);
                  const float* bp = with_bias ? bias.data() : nullptr;
                  // Garbage in C and pre: beta is 0, both must be overwritten.
                  std::vector<float> c_ref(p.c_size, 7.0f), c_cpu(p.c_size, -7.0f);
                  std::vector<float> pre_ref(p.c_size, 7.0f), pre_cpu(p.c_size, -7.0f);
                  fk::gemm_bias_act(fc::reference, p.g, a.data(), p.lda, b.data(), p.ldb, bp, act,
                                    with_pre ? pre_ref.data() : nullptr, c_ref.data(), p.ldc);
                  fk::gemm_bias_act(fc::cpu, p.g, a.data(), p.lda, b.data(), p.ldb, bp, act,
                                    with_pre ? pre_cpu.data() : nullptr, c_cpu.data(), p.ldc);
                  const double tol = tolerance<float>(k) + 1e-6;
                  for (std::size_t i = 0; i < m; ++i)
                    for (std::size_t j = 0; j < n; ++j) {
                      const std::size_t at = i * p.ldc + j;
                      CHECK(std::abs(double(c_cpu[at]) - double(c_ref[at])) <= tol);
                      if (with_pre) {
                        CHECK(std::abs(double(pre_cpu[at]) - double(pre_ref[at])) <= tol);
                        // C is the activation of the stored pre-activation, exactly.
                        float again = 0;
                        fk::activation_forward(fc::cpu, act, &pre_cpu[at], &again, 1);
                        if (act == fk::activation::identity || act == fk::activation::relu)
                          CHECK(again == c_cpu[at]);
                      }
                    }
                  // The padding between rows is left alone.
                  for (std::size_t i = 0; i < m; ++i)
                    for (std::size_t j = n; j < p.ldc; ++j) CHECK(c_cpu[i * p.ldc + j] == -7.0f);
                }
}

TEST_CASE("kernels: gemm_bias_act in double (the gradient checks' type) matches the reference") {
  for (std::size_t n : sizes) {
    const problem p = make(no, no, 4, n, 9);
    const auto a = values<double>(p.a_size, 7);
    const auto b = values<double>(p.b_size, 8);
    const auto bias = values<double>(n, 9);
    std::vector<double> c_ref(p.c_size), c_cpu(p.c_size), pre_ref(p.c_size), pre_cpu(p.c_size);
    fk::gemm_bias_act(fc::reference, p.g, a.data(), p.lda, b.data(), p.ldb, bias.data(),
                      fk::activation::tanh, pre_ref.data(), c_ref.data(), p.ldc);
    fk::gemm_bias_act(fc::cpu, p.g, a.data(), p.lda, b.data(), p.ldb, bias.data(),
                      fk::activation::tanh, pre_cpu.data(), c_cpu.data(), p.ldc);
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        CHECK(std::abs(c_cpu[i * p.ldc + j] - c_ref[i * p.ldc + j]) <= tolerance<double>(9));
        CHECK(std::abs(pre_cpu[i * p.ldc + j] - pre_ref[i * p.ldc + j]) <= tolerance<double>(9));
      }
  }
}

}  // namespace kernels_gemm_test
