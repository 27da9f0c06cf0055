// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The LSTM and GRU step kernels: the vectorised cpu pass against the reference for unit counts with
// every remainder of the vector width (xsimd's exp/tanh are within a few ulp of std's: tolerance
// 1e-6 on values in [-1, 1], 1e-5 on the cell state and the gradients), on strided rows as the
// layer lays them out, and with the first step's zero state and a step without output gradient.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fitcheck/core/random.hpp>
#include <fitcheck/kernels/recurrent.hpp>
#include <vector>

namespace kernels_recurrent_test {

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
std::vector<float> values(std::size_t n, std::uint64_t seed, float scale) {
  fc::Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = scale * (2.0f * rng.uniform_float() - 1.0f);
  return v;
}

double worst(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - b[i]));
  return m;
}
}  // namespace

TEST_CASE("kernels: the cpu LSTM step matches the reference for every unit count") {
  constexpr std::size_t rows = 3, pad = 5;  // rows strided as (batch, steps, ...) lays them out
  for (std::size_t units = 1; units <= 37; ++units) {
    CAPTURE(units);
    const std::size_t ldz = 4 * units + pad, ldc = units + pad;
    for (const bool first : {true, false}) {
      CAPTURE(first);
      const auto z0 = values(rows * ldz, units, 4.0f);
      const auto c_prev = values(rows * ldc, units + 100, 2.0f);
      auto z_cpu = z0, z_ref = z0;
      std::vector<float> c_cpu(rows * ldc), c_ref(rows * ldc), h_cpu(rows * ldc), h_ref(rows * ldc);
      auto step = [&](std::vector<float>& z, std::vector<float>& c, std::vector<float>& h) {
        return fk::lstm_step<float>{.rows = rows,
                                    .units = units,
                                    .z = z.data(),
                                    .ldz = ldz,
                                    .c_prev = first ? nullptr : c_prev.data(),
                                    .c = c.data(),
                                    .ldc = ldc,
                                    .h = h.data(),
                                    .ldh = ldc};
      };
      fk::lstm_step_forward(fc::cpu, step(z_cpu, c_cpu, h_cpu));
      fk::lstm_step_forward(fc::reference, step(z_ref, c_ref, h_ref));
      CHECK(worst(z_cpu, z_ref) <= 1e-6);
      CHECK(worst(c_cpu, c_ref) <= 1e-5);
      CHECK(worst(h_cpu, h_ref) <= 1e-6);

      for (const bool output : {true, false}) {
        CAPTURE(output);
        const auto dy = values(rows * ldc, units + 200, 1.0f);
        const auto dh = values(rows * units, units + 300, 1.0f);
        const auto dc0 = values(rows * units, units + 400, 1.0f);
        std::vector<float> dz_cpu(rows * ldz), dz_ref(rows * ldz);
        auto dc_cpu = dc0, dc_ref = dc0;
        auto grad = [&](std::vector<float>& dz, std::vector<float>& dc) {
          return fk::lstm_step_grad<float>{.rows = rows,
                                           .units = units,
                                           .z = z_ref.data(),
                                           .dz = dz.data(),
                                           .ldz = ldz,
                                           .c_prev = first ? nullptr : c_prev.data(),
                                           .c = c_ref.data(),
                                           .ldc = ldc,
                                           .dy = output ? dy.data() : nullptr,
                                           .ldy = ldc,
                                           .dh = dh.data(),
                                           .dc = dc.data()};
        };
        fk::lstm_step_backward(fc::cpu, grad(dz_cpu, dc_cpu));
        fk::lstm_step_backward(fc::reference, grad(dz_ref, dc_ref));
        CHECK(worst(dz_cpu, dz_ref) <= 1e-5);
        CHECK(worst(dc_cpu, dc_ref) <= 1e-5);
        if (first)  // a zero previous state: the forget gate has nothing to scale
          for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t u = 0; u < units; ++u) CHECK(dz_cpu[r * ldz + units + u] == 0.0f);
      }
    }
  }
}

TEST_CASE("kernels: the cpu GRU step matches the reference for every unit count") {
  constexpr std::size_t rows = 3, pad = 5;
  for (std::size_t units = 1; units <= 37; ++units) {
    CAPTURE(units);
    const std::size_t ldz = 3 * units + pad, ldh = units + pad;
    for (const bool first : {true, false}) {
      CAPTURE(first);
      const auto zx0 = values(rows * ldz, units, 4.0f);
      const auto zh = values(rows * ldz, units + 50, 3.0f);
      const auto h_prev = values(rows * ldh, units + 100, 1.0f);
      auto zx_cpu = zx0, zx_ref = zx0;
      std::vector<float> h_cpu(rows * ldh), h_ref(rows * ldh);
      auto step = [&](std::vector<float>& zx, std::vector<float>& h) {
        return fk::gru_step<float>{.rows = rows,
                                   .units = units,
                                   .zx = zx.data(),
                                   .ldzx = ldz,
                                   .zh = zh.data(),
                                   .ldzh = ldz,
                                   .h_prev = first ? nullptr : h_prev.data(),
                                   .h = h.data(),
                                   .ldh = ldh};
      };
      fk::gru_step_forward(fc::cpu, step(zx_cpu, h_cpu));
      fk::gru_step_forward(fc::reference, step(zx_ref, h_ref));
      CHECK(worst(zx_cpu, zx_ref) <= 1e-6);
      CHECK(worst(h_cpu, h_ref) <= 1e-6);

      for (const bool output : {true, false}) {
        CAPTURE(output);
        const auto dy = values(rows * ldh, units + 200, 1.0f);
        const auto dh0 = values(rows * units, units + 300, 1.0f);
        std::vector<float> dzx_cpu(rows * ldz), dzx_ref(rows * ldz), dzh_cpu(rows * ldz),
            dzh_ref(rows * ldz);
        auto dh_cpu = dh0, dh_ref = dh0;
        auto grad = [&](std::vector<float>& dzx, std::vector<float>& dzh, std::vector<float>& dh) {
          return fk::gru_step_grad<float>{.rows = rows,
                                          .units = units,
                                          .z = zx_ref.data(),
                                          .dzx = dzx.data(),
                                          .ldz = ldz,
                                          .zh = zh.data(),
                                          .dzh = dzh.data(),
                                          .ldzh = ldz,
                                          .h_prev = first ? nullptr : h_prev.data(),
                                          .ldh = ldh,
                                          .dy = output ? dy.data() : nullptr,
                                          .ldy = ldh,
                                          .dh = dh.data()};
        };
        fk::gru_step_backward(fc::cpu, grad(dzx_cpu, dzh_cpu, dh_cpu));
        fk::gru_step_backward(fc::reference, grad(dzx_ref, dzh_ref, dh_ref));
        CHECK(worst(dzx_cpu, dzx_ref) <= 1e-5);
        CHECK(worst(dzh_cpu, dzh_ref) <= 1e-5);
        CHECK(worst(dh_cpu, dh_ref) <= 1e-5);
        // The update and reset gates' parts are one pre-activation: equal gradients.
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t u = 0; u < 2 * units; ++u)
            CHECK(dzx_cpu[r * ldz + u] == dzh_cpu[r * ldz + u]);
      }
    }
  }
}

}  // namespace kernels_recurrent_test
