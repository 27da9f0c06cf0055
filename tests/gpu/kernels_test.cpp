// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Every cuda-backend kernel against the reference kernel, on odd shapes (no multiple of a tile
// or vector width), in float and double.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/optim/clipping.hpp>
#include <fitcheck/optim/optimizer.hpp>

#include "gpu_test_support.hpp"

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;
using fc::test::max_abs_diff;
using fc::test::random_values;
using fc::test::to_device;
using fc::test::to_host;

namespace {
template <class T>
constexpr double tol = std::is_same_v<T, float> ? 2e-5 : 1e-12;

constexpr fk::activation all_activations[] = {fk::activation::identity, fk::activation::relu,
                                              fk::activation::sigmoid, fk::activation::tanh};
}  // namespace

TEST_CASE_TEMPLATE("gpu kernels: gemm in all four transpositions matches the reference", T, float,
                   double) {
  const std::size_t m = 7, n = 13, k = 19;
  for (auto ta : {fk::trans::no, fk::trans::yes}) {
    for (auto tb : {fk::trans::no, fk::trans::yes}) {
      const std::size_t lda = ta == fk::trans::no ? k + 2 : m + 1;  // padded strides
      const std::size_t ldb = tb == fk::trans::no ? n + 3 : k;
      const std::size_t ldc = n + 1;
      const auto a = random_values<T>((ta == fk::trans::no ? m : k) * lda, 1);
      const auto b = random_values<T>((tb == fk::trans::no ? k : n) * ldb, 2);
      auto c = random_values<T>(m * ldc, 3);
      const fk::gemm_args g{ta, tb, m, n, k};
      auto da = to_device(a), db = to_device(b), dc = to_device(c);
      fk::gemm(fc::cuda, g, T(0.5), da.data(), lda, db.data(), ldb, T(0.25), dc.data(), ldc);
      fk::gemm(fc::reference, g, T(0.5), a.data(), lda, b.data(), ldb, T(0.25), c.data(), ldc);
      CAPTURE(int(ta));
      CAPTURE(int(tb));
      CHECK(max_abs_diff(to_host(dc), c) <= tol<T> * double(k));
    }
  }
}

TEST_CASE("gpu kernels: a product above own_gemm_max_macs (cuBLAS where linked) matches the "
          "reference, epilogue included") {
  // Which products go where: the seed model's stay on the own kernel, the wide model's do not.
  CHECK_FALSE(fk::gpu::detail::takes_cublas({fk::trans::no, fk::trans::no, 32, 128, 10}));
  CHECK_FALSE(fk::gpu::detail::takes_cublas({fk::trans::yes, fk::trans::no, 128, 1, 32}));
  CHECK(fk::gpu::detail::takes_cublas({fk::trans::no, fk::trans::no, 256, 512, 784}));
  const std::size_t m = 70, n = 65, k = 90;  // 409,500 multiply-adds
  REQUIRE(fk::gpu::detail::takes_cublas({fk::trans::no, fk::trans::no, m, n, k}));
  for (auto ta : {fk::trans::no, fk::trans::yes}) {
    for (auto tb : {fk::trans::no, fk::trans::yes}) {
      const std::size_t lda = ta == fk::trans::no ? k + 2 : m + 1;  // padded strides
      const std::size_t ldb = tb == fk::trans::no ? n + 3 : k;
      const std::size_t ldc = n + 1;
      const auto a = random_values<float>((ta == fk::trans::no ? m : k) * lda, 41);
      const auto b = random_values<float>((tb == fk::trans::no ? k : n) * ldb, 42);
      const auto bias = random_values<float>(n, 43);
      auto c = random_values<float>(m * ldc, 44);
      std::vector<float> pre(m * n);
      const fk::gemm_args g{ta, tb, m, n, k};
      auto da = to_device(a), db = to_device(b), dc = to_device(c), dbias = to_device(bias);
      fk::gpu::device_buffer<float> dpre(m * n);
      const auto epi = [](const float* b_, float* p_) {
        return fk::epilogue<float>{.bias = b_, .act = fk::activation::tanh, .pre = p_, .ldpre = n};
      };
      fk::gemm(fc::cuda, g, 0.5f, da.data(), lda, db.data(), ldb, 0.25f, dc.data(), ldc,
               epi(dbias.data(), dpre.data()));
      fk::gemm(fc::reference, g, 0.5f, a.data(), lda, b.data(), ldb, 0.25f, c.data(), ldc,
               epi(bias.data(), pre.data()));
      CAPTURE(int(ta));
      CAPTURE(int(tb));
      CHECK(max_abs_diff(to_host(dc), c) <= tol<float> * double(k));
      CHECK(max_abs_diff(to_host(dpre), pre) <= tol<float> * double(k));
    }
  }
}

