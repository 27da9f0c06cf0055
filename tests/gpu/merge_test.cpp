// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Merge blocks, upsampling, transposed and depthwise convolutions on the cuda backend: every
// element-wise merge, the column kernels of a concatenation, upsampling (nearest, bilinear) and
// the depthwise convolution's three kernels against the reference; a residual network (Residual with BatchNormalization, a downsampling Add, a
// Concatenate, a gating Multiply), a U-Net level and a decoder of transposed convolutions
// trained on fc::cuda_t against the CPU backend, moving statistics and inference included.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <span>
#include <type_traits>
#include <vector>

#include "gpu_test_support.hpp"

namespace gpu_merge_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fk = fitcheck::kernels;
using fc::test::max_abs_diff;
using fc::test::random_values;
using fc::test::to_device;
using fc::test::to_host;

TEST_CASE("gpu kernels: add_values, place_columns and take_columns match the reference") {
  const std::size_t rows = 5, part = 3, width = 7, at = 2;
  const auto x = random_values<float>(rows * part, 41);
  const auto y0 = random_values<float>(rows * width, 42);
  std::vector<float> y = y0, back(rows * part);
  fk::place_columns(fc::reference, x.data(), part, y.data(), width, at, rows);
  fk::take_columns(fc::reference, y.data(), width, at, back.data(), part, rows);
  CHECK(back == x);
  auto dx = to_device(x), dy = to_device(y0);
  fc::kernels::gpu::device_buffer<float> dback(rows * part);
  fk::place_columns(fc::cuda, dx.data(), part, dy.data(), width, at, rows);
  fk::take_columns(fc::cuda, dy.data(), width, at, dback.data(), part, rows);
  CHECK(to_host(dy) == y);
  CHECK(to_host(dback) == x);
  std::vector<float> sum = y0;
  fk::add_values(fc::reference, y.data(), sum.data(), y.size());
  auto dsum = to_device(y0);
  fk::add_values(fc::cuda, dy.data(), dsum.data(), y.size());
  CHECK(to_host(dsum) == sum);
}

TEST_CASE("gpu kernels: every element-wise merge and its gradients match the reference") {
  const std::size_t n = 50;
  auto a = random_values<float>(n, 48), b = random_values<float>(n, 49),
       c = random_values<float>(n, 50);
  b[3] = a[3];  // a tie: the gradient of a maximum or minimum goes to the first input
  const auto dy = random_values<float>(n, 51);
  const auto da = to_device(a), db = to_device(b), dc = to_device(c), ddy = to_device(dy);
  const fk::merge_inputs<float, 3> host{{a.data(), b.data(), c.data()}};
  const fk::merge_inputs<float, 3> dev{{da.data(), db.data(), dc.data()}};
  for (const auto op : {fk::merge_op::add, fk::merge_op::multiply, fk::merge_op::average,
                        fk::merge_op::maximum, fk::merge_op::minimum}) {
    CAPTURE(int(op));
    std::vector<float> y(n), g(n);
    fc::kernels::gpu::device_buffer<float> dev_y(n), dev_g(n);
    fk::merge_forward(fc::reference, op, host, y.data(), n);
    fk::merge_forward(fc::cuda, op, dev, dev_y.data(), n);
    CHECK(to_host(dev_y) == y);
    for (std::size_t k = 0; k < 3; ++k) {
      fk::merge_backward(fc::reference, op, host, k, dy.data(), g.data(), n);
      fk::merge_backward(fc::cuda, op, dev, k, ddy.data(), dev_g.data(), n);
      CHECK(to_host(dev_g) == g);
    }
  }
  const fk::merge_inputs<float, 2> pair{{a.data(), b.data()}}, dev_pair{{da.data(), db.data()}};
  std::vector<float> y(n);
  fc::kernels::gpu::device_buffer<float> dev_y(n);
  fk::merge_forward(fc::reference, fk::merge_op::subtract, pair, y.data(), n);
  fk::merge_forward(fc::cuda, fk::merge_op::subtract, dev_pair, dev_y.data(), n);
  CHECK(to_host(dev_y) == y);
  CHECK(y[3] == 0.0f);
}

