// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cuda backend's convolution, pooling, dropout and elementwise-operation kernels against the
// reference kernels, and convolutional models trained on fc::cuda_t against the CPU backend.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gpu_test_support.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fk = fitcheck::kernels;
namespace nn = fitcheck::nn;
using fc::test::max_abs_diff;
using fc::test::random_values;
using fc::test::relative_diff;
using fc::test::to_device;
using fc::test::to_host;
using nn::padding;
using nn::Window;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

fk::conv_geometry geometry(fc::Dims in, std::size_t batch, std::size_t filters, Window kernel,
                           Window strides, Window dilation, padding pad) {
  fk::conv_geometry g = nn::detail::window_geometry(in, kernel, strides, dilation, pad);
  g.f = filters;
  g.batch = batch;
  return g;
}

// The largest difference relative to the largest reference value: sums over many products
// (dW over every output pixel of the batch) grow, and so does their rounding.
// The three products of a convolution on the device against the direct reference; `act` is
// fused into the forward, and the backward of a ReLU that produced x into the input gradient.
void compare_conv(const fk::conv_geometry& g, fk::activation act) {
  const std::size_t nx = g.batch * g.h * g.w * g.c, ny = g.rows() * g.f;
  const auto x = random_values<float>(nx, 1), w = random_values<float>(g.depth() * g.f, 2),
             b = random_values<float>(g.f, 3), dy = random_values<float>(ny, 4);
  auto dx_ = to_device(x), dw_ = to_device(w), db_ = to_device(b), ddy = to_device(dy);

  std::vector<float> y(ny);
  fk::conv2d_forward(fc::reference, g, x.data(), w.data(), b.data(), y.data(), act);
  fc::kernels::gpu::device_buffer<float> dev_y(ny);
  fk::conv2d_forward(fc::cuda, g, dx_.data(), dw_.data(), db_.data(), dev_y.data(), act);
  CHECK(relative_diff(to_host(dev_y), y) <= 5e-5);

  std::vector<float> gw(w.size()), gb(g.f);
  fk::conv2d_backward_filter(fc::reference, g, x.data(), dy.data(), gw.data(), gb.data());
  fc::kernels::gpu::device_buffer<float> dev_gw(w.size()), dev_gb(g.f);
  dev_gw.fill(7.0f);  // overwritten, not added to
  fk::conv2d_backward_filter(fc::cuda, g, dx_.data(), ddy.data(), dev_gw.data(), dev_gb.data());
  CHECK(relative_diff(to_host(dev_gw), gw) <= 5e-5);
  CHECK(relative_diff(to_host(dev_gb), gb) <= 5e-5);

  // x as the output of a ReLU: the fused derivative zeroes the gradient where x is 0.
  std::vector<float> xr = x;
  for (float& v : xr) v = std::max(v, 0.0f);
  auto dxr = to_device(xr);
  std::vector<float> gx(nx);
  fk::conv2d_backward_data(fc::reference, g, dy.data(), w.data(), gx.data(), fk::activation::relu,
                           xr.data());
  fc::kernels::gpu::device_buffer<float> dev_gx(nx);
  dev_gx.fill(7.0f);
  fk::conv2d_backward_data(fc::cuda, g, ddy.data(), dw_.data(), dev_gx.data(),
                           fk::activation::relu, dxr.data());
  CHECK(relative_diff(to_host(dev_gx), gx) <= 5e-5);
}