TEST_CASE_TEMPLATE("gpu kernels: gemm_bias_act fuses bias, activation and pre-activation", T,
                   float, double) {
  const std::size_t m = 9, n = 11, k = 5;
  const auto a = random_values<T>(m * k, 4);
  const auto b = random_values<T>(k * n, 5);
  const auto bias = random_values<T>(n, 6);
  const fk::gemm_args g{fk::trans::no, fk::trans::no, m, n, k};
  for (auto act : all_activations) {
    std::vector<T> c(m * n), pre(m * n);
    fk::gemm_bias_act(fc::reference, g, a.data(), k, b.data(), n, bias.data(), act, pre.data(),
                      c.data(), n);
    auto da = to_device(a), db = to_device(b), dbias = to_device(bias);
    fk::gpu::device_buffer<T> dc(m * n), dpre(m * n);
    fk::gemm_bias_act(fc::cuda, g, da.data(), k, db.data(), n, dbias.data(), act, dpre.data(),
                      dc.data(), n);
    CAPTURE(int(act));
    CHECK(max_abs_diff(to_host(dc), c) <= tol<T> * double(k));
    CHECK(max_abs_diff(to_host(dpre), pre) <= tol<T> * double(k));
    // Without a bias and without keeping the pre-activation.
    fk::gemm_bias_act(fc::reference, g, a.data(), k, b.data(), n, static_cast<const T*>(nullptr),
                      act, static_cast<T*>(nullptr), c.data(), n);
    fk::gemm_bias_act(fc::cuda, g, da.data(), k, db.data(), n, static_cast<const T*>(nullptr),
                      act, static_cast<T*>(nullptr), dc.data(), n);
    CHECK(max_abs_diff(to_host(dc), c) <= tol<T> * double(k));
  }
}

TEST_CASE_TEMPLATE("gpu kernels: activations, bias and column sums match the reference", T, float,
                   double) {
  const std::size_t rows = 5, cols = 37, n = rows * cols;
  const auto x = random_values<T>(n, 7, T(-6), T(6));
  const auto dy = random_values<T>(n, 8);
  for (auto act : all_activations) {
    std::vector<T> y(n), dx(n);
    fk::activation_forward(fc::reference, act, x.data(), y.data(), n);
    fk::activation_backward(fc::reference, act, x.data(), y.data(), dy.data(), dx.data(), n);
    auto dxs = to_device(x), ddy = to_device(dy);
    fk::gpu::device_buffer<T> dyv(n), ddx(n);
    fk::activation_forward(fc::cuda, act, dxs.data(), dyv.data(), n);
    fk::activation_backward(fc::cuda, act, dxs.data(), dyv.data(), ddy.data(), ddx.data(), n);
    CAPTURE(int(act));
    CHECK(max_abs_diff(to_host(dyv), y) <= tol<T>);
    CHECK(max_abs_diff(to_host(ddx), dx) <= tol<T>);
  }
  const auto bias = random_values<T>(cols, 9);
  auto y = x;
  fk::bias_add(fc::reference, y.data(), bias.data(), rows, cols);
  auto dyb = to_device(x), dbias = to_device(bias);
  fk::bias_add(fc::cuda, dyb.data(), dbias.data(), rows, cols);
  CHECK(max_abs_diff(to_host(dyb), y) == 0.0);

  std::vector<T> sums(cols);
  fk::column_sums(fc::reference, dy.data(), sums.data(), rows, cols);
  auto ddy = to_device(dy);
  fk::gpu::device_buffer<T> dsums(cols);
  fk::column_sums(fc::cuda, ddy.data(), dsums.data(), rows, cols);
  CHECK(max_abs_diff(to_host(dsums), sums) == 0.0);  // same additions in the same order
}

