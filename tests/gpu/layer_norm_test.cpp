// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cuda backend's layer normalisation against the reference kernels, and models with
// LayerNormalization trained on fc::cuda_t against the CPU backend.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <span>
#include <vector>

#include "gpu_test_support.hpp"

namespace gpu_layer_norm_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fk = fitcheck::kernels;
using fc::test::max_abs_diff;
using fc::test::random_values;
using fc::test::relative_diff;
using fc::test::to_device;
using fc::test::to_host;

namespace {
// Forward and backward on the device against the reference; `tolerance` 0 asks for the same
// values (the same additions in the same order), else it bounds the differences.
void compare_layer_norm(std::size_t rows, std::size_t c, double tolerance) {
  const auto x = random_values<float>(rows * c, 31, 3.0f, 7.0f);  // far from zero: two passes
  const auto dy = random_values<float>(rows * c, 32);
  const auto p = random_values<float>(2 * c, 33);
  const fk::layer_norm_args a{.rows = rows, .channels = c, .epsilon = 1e-3};
  std::vector<double> s(fk::layer_norm_workspace(rows, c));
  std::vector<float> y(rows * c), dx(rows * c), dp(2 * c);
  fk::layer_norm_forward(fc::reference, a, p.data(), x.data(), y.data(), s.data());
  fk::layer_norm_backward(fc::reference, a, p.data(), x.data(), dy.data(), dx.data(), dp.data(),
                          s.data());
  auto ds = fk::allocate_state(fc::cuda, s.size());
  auto dev_x = to_device(x), dev_dy = to_device(dy), dev_p = to_device(p);
  fc::kernels::gpu::device_buffer<float> dev_y(rows * c), dev_dx(rows * c), dev_dp(2 * c);
  fk::layer_norm_forward(fc::cuda, a, dev_p.data(), dev_x.data(), dev_y.data(), ds.data());
  fk::layer_norm_backward(fc::cuda, a, dev_p.data(), dev_x.data(), dev_dy.data(), dev_dx.data(),
                          dev_dp.data(), ds.data());
  std::vector<double> back(s.size());
  ds.download(back.data());
  CHECK(max_abs_diff(to_host(dev_y), y) <= tolerance);
  CHECK(max_abs_diff(to_host(dev_dx), dx) <= tolerance);
  CHECK(relative_diff(to_host(dev_dp), dp) <= tolerance);
  CHECK(max_abs_diff(back, s) <= tolerance * 1e-4);
  // Without dx (the model's first layer) the parameter gradients are the same.
  fk::layer_norm_backward(fc::cuda, a, dev_p.data(), dev_x.data(), dev_dy.data(),
                          static_cast<float*>(nullptr), dev_dp.data(), ds.data());
  CHECK(relative_diff(to_host(dev_dp), dp) <= tolerance);
}

constexpr std::size_t samples = 24;
std::vector<int> labels_of(const std::vector<float>& x, std::size_t k) {
  std::vector<int> v(samples);
  const std::size_t width = x.size() / samples;
  for (std::size_t i = 0; i < samples; ++i) v[i] = int(std::size_t(std::abs(x[i * width] * 7)) % k);
  return v;
}
}  // namespace

TEST_CASE("gpu kernels: layer normalisation forward and backward match the reference") {
  // Up to 1024 rows the parameter gradients' sums run in row order: the reference's values.
  compare_layer_norm(37, 5, 0.0);
  compare_layer_norm(4, 300, 0.0);
  // More rows: those sums in two levels, another order; float rounding of the results.
  compare_layer_norm(3001, 3, 1e-5);
}

TEST_CASE("gpu model: LayerNormalization over units and over channels trains as on the CPU") {
  using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Conv2D<4, 3>, fc::LayerNormalization<>,
                             fc::ReLU, fc::Flatten, fc::Dense<8>, fc::LayerNormalization<>,
                             fc::Tanh, fc::Dense<3>, fc::Softmax>;
  const auto x = random_values<float>(samples * Net::input_size, 34, 0.0f, 4.0f);
  const auto y = labels_of(x, 3);
  const fc::optim::Adam adam{.learning_rate = 1e-2f};
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu(adam, fc::Seed{6});
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> cpu(adam, fc::Seed{6});
  auto data = fd::from_tensor_slices<fc::Features<6, 6, 2>, fc::ClassLabel<3>>(
                  std::span<const float>(x), std::span<const int>(y)) |
              fd::batch<7>();  // 3 full batches and a partial one
  double worst = 0;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data)
      worst = std::max(worst, std::abs(gpu.train_step(batch) - cpu.train_step(batch)));
  CHECK(worst <= 1e-4);
  const auto gp = gpu.parameters(), cp = cpu.parameters();
  CHECK(max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                     std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
}

}  // namespace gpu_layer_norm_test