void compare_pool(const fk::conv_geometry& g, fk::pool kind, bool ties) {
  const std::size_t nx = g.batch * g.h * g.w * g.c, ny = g.rows() * g.c;
  auto x = random_values<float>(nx, 5);
  // Few distinct values: windows with several equal maxima, whose gradient goes to the first.
  if (ties)
    for (float& v : x) v = std::round(v);
  const auto dy = random_values<float>(ny, 6);
  std::vector<float> y(ny), gx(nx);
  fk::pool2d_forward(fc::reference, kind, g, x.data(), y.data());
  fk::pool2d_backward(fc::reference, kind, g, x.data(), y.data(), dy.data(), gx.data());
  auto dev_x = to_device(x), dev_dy = to_device(dy);
  fc::kernels::gpu::device_buffer<float> dev_y(ny), dev_gx(nx);
  dev_gx.fill(7.0f);
  fk::pool2d_forward(fc::cuda, kind, g, dev_x.data(), dev_y.data());
  fk::pool2d_backward(fc::cuda, kind, g, dev_x.data(), dev_y.data(), dev_dy.data(), dev_gx.data());
  // The same additions in the same order as the reference: the same values.
  CHECK(max_abs_diff(to_host(dev_y), y) == 0.0);
  CHECK(max_abs_diff(to_host(dev_gx), gx) == 0.0);
}
}  // namespace

TEST_CASE("gpu conv: the three products of a convolution match the reference in every geometry") {
  struct shape {
    fc::Dims in;
    std::size_t f;
    Window kernel, strides, dilation;
    padding pad;
  };
  const shape shapes[] = {
      {dims<9, 8, 3>, 5, 3, 1, 1, padding::valid},  {dims<9, 8, 3>, 5, 3, 1, 1, padding::same},
      {dims<9, 8, 3>, 17, 3, 2, 1, padding::same},  {dims<10, 9, 2>, 4, 3, 1, 2, padding::valid},
      {dims<10, 9, 2>, 4, 3, 2, 2, padding::same},
      {dims<8, 8, 4>, 6, Window{2, 3}, Window{1, 2}, 1, padding::same},
      {dims<6, 6, 8>, 16, 1, 1, 1, padding::valid},  // pointwise: the GEMM on the input itself
      {dims<6, 6, 8>, 16, 1, 2, 1, padding::valid},  // 1 x 1 with stride: lowered
      {dims<1, 12, 5>, 7, Window{1, 3}, Window{1, 2}, 1, padding::same},  // Conv1D's shape
  };
  for (const auto& s : shapes) {
    CAPTURE(s.f);
    CAPTURE(s.kernel.rows);
    CAPTURE(s.strides.rows);
    CAPTURE(s.dilation.rows);
    compare_conv(geometry(s.in, 3, s.f, s.kernel, s.strides, s.dilation, s.pad),
                 fk::activation::relu);
  }
}

TEST_CASE("gpu conv: a batch larger than one lowering group is lowered and multiplied in groups") {
  // 64 x 64 x 16 images under a 3 x 3 window: 589,824 lowered values per image, so a lowering
  // group holds 28 images and a batch of 30 takes two, the second accumulating into dW.
  const fk::conv_geometry g = geometry(dims<64, 64, 16>, 30, 3, 3, 1, 1, padding::same);
  REQUIRE(fk::device_conv_group_images(g) == 28);
  compare_conv(g, fk::activation::tanh);
}

TEST_CASE("gpu conv: max and average pooling match the reference, ties and padding included") {
  for (const auto kind : {fk::pool::max, fk::pool::average}) {
    CAPTURE(int(kind));
    compare_pool(geometry(dims<8, 8, 3>, 2, 0, 2, 2, 1, padding::valid), kind, true);  // tiles
    compare_pool(geometry(dims<7, 9, 3>, 2, 0, 3, 2, 1, padding::same), kind, true);  // overlaps
    compare_pool(geometry(dims<7, 9, 3>, 2, 0, 3, 1, 1, padding::valid), kind, false);
    compare_pool(geometry(dims<5, 6, 4>, 3, 0, Window{5, 6}, 1, 1, padding::valid), kind,
                 false);  // global pooling: one window over the image
  }
}