TEST_CASE_TEMPLATE("gpu kernels: softmax and its backward match the reference", T, float, double) {
  const std::size_t rows = 6, k = 7;
  const auto x = random_values<T>(rows * k, 10, T(-30), T(30));
  const auto dy = random_values<T>(rows * k, 11);
  std::vector<T> y(rows * k), dx(rows * k);
  fk::softmax_rows(fc::reference, x.data(), y.data(), rows, k);
  fk::softmax_backward_rows(fc::reference, y.data(), dy.data(), dx.data(), rows, k);
  auto dxs = to_device(x), ddy = to_device(dy);
  fk::gpu::device_buffer<T> dyv(rows * k), ddx(rows * k);
  fk::softmax_rows(fc::cuda, dxs.data(), dyv.data(), rows, k);
  fk::softmax_backward_rows(fc::cuda, dyv.data(), ddy.data(), ddx.data(), rows, k);
  CHECK(max_abs_diff(to_host(dyv), y) <= tol<T>);
  CHECK(max_abs_diff(to_host(ddx), dx) <= tol<T>);
}

TEST_CASE("gpu kernels: sum, dot and sum of squares match the reference") {
  const auto x = random_values<float>(1001, 12);
  const auto y = random_values<float>(1001, 13);
  auto dx = to_device(x), dy = to_device(y);
  const std::span<const float> sx(dx.data(), dx.size()), sy(dy.data(), dy.size());
  CHECK(std::abs(fk::sum(fc::cuda, sx) - fk::sum(fc::reference, x)) <= 1e-3);
  CHECK(std::abs(fk::dot(fc::cuda, sx, sy) - fk::dot(fc::reference, x, y)) <= 1e-3);
  CHECK(std::abs(fk::sum_of_squares(fc::cuda, sx) - double(fk::dot(fc::reference, x, x))) <= 1e-3);
  CHECK(fk::sum(fc::cuda, std::span<const float>{}) == 0.0f);
}

namespace {
// Each device loss against the Loss type's host formula, loss value and gradient.
template <class Loss, class Y>
void check_loss(fk::loss_kind kind, const std::vector<float>& out, const std::vector<Y>& y,
                std::size_t batch, std::size_t width) {
  constexpr bool has_logits = !std::is_void_v<typename Loss::activation>;
  for (bool logits : {false, true}) {
    if (logits && !has_logits) continue;
    std::vector<float> grad(out.size());
    float want = 0;
    if constexpr (has_logits) {
      if (logits) want = Loss::logits(out.data(), y.data(), grad.data(), batch, width);
    }
    if (!logits) want = Loss::probabilities(out.data(), y.data(), grad.data(), batch, width);
    auto dout = to_device(out);
    auto dyl = to_device(y);
    fk::gpu::device_buffer<float> dgrad(out.size());
    const auto params = fc::loss::detail::parameters_of<Loss, float>();
    const float got = fk::loss(fc::cuda, kind, logits, dout.data(), dyl.data(), dgrad.data(), batch,
                               width, params);
    CAPTURE(Loss::name);
    CAPTURE(logits);
    CHECK(std::abs(got - want) <= 1e-5 * std::max(1.0f, std::abs(want)));
    CHECK(max_abs_diff(to_host(dgrad), grad) <= 1e-6);
    // Without a gradient buffer: the same value.
    CHECK(fk::loss(fc::cuda, kind, logits, dout.data(), dyl.data(), static_cast<float*>(nullptr),
                   batch, width, params) == doctest::Approx(got));
  }
}
}  // namespace