TEST_CASE("gpu kernels: upsampling (nearest, bilinear) and its gradient match the reference") {
  const fk::conv_geometry g{
      .batch = 3, .h = 4, .w = 5, .c = 2, .kh = 2, .kw = 3, .oh = 8, .ow = 15};
  const auto x = random_values<float>(3 * 4 * 5 * 2, 44);
  const auto dy = random_values<float>(3 * 8 * 15 * 2, 45);
  std::vector<float> y(dy.size()), dx(x.size());
  fk::upsample2d_forward(fc::reference, g, x.data(), y.data());
  fk::upsample2d_backward(fc::reference, g, dy.data(), dx.data());
  auto dev_x = to_device(x), dev_dy = to_device(dy);
  fc::kernels::gpu::device_buffer<float> dev_y(y.size()), dev_dx(dx.size());
  fk::upsample2d_forward(fc::cuda, g, dev_x.data(), dev_y.data());
  fk::upsample2d_backward(fc::cuda, g, dev_dy.data(), dev_dx.data());
  CHECK(to_host(dev_y) == y);
  CHECK(to_host(dev_dx) == dx);  // the same additions in the same order
  // Bilinear: the same blends, and the same gathers of the gradients.
  std::vector<float> by(dy.size()), bdx(x.size());
  fk::upsample2d_bilinear_forward(fc::reference, g, x.data(), by.data());
  fk::upsample2d_bilinear_backward(fc::reference, g, dy.data(), bdx.data());
  fk::upsample2d_bilinear_forward(fc::cuda, g, dev_x.data(), dev_y.data());
  fk::upsample2d_bilinear_backward(fc::cuda, g, dev_dy.data(), dev_dx.data());
  CHECK(to_host(dev_y) == by);
  CHECK(to_host(dev_dx) == bdx);
}

TEST_CASE("gpu kernels: the depthwise convolution and its gradients match the reference") {
  // Stride 2, same padding (the odd pad at the bottom and right), depth multiplier 2.
  const fk::conv_geometry g{.batch = 2, .h = 5, .w = 6, .c = 3, .kh = 3, .kw = 2, .f = 6,
                            .sh = 2, .sw = 2, .pad_top = 1, .pad_left = 0, .oh = 3, .ow = 3};
  const auto x = random_values<float>(2 * 5 * 6 * 3, 71), w = random_values<float>(3 * 2 * 6, 72),
             b = random_values<float>(6, 73), dy = random_values<float>(2 * 3 * 3 * 6, 74);
  std::vector<float> y(dy.size()), dx(x.size()), dw(w.size());
  fk::depthwise_forward(fc::reference, g, x.data(), w.data(), b.data(), y.data());
  fk::depthwise_backward_data(fc::reference, g, dy.data(), w.data(), dx.data());
  fk::depthwise_backward_filter(fc::reference, g, x.data(), dy.data(), dw.data());
  auto dev_x = to_device(x), dev_w = to_device(w), dev_b = to_device(b), dev_dy = to_device(dy);
  fc::kernels::gpu::device_buffer<float> dev_y(y.size()), dev_dx(dx.size()), dev_dw(dw.size());
  fk::depthwise_forward(fc::cuda, g, dev_x.data(), dev_w.data(), dev_b.data(), dev_y.data());
  fk::depthwise_backward_data(fc::cuda, g, dev_dy.data(), dev_w.data(), dev_dx.data());
  fk::depthwise_backward_filter(fc::cuda, g, dev_x.data(), dev_dy.data(), dev_dw.data());
  CHECK(to_host(dev_y) == y);  // the same sums in the same order
  CHECK(to_host(dev_dx) == dx);
  CHECK(to_host(dev_dw) == dw);
}

namespace {
constexpr std::size_t samples = 24;

// Trains Net on fc::cuda_t and on the CPU from the same seed, 3 epochs of batches of 7 over
// `samples` inputs uniform in [lo, hi) with 3 classes; checks that every step's losses and the
// final parameters agree to 1e-4, then hands both models and the data to `after`.
struct nothing_after {
  template <class G, class C, class D>
  void operator()(G&, C&, D&) const noexcept {}
};
template <class Net, class Optimizer, class After = nothing_after>
void train_both(const Optimizer& opt, unsigned data_seed, std::uint64_t seed, float lo, float hi,
                After after = {}) {
  using Features = typename fc::detail::features_of<typename Net::input_shape>::type;
  const auto x = random_values<float>(samples * Net::input_size, data_seed, lo, hi);
  std::vector<int> y(samples);
  for (std::size_t i = 0; i < samples; ++i)
    y[i] = int(std::size_t(std::abs(x[i * Net::input_size] * 7)) % 3);
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu(opt, fc::Seed{seed});
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> cpu(opt, fc::Seed{seed});
  auto data = fd::from_tensor_slices<Features, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                  std::span<const int>(y)) |
              fd::batch<7>();  // 3 full batches and a partial one
  double worst = 0;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data)
      worst = std::max(worst, std::abs(gpu.train_step(batch) - cpu.train_step(batch)));
  CHECK(worst <= 1e-4);
  const auto gp = gpu.parameters(), cp = cpu.parameters();
  CHECK(max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                     std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
  after(gpu, cpu, data);
}
}  // namespace