TEST_CASE("gpu kernels: dropout keeps each unit with the rate's probability and its mask twice") {
  constexpr std::size_t n = 20000;
  const auto x = random_values<float>(n, 8);
  auto dev_x = to_device(x);
  fc::kernels::gpu::device_buffer<float> y(n), dx(n);
  fk::dropout_forward(fc::cuda, 12345, 1, 4, dev_x.data(), y.data(), n);
  fk::dropout_backward(fc::cuda, 12345, 1, 4, dev_x.data(), dx.data(), n);
  std::vector<float> ref(n);
  fk::dropout_forward(fc::reference, 12345, 1, 4, x.data(), ref.data(), n);
  const auto hy = to_host(y), hdx = to_host(dx);
  CHECK(max_abs_diff(hy, ref) == 0.0);
  CHECK(max_abs_diff(hdx, ref) == 0.0);  // backward finds the forward's mask from the seed
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (hy[i] != 0.0f) {
      ++kept;
      CHECK(hy[i] == doctest::Approx(x[i] * 4.0f / 3.0f));
    }
  }
  // Binomial(20000, 3/4): standard deviation 61; 5 of them either side.
  CHECK(kept > 15000 - 310);
  CHECK(kept < 15000 + 310);
  // Another seed, another mask.
  fk::dropout_forward(fc::reference, 12346, 1, 4, x.data(), ref.data(), n);
  CHECK(max_abs_diff(hy, ref) > 0.0);
}

namespace {
template <class Op>
void check_elementwise(Op op) {
  constexpr std::size_t n = 301;
  const auto x = random_values<float>(n, 9, -8.0f, 8.0f), dy = random_values<float>(n, 10);
  std::vector<float> y(n), dx(n);
  fk::map_forward(fc::reference, op, x.data(), y.data(), n);
  fk::map_backward(fc::reference, op, x.data(), y.data(), dy.data(), dx.data(), n);
  auto dev_x = to_device(x), dev_dy = to_device(dy);
  fc::kernels::gpu::device_buffer<float> dev_y(n), dev_dx(n);
  fk::map_forward(fc::cuda, op, dev_x.data(), dev_y.data(), n);
  fk::map_backward(fc::cuda, op, dev_x.data(), dev_y.data(), dev_dy.data(), dev_dx.data(), n);
  CAPTURE(Op::name);
  CHECK(max_abs_diff(to_host(dev_y), y) == 0.0);
  CHECK(max_abs_diff(to_host(dev_dx), dx) == 0.0);
}
}  // namespace

TEST_CASE("gpu kernels: elementwise operations (GELU, SiLU, Mish, ...) and derivatives match") {
  check_elementwise(nn::detail::gelu_op{});
  check_elementwise(nn::detail::silu_op{});
  check_elementwise(nn::detail::softplus_op{});
  check_elementwise(nn::detail::mish_op{});
  check_elementwise(nn::detail::selu_op{});
  check_elementwise(nn::detail::hard_silu_op{});
}

namespace {
// Trains Net on both backends from the same seed; losses, parameters and gradients agree.
template <class Net, class Loss, class Features, class Label, class Y>
void train_both(const fc::optim::Optimizer& opt, const std::vector<float>& x,
                const std::vector<Y>& y) {
  fc::Model<Net, Loss, fc::cuda_t> gpu(opt, fc::Seed{3});
  fc::Model<Net, Loss> cpu(opt, fc::Seed{3});
  auto data = fd::from_tensor_slices<Features, Label>(
                  std::span<const float>(x), std::span<const Y>(y)) |
              fd::batch<7>();  // 24 samples: 3 full batches and a partial one
  double worst = 0;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data) {
      const double a = gpu.train_step(batch);
      const double b = cpu.train_step(batch);
      CHECK(std::isfinite(a));
      worst = std::max(worst, std::abs(a - b));
    }
  CHECK(worst <= 1e-4);
  const auto gp = gpu.parameters(), cp = cpu.parameters();
  CHECK(max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                     std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
  const auto gg = gpu.gradients(), cg = cpu.gradients();
  CHECK(max_abs_diff(std::vector<float>(gg.begin(), gg.end()),
                     std::vector<float>(cg.begin(), cg.end())) <= 1e-4);
  // Inference too: evaluate's loss, predict's outputs.
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
  const auto pg = gpu.predict(data), pc = cpu.predict(data);
  REQUIRE(pg.size() == pc.size());
  double worst_output = 0;
  for (std::size_t i = 0; i < pg.size(); ++i)
    worst_output = std::max(worst_output, double(std::abs(pg.data()[i] - pc.data()[i])));
  CHECK(worst_output <= 1e-4);
}

constexpr std::size_t samples = 24;
std::vector<int> labels_of(const std::vector<float>& x, std::size_t k) {
  std::vector<int> v(samples);
  const std::size_t width = x.size() / samples;
  for (std::size_t i = 0; i < samples; ++i)
    v[i] = int(std::size_t(std::abs(x[i * width] * 1000.0f)) % k);
  return v;
}
}  // namespace