TEST_CASE("gpu kernels: every loss matches its host formula, value and gradient") {
  const std::size_t batch = 9, k = 5;
  // Probabilities in (0, 1) for the probability forms; the logits forms read them as logits.
  auto probs = random_values<float>(batch * k, 14, 0.01f, 0.99f);
  std::vector<float> softmaxed(batch * k);
  fk::softmax_rows(fc::reference, random_values<float>(batch * k, 15).data(), softmaxed.data(),
                   batch, k);
  std::vector<int> binary(batch * k), classes(batch);
  std::vector<float> onehot(batch * k, 0.0f);
  for (std::size_t i = 0; i < batch * k; ++i) binary[i] = int(i * 7 % 3 == 0);
  for (std::size_t r = 0; r < batch; ++r) {
    classes[r] = int(r * 3 % k);
    onehot[r * k + std::size_t(classes[r])] = 1.0f;
  }
  const auto targets = random_values<float>(batch * k, 16);
  check_loss<fc::loss::BinaryCrossentropy>(fk::loss_kind::binary_crossentropy, probs, binary,
                                           batch, k);
  check_loss<fc::loss::SparseCategoricalCrossentropy>(
      fk::loss_kind::sparse_categorical_crossentropy, softmaxed, classes, batch, k);
  check_loss<fc::loss::CategoricalCrossentropy>(fk::loss_kind::categorical_crossentropy,
                                                softmaxed, onehot, batch, k);
  check_loss<fc::loss::MeanSquaredError>(fk::loss_kind::mean_squared_error, probs, targets, batch,
                                         k);
  check_loss<fc::loss::MeanAbsoluteError>(fk::loss_kind::mean_absolute_error, probs, targets,
                                          batch, k);
  check_loss<fc::loss::Huber<std::ratio<1, 2>>>(fk::loss_kind::huber, probs, targets, batch, k);
  // Keras' other losses, and the constants they pass (gamma, alpha, label smoothing).
  using std::ratio;
  namespace fl = fc::loss;
  check_loss<fl::BinaryFocalCrossentropy<ratio<3, 2>, ratio<1, 4>>>(
      fk::loss_kind::binary_focal_crossentropy, probs, binary, batch, k);
  check_loss<fl::LabelSmoothing<fl::BinaryCrossentropy, ratio<1, 10>>>(
      fk::loss_kind::binary_crossentropy, probs, binary, batch, k);
  check_loss<fl::LabelSmoothing<fl::SparseCategoricalCrossentropy, ratio<1, 10>>>(
      fk::loss_kind::sparse_categorical_crossentropy, softmaxed, classes, batch, k);
  check_loss<fl::LabelSmoothing<fl::CategoricalFocalCrossentropy<>, ratio<1, 5>>>(
      fk::loss_kind::categorical_focal_crossentropy, softmaxed, onehot, batch, k);
  check_loss<fl::KLDivergence>(fk::loss_kind::kl_divergence, softmaxed, softmaxed, batch, k);
  check_loss<fl::Poisson>(fk::loss_kind::poisson, probs, targets, batch, k);
  check_loss<fl::LogCosh>(fk::loss_kind::log_cosh, probs, targets, batch, k);
  check_loss<fl::MeanSquaredLogarithmicError>(fk::loss_kind::mean_squared_logarithmic_error, probs,
                                              probs, batch, k);
  check_loss<fl::MeanAbsolutePercentageError>(fk::loss_kind::mean_absolute_percentage_error,
                                              probs, softmaxed, batch, k);
  check_loss<fl::Hinge>(fk::loss_kind::hinge, targets, binary, batch, k);
  check_loss<fl::SquaredHinge>(fk::loss_kind::squared_hinge, targets, binary, batch, k);
  check_loss<fl::CategoricalHinge>(fk::loss_kind::categorical_hinge, targets, onehot, batch, k);
  check_loss<fl::CosineSimilarity>(fk::loss_kind::cosine_similarity, targets, probs, batch, k);
  check_loss<fl::Dice>(fk::loss_kind::dice, probs, binary, batch, k);
  check_loss<fl::Tversky<ratio<3, 10>, ratio<7, 10>>>(fk::loss_kind::tversky, probs, softmaxed,
                                                     batch, k);
}