// A merge block's device workspace, in the memory plan of [E1]: its own per sample (what it
// keeps on the host per sample, less branch B's layers' own) and branch B's layers'.
template <class Block, std::size_t B>
constexpr bool workspace_adds_branch(std::size_t batch) {
  using Branch = typename Block::template branch_network_t<B>;
  return Block::device_workspace_floats(batch) ==
         batch * (Block::sample_workspace_floats - Branch::sample_workspace_floats) +
             Branch::device_workspace_floats(batch);
}

using merge_blocks_net = fc::Sequential<
    fc::Input<6, 6, 2>, fc::Conv2D<4, 3, 1, fc::padding::same>, fc::ReLU,
    fc::Residual<fc::Conv2D<4, 3, 1, fc::padding::same>, fc::BatchNormalization<>, fc::ReLU,
                 fc::Conv2D<4, 3, 1, fc::padding::same>>,
    fc::ReLU,
    fc::Add<fc::Branch<fc::Conv2D<6, 3, 2, fc::padding::same>, fc::Tanh>, fc::Conv2D<6, 1, 2>>,
    fc::Concatenate<fc::Identity, fc::Branch<fc::Conv2D<2, 1>, fc::Sigmoid>>,
    fc::Multiply<fc::Conv2D<4, 1>, fc::Branch<fc::Conv2D<4, 1>, fc::Sigmoid>>,
    fc::GlobalAveragePooling2D, fc::Dense<3>, fc::Softmax>;
// A compile-time fact, checked where g++ compiles this file (the gpu_host build): nvcc's host
// code generation cannot spell a layer type bound with its Dims (a class-type template argument)
// outside a template.
#ifndef __CUDACC__
static_assert(workspace_adds_branch<merge_blocks_net::layer_t<2>, 1>(7));
#endif

TEST_CASE("gpu model: Residual, a downsampling Add and a Concatenate train as on the CPU") {
  using Net = merge_blocks_net;
  // SGD: a bias right before BatchNormalization has a true gradient of 0 (see conv_test.cpp).
  train_both<Net>(
      fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.9f}, 43, 8, 0.0f, 4.0f,
      [](auto& gpu, auto& cpu, auto& data) {
        std::vector<double> sg(Net::state_count), sc(Net::state_count);
        gpu.network_layers().save_state(sg);
        cpu.network_layers().save_state(sc);
        CHECK(max_abs_diff(sg, sc) <= 1e-5);
        CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
      });
}

TEST_CASE("gpu model: a U-Net level (the input beside a pooled, convolved, upsampled branch)") {
  using same = fc::padding;
  using Net = fc::Sequential<
      fc::Input<8, 8, 1>, fc::Conv2D<4, 3, 1, same::same>, fc::ReLU,
      fc::Concatenate<fc::Identity, fc::Branch<fc::MaxPooling2D<2>, fc::Conv2D<6, 3, 1, same::same>,
                                               fc::ReLU, fc::UpSampling2D<2>>>,
      fc::Conv2D<2, 1>, fc::Flatten, fc::Dense<3>, fc::Softmax>;
  static_assert(std::is_same_v<Net::layer_t<2>::output_shape, fc::Shape<8, 8, 10>>);
  train_both<Net>(fc::optim::Adam{.learning_rate = 1e-2f}, 46, 9, 0.0f, 1.0f);
}

TEST_CASE("gpu model: a decoder of transposed convolutions (output padding, dilation) trains as on the CPU") {
  using same = fc::padding;
  // An output padding (the last row and column outside every window) and a dilation.
  using Net = fc::Sequential<
      fc::Input<4, 4, 2>, fc::Conv2DTranspose<4, 3, 2, same::same>, fc::ReLU,
      fc::Conv2DTranspose<3, 2, 3, same::valid, 1>, fc::Tanh,
      fc::Conv2DTranspose<3, 3, 1, same::same, fc::inferred_padding, 2>, fc::ReLU,
      fc::GlobalAveragePooling2D, fc::Dense<3>, fc::Softmax>;
  static_assert(std::is_same_v<Net::layer_t<2>::output_shape, fc::Shape<24, 24, 3>>);
  train_both<Net>(fc::optim::Adam{.learning_rate = 1e-2f}, 47, 10, -1.0f, 1.0f);
}

TEST_CASE("gpu model: depthwise and separable convolutions (MobileNet's block) train as on the CPU") {
  using same = fc::padding;
  using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::DepthwiseConv2D<3, 1, same::same, 2>, fc::ReLU6,
                             fc::Conv2D<4, 1>, fc::ReLU, fc::DepthwiseConv2D<3, 2, same::same>,
                             fc::SeparableConv2D<5, 3, 1, same::same, 2>, fc::ReLU,
                             fc::GlobalAveragePooling2D, fc::Dense<3>, fc::Softmax>;
  train_both<Net>(fc::optim::Adam{.learning_rate = 1e-2f}, 48, 11, -1.0f, 1.0f);
}

}  // namespace gpu_merge_test