TEST_CASE("gpu model: a CNN (Conv2D, fused ReLU, max pooling, Flatten) trains as on the CPU") {
  using Net = fc::Sequential<fc::Input<10, 10, 2>, fc::Conv2D<4, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                             fc::Conv2D<6, 3, 1, padding::same>, fc::ReLU, fc::Flatten,
                             fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  // [E1] counts the convolutions' device lowering blocks: 8 x 8 pixels of 3 x 3 x 2 values and
  // 4 x 4 of 3 x 3 x 4 per image.
  CHECK(Net::device_workspace_floats(64) == 64 * (8 * 8 * 18 + 4 * 4 * 36));
  const auto x = random_values<float>(samples * Net::input_size, 11);
  train_both<Net, fc::loss::SparseCategoricalCrossentropy, fc::Features<10, 10, 2>,
             fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, x, labels_of(x, 3));
}

TEST_CASE("gpu model: strides, dilation, average and global pooling, Rescaling, LeakyReLU") {
  using Net =
      fc::Sequential<fc::Input<9, 9, 2>, fc::Rescaling<std::ratio<1, 2>>,
                     fc::Conv2D<3, 3, 1, padding::same, 2>, fc::LeakyReLU<>,
                     fc::AveragePooling2D<3, 2, padding::same>, fc::Conv2D<4, 1>, fc::Tanh,
                     fc::Conv2D<5, 2, 2>, fc::GlobalMaxPooling2D, fc::Dense<1>, fc::Sigmoid>;
  const auto x = random_values<float>(samples * Net::input_size, 12);
  std::vector<int> y(samples);
  for (std::size_t i = 0; i < samples; ++i) y[i] = x[i * Net::input_size + 1] > 0.0f ? 1 : 0;
  train_both<Net, fc::loss::BinaryCrossentropy, fc::Features<9, 9, 2>, fc::BinaryLabel>(
      fc::optim::SGD{.learning_rate = 0.1f, .momentum = 0.9f}, x, y);
}

TEST_CASE("gpu model: Conv1D, ELU, GELU, 1-D pooling and Reshape train as on the CPU") {
  using Net = fc::Sequential<fc::Input<24>, fc::Reshape<12, 2>, fc::Conv1D<4, 3, 1, padding::same>,
                             fc::ELU<>, fc::MaxPooling1D<2>, fc::Conv1D<5, 2, 2>, fc::GELU,
                             fc::AveragePooling1D<2, 1>, fc::GlobalAveragePooling1D, fc::Dense<2>>;
  const auto x = random_values<float>(samples * Net::input_size, 13);
  const auto t = random_values<float>(samples * 2, 14);
  train_both<Net, fc::loss::MeanSquaredError, fc::Features<24>, fc::RegressionTarget<2>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f}, x, t);
}