TEST_CASE("gpu kernels: the upload ring cycles its slots and delivers each batch") {
  fk::gpu::upload_ring<float> buf;
  buf.reserve(5);
  CHECK(buf.slots() == 2);
  const std::vector<float> a{1, 2, 3, 4, 5}, b{6, 7, 8};
  const float* pa = buf.upload(a.data(), a.size());
  buf.release();
  const float* pb = buf.upload(b.data(), b.size());
  buf.release();
  CHECK(pa != pb);
  std::vector<float> got(3);
  fk::gpu::copy_to_host(fc::cuda, pb, got.data(), 3);
  CHECK(got == b);
  CHECK(buf.upload(a.data(), a.size()) == pa);  // the first slot again
  got.resize(5);
  fk::gpu::copy_to_host(fc::cuda, pa, got.data(), 5);
  CHECK(got == a);
  // Three steps in flight and the next batch: four slots, each batch intact until a ring later.
  buf.reserve(5, 4);
  CHECK(buf.slots() == 4);
  CHECK(buf.capacity() == 5);
  std::vector<const float*> slots;
  for (float v = 0; v < 4; ++v) {
    const std::vector<float> batch(5, v);
    slots.push_back(buf.upload(batch.data(), batch.size()));
    buf.release();
  }
  for (std::size_t i = 0; i < 4; ++i) {
    fk::gpu::copy_to_host(fc::cuda, slots[i], got.data(), 5);
    CHECK(got == std::vector<float>(5, float(i)));
    for (std::size_t j = 0; j < i; ++j) CHECK(slots[i] != slots[j]);
  }
  CHECK(buf.upload(a.data(), a.size()) == slots[0]);
  // A batch's features and labels in one copy: the labels from `offset`, after padding.
  buf.reserve(8, 4);
  const std::vector<float> x{1, 2, 3}, y{9, 8};
  const float* both = buf.upload(x.data(), x.size(), y.data(), y.size(), 4);
  buf.release();
  got.resize(6);
  fk::gpu::copy_to_host(fc::cuda, both, got.data(), 6);
  CHECK(std::vector<float>(got.begin(), got.begin() + 3) == x);
  CHECK(std::vector<float>(got.begin() + 4, got.end()) == y);
}

namespace {
// Three steps of an optimizer's update on the host backend and on the device, from the same
// parameters and gradients: the same formula in both loops, and the same sum of squares.
template <class O>
void check_optimizer(const O& opt) {
  const std::size_t n = 1001;
  auto p = random_values<float>(n, 30);
  const auto g = random_values<float>(n, 31);
  auto dp = to_device(p);
  auto dg = to_device(g);
  std::vector<float> h0(n), h1(n), h2(n);
  fk::gpu::device_buffer<float> s0(n), s1(n), s2(n);
  fk::gpu::device_buffer<double> device_squares(1);
  double host_squares = 0.0;
  for (std::uint64_t t = 1; t <= 3; ++t) {
    const float lr = opt.learning_rate(t - 1);
    opt.apply(fc::cpu, p.data(), g.data(), n, {h0.data(), h1.data(), h2.data()}, lr, t,
              &host_squares);
    opt.apply(fc::cuda, dp.data(), dg.data(), n, {s0.data(), s1.data(), s2.data()}, lr, t,
              device_squares.data());
  }
  CHECK(max_abs_diff(to_host(dp), p) <= 1e-6);
  CHECK(to_host(device_squares)[0] == doctest::Approx(host_squares).epsilon(1e-6));
  CHECK(host_squares > 0.0);
}
}  // namespace