TEST_CASE("gpu model: Dropout masks on the device are consistent between forward and backward") {
  using Layer = fc::Dropout<std::ratio<1, 2>>::bind<dims<4000>>;
  Layer layer;
  fc::Rng rng(5);
  layer.init({}, rng);
  const auto x = random_values<float>(4000, 15, 0.5f, 2.0f);  // no zero inputs
  const std::vector<float> ones(4000, 1.0f);
  auto dev_x = to_device(x), dev_ones = to_device(ones);
  fc::kernels::gpu::device_buffer<float> y(4000), dx(4000), y2(4000);
  layer.forward(static_cast<const float*>(nullptr), dev_x.data(), y.data(), 1, nn::mode::training,
                fc::cuda);
  layer.backward(static_cast<const float*>(nullptr), dev_x.data(), y.data(), dev_ones.data(),
                 dx.data(), static_cast<float*>(nullptr), 1, fc::cuda);
  const auto hy = to_host(y), hdx = to_host(dx);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < 4000; ++i) {
    CAPTURE(i);
    if (hy[i] == 0.0f) {
      CHECK(hdx[i] == 0.0f);
    } else {
      ++kept;
      CHECK(hy[i] == doctest::Approx(2.0f * x[i]));
      CHECK(hdx[i] == 2.0f);
    }
  }
  CHECK(kept > 2000 - 160);  // Binomial(4000, 1/2): standard deviation 32
  CHECK(kept < 2000 + 160);
  // The next step draws another mask; inference is the identity.
  layer.forward(static_cast<const float*>(nullptr), dev_x.data(), y2.data(), 1, nn::mode::training,
                fc::cuda);
  CHECK(max_abs_diff(to_host(y2), hy) > 0.0);
  layer.forward(static_cast<const float*>(nullptr), dev_x.data(), y2.data(), 1,
                nn::mode::inference, fc::cuda);
  CHECK(max_abs_diff(to_host(y2), x) == 0.0);
}

TEST_CASE("gpu model: the Fashion-MNIST CNN with Dropout trains on fc::cuda_t") {
  using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<8, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                             fc::Conv2D<16, 3>, fc::ReLU, fc::MaxPooling2D<2>, fc::Flatten,
                             fc::Dense<32>, fc::ReLU, fc::Dropout<std::ratio<1, 2>>, fc::Dense<10>,
                             fc::Softmax>;
  // Ten classes, each image the class's template plus noise: learnable in a few epochs.
  constexpr std::size_t n = 200;
  const auto templates = random_values<float>(10 * 784, 16, 0.0f, 1.0f);
  const auto noise = random_values<float>(n * 784, 17, -0.3f, 0.3f);
  std::vector<float> x(n * 784);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    y[i] = int(i % 10);
    for (std::size_t p = 0; p < 784; ++p)
      x[i * 784 + p] = templates[std::size_t(y[i]) * 784 + p] + noise[i * 784 + p];
  }
  auto data = fd::from_tensor_slices<fc::Features<28, 28, 1>, fc::ClassLabel<10>>(
                  std::span<const float>(x), std::span<const int>(y)) |
              fd::batch<32>();
  // Dropout's masks differ between the backends, so the runs differ; both must learn.
  const auto train = [&]<class... Backend>(Backend...) {
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>,
              Backend...>
        model(fc::optim::Adam{.learning_rate = 3e-3f}, fc::Seed{1});
    const double before = model.evaluate(data).at("loss");
    model.fit(data, fc::Epochs{6}, fc::Verbose{0});
    const auto after = model.evaluate(data);
    MESSAGE("loss " << before << " -> " << after.at("loss") << ", accuracy "
                    << after.at("accuracy"));
    CHECK(after.at("loss") < 0.7 * before);
    CHECK(after.at("accuracy") >= 0.9);
  };
  train(fc::cuda);
  train();
}