TEST_CASE("gpu kernels: optimizer updates match the host optimizers") {
  check_optimizer(fc::optim::SGD{.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true,
                                 .weight_decay = 0.01f});
  check_optimizer(fc::optim::Adam{.learning_rate = 1e-2f});
  check_optimizer(fc::optim::AdamW{.learning_rate = 1e-2f, .weight_decay = 0.1f});
  check_optimizer(fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.5f, .centered = true,
                                     .weight_decay = 0.01f});
}

TEST_CASE("gpu kernels: clipping matches optim/clipping.hpp") {
  auto g = random_values<float>(257, 32, -3.0f, 3.0f);
  auto dg = to_device(g);
  fk::clamp(fc::cuda, dg.data(), g.size(), 0.5f);
  fc::optim::clip_by_value(g, 0.5f);
  CHECK(max_abs_diff(to_host(dg), g) == 0.0);
  const double norm = fc::optim::global_norm(g);
  fk::scale(fc::cuda, dg.data(), g.size(), 0.25 / norm);
  fc::optim::clip_by_global_norm(g, 0.25, norm);
  CHECK(max_abs_diff(to_host(dg), g) == 0.0);
}

// The kernels of the queued training step leave their results in device memory; on Thrust's CPU
// system they must be the very bits of the synchronous kernels (the fit's bitwise contract).
TEST_CASE("gpu kernels: loss_total and sum_of_squares_into match loss and sum_of_squares") {
  const std::size_t batch = 9, k = 5;
  std::vector<float> probs(batch * k);
  fk::softmax_rows(fc::reference, random_values<float>(batch * k, 40).data(), probs.data(), batch,
                   k);
  std::vector<int> classes(batch);
  for (std::size_t r = 0; r < batch; ++r) classes[r] = int(r * 2 % k);
  const auto dout = to_device(probs);
  const auto dy = to_device(classes);
  fk::gpu::device_buffer<float> g1(batch * k), g2(batch * k);
  fk::gpu::device_buffer<double> scalars(2);
  for (bool logits : {false, true}) {
    const auto kind = fk::loss_kind::sparse_categorical_crossentropy;
    const float mean =
        fk::loss(fc::cuda, kind, logits, dout.data(), dy.data(), g1.data(), batch, k);
    fk::loss_total(fc::cuda, kind, logits, dout.data(), dy.data(), g2.data(), batch, k,
                   scalars.data());
    const auto total = to_host(scalars)[0];
    CHECK(fk::loss_terms(kind, batch, k) == batch);
    CHECK(static_cast<float>(total) / float(batch) == mean);
    CHECK(to_host(g1) == to_host(g2));
  }
  CHECK(fk::loss_terms(fk::loss_kind::mean_squared_error, batch, k) == batch * k);

  const auto g = random_values<float>(1001, 41);
  const auto dg = to_device(g);
  const std::span<const float> sg(dg.data(), g.size());
  fk::sum_of_squares_into(fc::cuda, sg, scalars.data() + 1);
  CHECK(to_host(scalars)[1] == fk::sum_of_squares(fc::cuda, sg));
  fk::sum_of_squares_into(fc::cuda, std::span<const float>{}, scalars.data() + 1);
  CHECK(to_host(scalars)[1] == 0.0);
}

TEST_CASE("gpu kernels: clipping by a norm held on the device matches optim/clipping.hpp") {
  const auto g0 = random_values<float>(257, 42, -3.0f, 3.0f);
  const double norm = fc::optim::global_norm(g0);
  const double inf = std::numeric_limits<double>::infinity();
  // Clipped, not clipped (norm under the limit), and a non-finite norm that leaves g alone.
  for (double squares : {norm * norm, 1e-4, inf, std::nan("")}) {
    for (float clipnorm : {0.25f, 100.0f}) {
      auto g = g0;
      auto dg = to_device(g);
      const auto dsq = to_device(std::vector<double>{squares});
      fk::clip_by_global_norm(fc::cuda, dg.data(), g.size(), clipnorm, dsq.data());
      fc::optim::clip_by_global_norm(g, double(clipnorm), std::sqrt(squares));
      CAPTURE(squares);
      CAPTURE(clipnorm);
      CHECK(to_host(dg) == g);
    }
  }
}

TEST_CASE("gpu kernels: the readback buffer returns what was fetched") {
  fk::gpu::readback_buffer<float> back;
  back.reserve(4);
  const auto d = to_device(std::vector<float>{1, 2, 3, 4});
  back.fetch(d.data(), 3);
  const float* h = back.wait();
  CHECK(std::vector<float>(h, h + 3) == std::vector<float>{1, 2, 3});
  back.reserve(2);  // never shrinks
  back.fetch(d.data() + 1, 3);
  h = back.wait();
  CHECK(std::vector<float>(h, h + 3) == std::vector<float>{2, 3, 4});
  // A slot per step in flight: each keeps its fetch until fetched into again.
  back.reserve(4, 3);
  back.fetch(d.data(), 4, 0);
  back.fetch(d.data() + 2, 2, 1);
  back.fetch(d.data() + 1, 1, 2);
  CHECK(std::vector<float>(back.wait(0), back.wait(0) + 4) == std::vector<float>{1, 2, 3, 4});
  CHECK(std::vector<float>(back.wait(1), back.wait(1) + 2) == std::vector<float>{3, 4});
  CHECK(*back.wait(2) == 2.0f);
}

TEST_CASE("gpu kernels: the precision policy rounds the products' operands to TF32 or bfloat16") {
  using fc::precision;
  // Round to nearest, ties to even, at bfloat16's 7 and TF32's 10 mantissa bits.
  CHECK(fk::operand(precision::bf16, 1.0f + 0x1p-8f) == 1.0f);
  CHECK(fk::operand(precision::bf16, 1.0f + 0x1p-8f + 0x1p-20f) == 1.0f + 0x1p-7f);
  CHECK(fk::operand(precision::bf16, 1.0f + 0x1p-7f + 0x1p-8f) == 1.0f + 0x1p-6f);
  CHECK(fk::operand(precision::bf16, -3.0f) == -3.0f);
  CHECK(fk::operand(precision::tf32, 1.0f + 0x1p-11f) == 1.0f);
  CHECK(fk::operand(precision::tf32, 1.0f + 0x1p-10f) == 1.0f + 0x1p-10f);
  CHECK(fk::operand(precision::tf32, 1.0f + 0x1p-11f + 0x1p-20f) == 1.0f + 0x1p-10f);
  CHECK(fk::operand(precision::float32, 1.0f + 0x1p-23f) == 1.0f + 0x1p-23f);
  CHECK(std::isinf(fk::operand(precision::bf16, std::numeric_limits<float>::infinity())));
  CHECK(std::isnan(fk::operand(precision::tf32, std::numeric_limits<float>::quiet_NaN())));
  CHECK(fk::operand(precision::bf16, 1.0 + 0x1p-30) == 1.0 + 0x1p-30);  // double: unchanged

  const std::size_t m = 9, n = 7, k = 33;
  const auto a = random_values<float>(m * k, 30), b = random_values<float>(k * n, 31);
  const fk::gemm_args g{fk::trans::no, fk::trans::yes, m, n, k};
  std::vector<float> exact(m * n);
  fk::gemm(fc::reference, g, 1.0f, a.data(), k, b.data(), k, 0.0f, exact.data(), n);
  auto da = to_device(a), db = to_device(b);
  for (const auto p : {precision::tf32, precision::bf16}) {
    CAPTURE(int(p));
    fc::kernels::gpu::device_buffer<float> dc(m * n);
    fk::gemm(fc::cuda_t{.math = p}, g, 1.0f, da.data(), k, db.data(), k, 0.0f, dc.data(), n);
    // The products of the rounded operands, summed in float32...
    std::vector<float> ra = a, rb = b, rounded(m * n);
    for (float& v : ra) v = fk::operand(p, v);
    for (float& v : rb) v = fk::operand(p, v);
    fk::gemm(fc::reference, g, 1.0f, ra.data(), k, rb.data(), k, 0.0f, rounded.data(), n);
    CHECK(max_abs_diff(to_host(dc), rounded) <= 1e-5 * double(k));
    // ...which differ from the float32 products by about k values of |a b| (up to 4) times the
    // operands' rounding (2^-11 for TF32, 2^-8 for bfloat16), and certainly by more than 0.
    const double unit = p == precision::tf32 ? 0x1p-11 : 0x1p-8;
    const double off = max_abs_diff(to_host(dc), exact);
    CHECK(off > 0.0);
    CHECK(off <= 2.0 * unit * 4.0 * double(k));
  }
}