namespace {
// Batch normalisation's forward and backward on the device against the reference, from the same
// state; `tolerance` 0 asks for the same values (the same additions in the same order), or
// bounds the differences of the outputs and gradients (and, relative, of the parameter gradients).
void compare_batch_norm(std::size_t rows, std::size_t c, bool training, double tolerance) {
  const auto x = random_values<float>(rows * c, 18, 3.0f, 7.0f);  // far from zero: two passes
  const auto dy = random_values<float>(rows * c, 19);
  const auto p = random_values<float>(2 * c, 20);
  const fk::batch_norm_args a{.rows = rows, .channels = c, .momentum = 0.9, .epsilon = 1e-3,
                              .training = training};
  std::vector<double> s(fk::bn_slices * c, 0.25);
  std::vector<float> y(rows * c), dx(rows * c), dp(2 * c);
  auto ds = fk::allocate_state(fc::cuda, s.size());
  ds.upload(s.data());
  fk::batch_norm_forward(fc::reference, a, p.data(), x.data(), y.data(), s.data());
  fk::batch_norm_backward(fc::reference, a, p.data(), x.data(), dy.data(), dx.data(), dp.data(),
                          s.data());
  auto dev_x = to_device(x), dev_dy = to_device(dy), dev_p = to_device(p);
  fc::kernels::gpu::device_buffer<float> dev_y(rows * c), dev_dx(rows * c), dev_dp(2 * c);
  fk::batch_norm_forward(fc::cuda, a, dev_p.data(), dev_x.data(), dev_y.data(), ds.data());
  fk::batch_norm_backward(fc::cuda, a, dev_p.data(), dev_x.data(), dev_dy.data(), dev_dx.data(),
                          dev_dp.data(), ds.data());
  std::vector<double> back(s.size());
  ds.download(back.data());
  CHECK(max_abs_diff(to_host(dev_y), y) <= tolerance);
  CHECK(max_abs_diff(to_host(dev_dx), dx) <= tolerance);
  CHECK(relative_diff(to_host(dev_dp), dp) <= tolerance);
  CHECK(max_abs_diff(back, s) <= tolerance * 1e-4);
}
}  // namespace

TEST_CASE("gpu kernels: batch normalisation forward and backward match the reference") {
  // Up to 1024 rows a channel's sums run in row order: the reference's values, bit for bit.
  for (const bool training : {true, false}) {
    CAPTURE(training);
    compare_batch_norm(37, 5, training, 0.0);
  }
  // More rows: the sums in two levels, another order; float rounding of the results.
  compare_batch_norm(3001, 3, true, 1e-5);
}

TEST_CASE("gpu model: BatchNormalization trains as on the CPU, its moving statistics come back") {
  using Net = fc::Sequential<fc::Input<8, 8, 1>, fc::Conv2D<4, 3>, fc::BatchNormalization<>,
                             fc::ReLU, fc::MaxPooling2D<2>, fc::Flatten, fc::Dense<6>,
                             fc::BatchNormalization<std::ratio<9, 10>>, fc::Tanh, fc::Dense<3>,
                             fc::Softmax>;
  const auto x = random_values<float>(samples * Net::input_size, 21, 0.0f, 4.0f);
  const auto y = labels_of(x, 3);
  // SGD, not Adam: a bias right before BatchNormalization has a true gradient of 0, so what the
  // backends compute for it is rounding, which Adam would scale up to steps of its learning rate.
  const fc::optim::SGD sgd{.learning_rate = 0.1f, .momentum = 0.9f};
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu(sgd, fc::Seed{4});
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> cpu(sgd, fc::Seed{4});
  auto data = fd::from_tensor_slices<fc::Features<8, 8, 1>, fc::ClassLabel<3>>(
                  std::span<const float>(x), std::span<const int>(y)) |
              fd::batch<7>();
  double worst = 0;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data) worst = std::max(worst, std::abs(gpu.train_step(batch) -
                                                                    cpu.train_step(batch)));
  CHECK(worst <= 1e-4);
  // save_weights' view of the layers: the moving statistics after training on the device.
  std::vector<double> sg(Net::state_count), sc(Net::state_count);
  gpu.network_layers().save_state(sg);
  cpu.network_layers().save_state(sc);
  CHECK(max_abs_diff(sg, sc) <= 1e-5);
  CHECK(std::abs(std::get<1>(gpu.network_layers().layers()).moving_mean()[0] -
                 std::get<1>(cpu.network_layers().layers()).moving_mean()[0]) <= 1e-5);
  // Inference uses them: evaluate agrees.
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
  // Statistics loaded on the host (load_weights) reach the device before its next forward.
  gpu.network_layers().load_state(sc);
  cpu.network_layers().load_state(sc);
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
  // A copied layer keeps its own device statistics.
  auto& bn = std::get<1>(gpu.network_layers().layers());
  auto bn_copy = bn;
  const std::vector<double> before(bn.moving_mean().begin(), bn.moving_mean().end());
  const auto in = to_device(random_values<float>(7 * 6 * 6 * 4, 22, 5.0f, 9.0f));
  const auto gamma_beta = to_device(std::vector<float>{1, 1, 1, 1, 0, 0, 0, 0});
  fc::kernels::gpu::device_buffer<float> out(7 * 6 * 6 * 4);
  bn_copy.forward(gamma_beta.data(), in.data(), out.data(), 7, nn::mode::training, fc::cuda);
  CHECK(bn_copy.moving_mean()[0] > before[0] + 0.05);  // 1 % of the way to about 7
  CHECK(std::vector<double>(bn.moving_mean().begin(), bn.moving_mean().end()) == before);
}