TEST_CASE("gpu kernels: column sums over more than 1024 rows are summed in two levels") {
  for (const std::size_t rows : {1024u, 1025u, 4099u, 43264u}) {
    CAPTURE(rows);
    constexpr std::size_t cols = 5;
    const auto dy = random_values<float>(rows * cols, 32);
    std::vector<float> ref(cols);
    fk::column_sums(fc::reference, dy.data(), ref.data(), rows, cols);
    auto d = to_device(dy);
    fc::kernels::gpu::device_buffer<float> db(cols);
    fk::column_sums(fc::cuda, d.data(), db.data(), rows, cols);
    const double off = max_abs_diff(to_host(db), ref);
    if (rows <= 1024) CHECK(off == 0.0);  // in row order: the reference's additions
    else CHECK(off <= 1e-6 * double(rows));  // another order: float rounding of the sums
  }
}

TEST_CASE("gpu kernels: a long, narrow product is split along k and matches the reference") {
  // 9 x 32 outputs over k = 5000 (a convolution's weight gradient): 4 slices of k.
  const std::size_t m = 9, n = 32, k = 5000;
  REQUIRE(fk::gpu::detail::k_slices({fk::trans::yes, fk::trans::no, m, n, k}) == 4);
  REQUIRE(fk::gpu::detail::k_slices({fk::trans::no, fk::trans::no, 64, 64, 5000}) == 4);
  REQUIRE(fk::gpu::detail::k_slices({fk::trans::no, fk::trans::no, 256, 512, 5000}) == 1);
  REQUIRE(fk::gpu::detail::k_slices({fk::trans::no, fk::trans::no, m, n, 2047}) == 1);
  for (auto ta : {fk::trans::no, fk::trans::yes}) {
    for (auto tb : {fk::trans::no, fk::trans::yes}) {
      CAPTURE(int(ta));
      CAPTURE(int(tb));
      const std::size_t lda = ta == fk::trans::no ? k : m, ldb = tb == fk::trans::no ? n : k;
      const auto a = random_values<float>(m * k, 33), b = random_values<float>(k * n, 34);
      const auto bias = random_values<float>(n, 35);
      auto c = random_values<float>(m * n, 36);
      const fk::gemm_args g{ta, tb, m, n, k};
      auto da = to_device(a), db = to_device(b), dc = to_device(c), dbias = to_device(bias);
      fk::gemm(fc::cuda, g, 0.5f, da.data(), lda, db.data(), ldb, 0.25f, dc.data(), n,
               fk::epilogue<float>{.bias = dbias.data(), .act = fk::activation::relu});
      fk::gemm(fc::reference, g, 0.5f, a.data(), lda, b.data(), ldb, 0.25f, c.data(), n,
               fk::epilogue<float>{.bias = bias.data(), .act = fk::activation::relu});
      // Sums of 5000 products (about 50 in size) in float against the reference's double: a
      // slice at the wrong offset would be off by the size of the values.
      double scale = 0;
      for (float v : c) scale = std::max(scale, double(std::abs(v)));
      CHECK(scale > 10.0);
      CHECK(max_abs_diff(to_host(dc), c) <= 2e-5 * scale);
    }
  }
}