TEST_CASE("gpu model: Normalization and ZeroPadding2D train as on the CPU, new statistics reach "
          "the device") {
  using Net = fc::Sequential<fc::Input<6, 6, 2>, fc::Normalization, fc::ZeroPadding2D<1, 2>,
                             fc::Conv2D<3, 3>, fc::ReLU, fc::GlobalAveragePooling2D, fc::Dense<2>,
                             fc::Softmax>;
  const auto x = random_values<float>(samples * Net::input_size, 23, 10.0f, 30.0f);
  const auto y = labels_of(x, 2);
  const fc::optim::SGD sgd{.learning_rate = 0.1f};
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu(sgd, fc::Seed{5});
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> cpu(sgd, fc::Seed{5});
  auto data = fd::from_tensor_slices<fc::Features<6, 6, 2>, fc::ClassLabel<2>>(
                  std::span<const float>(x), std::span<const int>(y)) |
              fd::batch<7>();
  for (auto* net : {&gpu.network_layers(), &cpu.network_layers()})
    std::get<0>(net->layers()).set_statistics(std::vector<double>{20.0, 19.0},
                                              std::vector<double>{33.0, 30.0});
  double worst = 0;
  for (const auto& batch : data)
    worst = std::max(worst, std::abs(gpu.train_step(batch) - cpu.train_step(batch)));
  CHECK(worst <= 1e-4);
  // Statistics set after the device took its copy replace that copy.
  for (auto* net : {&gpu.network_layers(), &cpu.network_layers()})
    std::get<0>(net->layers()).set_statistics(10.0, 100.0);
  const double before = gpu.evaluate(data).at("loss");
  CHECK(std::abs(before - cpu.evaluate(data).at("loss")) <= 1e-4);
  for (const auto& batch : data)
    worst = std::max(worst, std::abs(gpu.train_step(batch) - cpu.train_step(batch)));
  CHECK(worst <= 1e-4);
  const auto gp = gpu.parameters(), cp = cpu.parameters();
  CHECK(max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                     std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
}

TEST_CASE("gpu kernels: zero padding and its gradient match the reference") {
  fk::conv_geometry g{.batch = 3, .h = 4, .w = 5, .c = 2, .pad_top = 2, .pad_left = 1,
                      .oh = 7, .ow = 9};
  const auto x = random_values<float>(3 * 4 * 5 * 2, 24);
  const auto dy = random_values<float>(3 * 7 * 9 * 2, 25);
  std::vector<float> y(dy.size()), dx(x.size());
  fk::pad2d_forward(fc::reference, g, x.data(), y.data());
  fk::pad2d_backward(fc::reference, g, dy.data(), dx.data());
  auto dev_x = to_device(x), dev_dy = to_device(dy);
  fc::kernels::gpu::device_buffer<float> dev_y(y.size()), dev_dx(x.size());
  dev_y.fill(7.0f);
  fk::pad2d_forward(fc::cuda, g, dev_x.data(), dev_y.data());
  fk::pad2d_backward(fc::cuda, g, dev_dy.data(), dev_dx.data());
  CHECK(max_abs_diff(to_host(dev_y), y) == 0.0);
  CHECK(max_abs_diff(to_host(dev_dx), dx) == 0.0);
}
