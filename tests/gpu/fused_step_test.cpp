// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The fused step (kernels/gpu/fused_step.hpp): a small network's training step recorded from the
// ordinary layers, loss and optimizer and run as one launch. It must train exactly as the step
// launched kernel by kernel, for every loss form and optimizer option, and fuse only what it can.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ratio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gpu_test_support.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace gpu = fitcheck::kernels::gpu;

namespace {
constexpr std::size_t samples = 40;
const std::vector<float> features = fc::test::random_values<float>(samples * 6, 31);
std::vector<int> class_labels(std::size_t k) {
  std::vector<int> v(samples);
  for (std::size_t i = 0; i < samples; ++i)
    v[i] = int(std::size_t(std::abs(features[i * 6 + 1] * 1000.0f)) % k);
  return v;
}

// Sets the process's fusion policy for a scope.
struct fusion_policy {
  explicit fusion_policy(gpu::step_fusion p) : before(gpu::step_fusion_policy().load()) {
    gpu::set_step_fusion(p);
  }
  ~fusion_policy() { gpu::set_step_fusion(before); }
  gpu::step_fusion before;
};

struct run {
  std::vector<double> losses;
  std::vector<float> params;
  std::uint64_t launches = 0;
};

// Three epochs of train_step on batches of 13 (3 full batches and a partial one) under `policy`.
template <class Net, class Loss, class Label, class Y>
run train(gpu::step_fusion policy, const fc::optim::Optimizer& opt, const std::vector<Y>& y) {
  const fusion_policy scope(policy);
  fc::Model<Net, Loss, fc::cuda_t> model(opt, fc::Seed{11});
  auto data = fd::from_tensor_slices<fc::Features<Net::input_size>, Label>(
                  std::span<const float>(features), std::span<const Y>(y)) |
              fd::batch<13>();
  run r;
  const std::uint64_t before = gpu::fused_launches().load();
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data) r.losses.push_back(model.train_step(batch));
  r.launches = gpu::fused_launches().load() - before;
  const auto p = model.parameters();
  r.params.assign(p.begin(), p.end());
  return r;
}

// The fused and the unfused step train alike: the same losses (to the order of the loss sum's
// additions) and parameters, with one launch per step when fused.
template <class Net, class Loss, class Label, class Y>
void check_fused(const fc::optim::Optimizer& opt, const std::vector<Y>& y) {
  const run fused = train<Net, Loss, Label>(gpu::step_fusion::always, opt, y);
  const run plain = train<Net, Loss, Label>(gpu::step_fusion::never, opt, y);
  REQUIRE(fused.losses.size() == 12);
  CHECK(fused.launches == 12);
  CHECK(plain.launches == 0);
  double worst = 0;
  for (std::size_t i = 0; i < fused.losses.size(); ++i) {
    CHECK(std::isfinite(fused.losses[i]));
    worst = std::max(worst, std::abs(fused.losses[i] - plain.losses[i]) /
                                std::max(1.0, std::abs(plain.losses[i])));
  }
  CHECK(worst <= 1e-6);
  CHECK(fc::test::max_abs_diff(fused.params, plain.params) <= 1e-6);
  // It trained: the parameters moved from where both started.
  const run none = train<Net, Loss, Label>(gpu::step_fusion::never, fc::optim::SGD{
                                               .learning_rate = 0.0f}, y);
  CHECK(fc::test::max_abs_diff(fused.params, none.params) > 1e-3);
}
}  // namespace

TEST_CASE("fused step: softmax classifiers train as with one launch per kernel, every optimizer") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<9>, fc::Tanh, fc::Dense<4>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(4);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::SGD{.learning_rate = 0.1f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(
      fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.9f, .nesterov = true}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::Adam{.learning_rate = 1e-2f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(
      fc::optim::AdamW{.learning_rate = 1e-2f, .beta_2 = 0.5f, .amsgrad = true}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.9f, .centered = true}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::Adagrad{.learning_rate = 5e-2f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::Adamax{.learning_rate = 1e-2f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::Adadelta{.learning_rate = 1.0f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(
      fc::optim::Lion{.learning_rate = 5e-3f, .weight_decay = 0.1f}, y);
  check_fused<Net, L, fc::ClassLabel<4>>(fc::optim::Nadam{.learning_rate = 1e-2f}, y);
}

TEST_CASE("fused step: clipping, gradient accumulation and the weights' moving average") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<5>, fc::ReLU,
                             fc::Dense<3>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  check_fused<Net, L, fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f, .global_clipnorm = 0.05f}, y);
  check_fused<Net, L, fc::ClassLabel<3>>(fc::optim::SGD{.learning_rate = 0.1f, .clipvalue = 0.01f},
                                         y);
  check_fused<Net, L, fc::ClassLabel<3>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.9f, .centered = true,
                         .use_ema = true, .ema_momentum = 0.8f, .ema_overwrite_frequency = 5,
                         .gradient_accumulation_steps = 2},
      y);
}

TEST_CASE("fused step: weight penalties add to the loss and the gradients as unfused") {
  // Each penalised slice's share of the loss (a reduction) and of its gradient, before clipping
  // and the update; four slices to an operation, so the second network's six take two, the
  // second adding its sum to the first's.
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  using Hundredth = std::ratio<1, 100>;
  using Two = fc::Sequential<
      fc::Input<6>,
      fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>, fc::bias_regularizer<fc::L1<>>>,
      fc::ReLU,
      fc::Regularized<fc::Dense<3>, fc::L1L2<Hundredth, std::ratio<1, 10>>,
                      fc::bias_regularizer<fc::L2<>>>,
      fc::Softmax>;
  check_fused<Two, L, fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, y);
  using Three = fc::Sequential<
      fc::Input<6>, fc::Regularized<fc::Dense<8>, fc::L1<>, fc::bias_regularizer<fc::L2<>>>,
      fc::Tanh, fc::Regularized<fc::Dense<5>, fc::L2<>, fc::bias_regularizer<fc::L1<>>>,
      fc::ReLU,
      fc::Regularized<fc::Dense<3>, fc::L2<std::ratio<1, 5>>, fc::bias_regularizer<fc::L2<>>>,
      fc::Softmax>;
  check_fused<Three, L, fc::ClassLabel<3>>(
      fc::optim::SGD{.learning_rate = 0.1f, .momentum = 0.9f, .global_clipnorm = 0.5f}, y);
}

TEST_CASE("fused step: Dropout and the noise layers draw the same masks as unfused") {
  // Each layer draws its step's seed when the step is recorded, as when its kernel is launched:
  // the fused step must train with the very masks and noise of the unfused one.
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  using Dropped = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::ReLU,
                                 fc::Dropout<std::ratio<1, 3>>, fc::Dense<3>, fc::Softmax>;
  check_fused<Dropped, L, fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, y);
  using Noisy = fc::Sequential<fc::Input<6>, fc::GaussianNoise<std::ratio<1, 5>>, fc::Dense<12>,
                               fc::Tanh, fc::GaussianDropout<std::ratio<1, 4>>, fc::Dense<3>,
                               fc::Softmax>;
  check_fused<Noisy, L, fc::ClassLabel<3>>(fc::optim::SGD{.learning_rate = 0.1f}, y);
  using Channels = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::ReLU, fc::Reshape<4, 3>,
                                  fc::SpatialDropout1D<std::ratio<1, 3>>, fc::Flatten,
                                  fc::Dense<3>, fc::Softmax>;
  check_fused<Channels, L, fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, y);
  using SelfNormalising = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::SELU,
                                         fc::AlphaDropout<std::ratio<1, 10>>, fc::Dense<3>,
                                         fc::Softmax>;
  check_fused<SelfNormalising, L, fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, y);
}

TEST_CASE("fused step: the element-wise activations and Rescaling run from their formulas") {
  // Each is recorded as data (its kind and constants) and evaluated through nn's table by the
  // operation's own formula: the losses and weights are the unfused step's, which calls the
  // operation's type. Every kind, with constants that differ from the defaults where there are
  // (check_fused also checks that the network trained).
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 1e-2f};
  using Slopes = fc::Sequential<fc::Input<6>, fc::Rescaling<std::ratio<3, 2>, std::ratio<-1, 4>>,
                                fc::Dense<10>, fc::LeakyReLU<std::ratio<1, 5>>, fc::Dense<8>,
                                fc::ELU<std::ratio<7, 10>>, fc::Dense<3>, fc::Softmax>;
  check_fused<Slopes, L, fc::ClassLabel<3>>(opt, y);
  using Smooth = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::GELU, fc::Dense<8>, fc::SiLU,
                                fc::Dense<8>, fc::Mish, fc::Dense<3>, fc::Softmax>;
  check_fused<Smooth, L, fc::ClassLabel<3>>(opt, y);
  using Soft = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::Softplus, fc::Dense<8>,
                              fc::Softsign, fc::Dense<8>, fc::SELU, fc::Dense<3>, fc::Softmax>;
  check_fused<Soft, L, fc::ClassLabel<3>>(opt, y);
  using Hard = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::ReLU6, fc::Dense<8>,
                              fc::HardSigmoid, fc::Dense<8>, fc::HardSiLU, fc::Dense<3>,
                              fc::Softmax>;
  check_fused<Hard, L, fc::ClassLabel<3>>(opt, y);
  using Shrinks = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::CELU<std::ratio<1, 2>>,
                                 fc::Dense<8>, fc::HardShrink<std::ratio<1, 5>>, fc::Dense<8>,
                                 fc::SoftShrink<std::ratio<1, 5>>, fc::Dense<3>, fc::Softmax>;
  check_fused<Shrinks, L, fc::ClassLabel<3>>(opt, y);
  using Bounded = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::HardTanh, fc::Dense<8>,
                                 fc::LogSigmoid, fc::Dense<8>, fc::TanhShrink, fc::Dense<3>,
                                 fc::Softmax>;
  check_fused<Bounded, L, fc::ClassLabel<3>>(opt, y);
  using Smooth2 = fc::Sequential<fc::Input<6>, fc::Dense<10>, fc::SparsePlus, fc::Dense<8>,
                                 fc::SquarePlus<std::ratio<1, 2>>, fc::Dense<8>, fc::Exponential,
                                 fc::Dense<3>, fc::Softmax>;
  check_fused<Smooth2, L, fc::ClassLabel<3>>(opt, y);
}

TEST_CASE("fused step: the table evaluates each formula as the operation's type does") {
  // nn's table against each operation called directly, over values that cross every kink.
  namespace nd = fitcheck::nn::detail;
  auto same = [](auto op) {
    using Op = decltype(op);
    for (float x = -7.0f; x <= 7.0f; x += 0.0625f) {
      CAPTURE(x);
      const float y = Op::f(x);
      CHECK(nd::map_table::f(Op::formula, x) == y);
      CHECK(nd::map_table::df(Op::formula, x, y) == Op::df(x, y));
    }
  };
  same(nd::leaky_relu_op<std::ratio<1, 5>>{});
  same(nd::elu_op<std::ratio<7, 10>>{});
  same(nd::gelu_op{});
  same(nd::silu_op{});
  same(nd::softplus_op{});
  same(nd::softsign_op{});
  same(nd::selu_op{});
  same(nd::mish_op{});
  same(nd::relu6_op{});
  same(nd::hard_sigmoid_op{});
  same(nd::hard_silu_op{});
  same(nd::rescale_op<std::ratio<1, 255>, std::ratio<-1, 2>>{});
  same(nd::celu_op<std::ratio<1, 2>>{});
  same(nd::exponential_op{});
  same(nd::hard_shrink_op<std::ratio<1, 5>>{});
  same(nd::soft_shrink_op<std::ratio<1, 5>>{});
  same(nd::hard_tanh_op{});
  same(nd::log_sigmoid_op{});
  same(nd::tanh_shrink_op{});
  same(nd::sparse_plus_op{});
  same(nd::squareplus_op<std::ratio<1, 2>>{});
}

TEST_CASE("fused step: logits, float targets and the binary cross-entropy after a sigmoid") {
  using Logits = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>>;
  check_fused<Logits, fc::loss::FromLogits<fc::loss::SparseCategoricalCrossentropy>,
              fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, class_labels(3));
  std::vector<float> targets(samples), onehot(samples * 3, 0.0f);
  std::vector<int> binary(samples);
  const auto y3 = class_labels(3);
  for (std::size_t i = 0; i < samples; ++i) {
    targets[i] = features[i * 6] * 0.5f - features[i * 6 + 2];
    binary[i] = features[i * 6 + 3] > 0.0f ? 1 : 0;
    onehot[i * 3 + std::size_t(y3[i])] = 1.0f;
  }
  using Soft = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Sigmoid, fc::Dense<3>, fc::Softmax>;
  check_fused<Soft, fc::loss::CategoricalCrossentropy, fc::OneHotLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, onehot);
  using Regression = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Tanh, fc::Dense<1>>;
  check_fused<Regression, fc::loss::MeanSquaredError, fc::RegressionTarget<1>>(
      fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.5f}, targets);
  check_fused<Regression, fc::loss::Huber<>, fc::RegressionTarget<1>>(fc::optim::Adam{.learning_rate = 1e-2f},
                                                            targets);
  // Wide enough that the loss's terms (13 x 48) and the gradient norm's (3568 weights) reach
  // every one of the block's 512 threads, so every warp's part of the block sum counts.
  using Wide = fc::Sequential<fc::Input<6>, fc::Dense<64>, fc::Tanh, fc::Dense<48>>;
  const std::vector<float> wide_targets = fc::test::random_values<float>(samples * 48, 7);
  check_fused<Wide, fc::loss::MeanSquaredError, fc::RegressionTarget<48>>(
      fc::optim::Adam{.learning_rate = 1e-3f}, wide_targets);
  // The seed model's shape: the loss reads the logits under the final Sigmoid.
  using Seed = fc::Sequential<fc::Input<6>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  check_fused<Seed, fc::loss::BinaryCrossentropy, fc::BinaryLabel>(
      fc::optim::Adam{.learning_rate = 1e-2f}, binary);
}

TEST_CASE("fused step: fit with metrics, validation and class weights as unfused") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  auto fit = [&](gpu::step_fusion policy) {
    const fusion_policy scope(policy);
    auto make = [&] {
      return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                 std::span<const float>(features), std::span<const int>(y)) |
             fd::shuffle(40, fc::Seed{3}) | fd::batch<8>();
    };
    auto train = make();
    auto val = make();
    fc::Model<Net, L, fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t> model(
        fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{2});
    return model.fit(train, fc::Epochs{4}, fc::Validation{val}, fc::ClassWeights{0.5, 3.0, 1.0},
                     fc::Verbose{0});
  };
  const std::uint64_t before = gpu::fused_launches().load();
  // 5 steps an epoch, small: fused; so is each validation batch's forward pass and loss.
  const auto fused = fit(gpu::step_fusion::automatic);
  CHECK(gpu::fused_launches().load() - before == 40);
  const auto plain = fit(gpu::step_fusion::never);
  for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"}) {
    CAPTURE(key);
    REQUIRE(fused[key].size() == 4);
    for (std::size_t e = 0; e < 4; ++e) CHECK(fused[key][e] == doctest::Approx(plain[key][e]).epsilon(1e-6));
  }
}

TEST_CASE("fused step: what it leaves to the kernels launched one by one") {
  // The fused launches of one step on `Rows` samples under `policy`.
  auto steps = [&]<class Net, std::size_t Rows>(gpu::step_fusion policy) {
    const fusion_policy scope(policy);
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> model(
        fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{1});
    std::vector<float> x(Rows * Net::input_size, 0.25f);
    std::vector<int> labels(Rows, 1);
    auto data = fd::from_tensor_slices<fc::Features<Net::input_size>, fc::ClassLabel<3>>(
                    std::span<const float>(x), std::span<const int>(labels)) |
                fd::batch<Rows>();
    const std::uint64_t before = gpu::fused_launches().load();
    for (const auto& b : data) (void)model.train_step(b);
    return gpu::fused_launches().load() - before;
  };
  using Small = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  // 3 x 64 x 512 x 784 multiply-adds a step: over fused_auto_macs, so automatic leaves it.
  using Wide = fc::Sequential<fc::Input<784>, fc::Dense<512>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  CHECK(steps.operator()<Small, 64>(gpu::step_fusion::automatic) == 1);
  CHECK(steps.operator()<Wide, 64>(gpu::step_fusion::automatic) == 0);
  CHECK(steps.operator()<Wide, 64>(gpu::step_fusion::always) == 1);
  CHECK(steps.operator()<Small, 64>(gpu::step_fusion::never) == 0);
  // A batch over fused_max_batch (1024) is never fused: its bias gradients would sum 1100 rows
  // in one thread.
  CHECK(steps.operator()<Small, 1100>(gpu::step_fusion::always) == 0);
  // A layer the fused step does not run (LayerNormalization here) leaves the whole network
  // unfused.
  using WithNorm = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::LayerNormalization<>,
                                  fc::Dense<3>, fc::Softmax>;
  CHECK(steps.operator()<WithNorm, 64>(gpu::step_fusion::always) == 0);
  // The element-wise activations run in it, from their formulas (below).
  using WithLeaky = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::LeakyReLU<>, fc::Dense<3>,
                                   fc::Softmax>;
  CHECK(steps.operator()<WithLeaky, 64>(gpu::step_fusion::automatic) == 1);
  // Dropout and the noise layers run in it.
  using WithDropout = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU,
                                     fc::Dropout<std::ratio<1, 4>>, fc::Dense<3>, fc::Softmax>;
  CHECK(steps.operator()<WithDropout, 64>(gpu::step_fusion::automatic) == 1);
  // So do weight penalties.
  using Penalised = fc::Sequential<
      fc::Input<6>, fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>>, fc::ReLU,
      fc::Dense<3>, fc::Softmax>;
  CHECK(steps.operator()<Penalised, 64>(gpu::step_fusion::automatic) == 1);
}

TEST_CASE("fused step: a plan too small for its step is a logic_error, nothing written past it") {
  // The engine sizes a step's room at compile time (plan_need), so an overflow is fitcheck's
  // bug: it must be loud, and the plan must stay as it was before the operation that did not fit.
  gpu::step_bundles bundles(&gpu::detail::launch_plan<fitcheck::nn::detail::map_table>);
  bundles.reshape({.steps = 1, .batch_floats = 0, .ops = 2, .outputs = 0});
  gpu::step_bundles::step s = bundles.next();
  std::vector<float> from(4, 1.0f), to(4, 0.0f);
  const fc::recording_t be{&s.sink};
  fc::kernels::copy_values(be, from.data(), to.data(), 4);
  fc::kernels::copy_values(be, from.data(), to.data(), 3);
  CHECK(s.sink.count == 2);
  CHECK_THROWS_WITH_AS(fc::kernels::copy_values(be, from.data(), to.data(), 2),
                       "fitcheck: a fused step's plan overflowed", std::logic_error);
  CHECK(s.sink.count == 2);
  CHECK(s.sink.ops[1].items == 3);
  // Recording runs nothing: the values are copied when the launch runs, here as soon as the
  // step closes (a launch of one step is full).
  CHECK(to[0] == 0.0f);
  const std::uint64_t before = gpu::fused_launches().load();
  (void)bundles.close(s.sink.count, false);
  CHECK(gpu::fused_launches().load() - before == 1);
  CHECK(to == std::vector<float>{1.0f, 1.0f, 1.0f, 1.0f});
  // A step whose launch is not among the bundles' (never made, or its memory reused) is
  // fitcheck's bug too: loud, not a read of another step's values.
  CHECK_THROWS_WITH_AS((void)bundles.finish({.launch = 99, .index = 0}),
                       "fitcheck: a fused step's launch was reused before it was read",
                       std::logic_error);
}

TEST_CASE("fused step: a profile reads each operation of the last launch, in order") {
  // What bench_gpu_train's table of the seed step's device time reads: one entry per recorded
  // operation, its kind and item count, and a clock that never runs backwards.
  using Seed = fc::Sequential<fc::Input<6>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  const fusion_policy scope(gpu::step_fusion::always);
  fc::Model<Seed, fc::loss::BinaryCrossentropy, fc::cuda_t> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{4});
  std::vector<int> binary(samples);
  for (std::size_t i = 0; i < samples; ++i) binary[i] = features[i * 6 + 3] > 0.0f ? 1 : 0;
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::BinaryLabel>(
                  std::span<const float>(features), std::span<const int>(binary)) |
              fd::batch<16>();
  const auto first = *data.begin();
  (void)model.train_step(first);  // before the profile: nothing recorded
  std::vector<gpu::fused_step_profile::operation> ops;
  {
    const gpu::fused_step_profile profile;
    CHECK(profile.last().empty());
    (void)model.train_step(first);
    ops = profile.last();
  }
  CHECK(gpu::fused_profile_stamps().load() == nullptr);
  // Forward: two products (bias and ReLU in their epilogue) and the Sigmoid's outputs; the loss
  // on the logits; the second layer's weight gradient and bias gradient, the input gradient
  // through the ReLU (epilogue), the first layer's weight and bias gradients; the norm; Adam.
  std::vector<std::string> names;
  std::vector<std::uint64_t> items;
  for (const auto& op : ops) {
    names.emplace_back(op.name);
    items.push_back(op.items);
  }
  CHECK(names == std::vector<std::string>{"gemm", "gemm", "activation", "loss_labels", "gemm",
                                          "column_sums", "gemm", "gemm", "column_sums", "squares",
                                          "adam"});
  CHECK(items == std::vector<std::uint64_t>{16 * 16, 16, 16, 16, 16, 1, 16 * 16, 6 * 16, 16,
                                            Seed::param_count, Seed::param_count});
  for (const auto& op : ops) CHECK(op.clocks < std::uint64_t{1} << 40);  // no clock wrapped
}

namespace {
// What fit reports after each batch, and how many fused launches ran.
struct reports {
  std::vector<double> mean_losses, norms;
  std::vector<std::size_t> steps;
  void on_train_batch_end(fc::TrainingState& s, double mean_loss) {
    mean_losses.push_back(mean_loss);
    norms.push_back(s.optimizer->last_gradient_norm());
    steps.push_back(s.step);
  }
};
}  // namespace

TEST_CASE("fused step: StepsPerExecution{k} runs k / 2 steps to a launch, each reported alone") {
  // Bundled launches change when the device runs a step, not what it computes: every report and
  // the weights must be the one-launch-per-step fit's, bit for bit.
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  using Model = fc::Model<Net, L, fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t>;
  const auto y = class_labels(3);
  auto make = [&] {
    return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
               std::span<const float>(features), std::span<const int>(y)) |
           fd::shuffle(40, fc::Seed{8}) | fd::batch<7>();  // 6 steps an epoch, the last of 5
  };
  struct outcome {
    fc::History history;
    reports log;
    std::vector<float> params;
    std::uint64_t launches;
  };
  // A callback that reads the weights after every batch (they are those after the steps queued
  // so far: each read launches what is recorded).
  struct reader {
    Model* model;
    double sum = 0;
    void on_train_batch_end(fc::TrainingState&, double) {
      for (const float p : model->parameters()) sum += double(p);
    }
  };
  auto fit = [&](std::size_t k, bool guards, bool read) {
    const fusion_policy scope(gpu::step_fusion::automatic);
    Model model(fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{2});
    auto train = make();
    outcome o;
    reader r{&model};
    const std::uint64_t before = gpu::fused_launches().load();
    if (read)
      o.history = model.fit(train, fc::Epochs{3}, fc::StepsPerExecution{k}, fc::Verbose{0},
                            fc::NumericGuards{.enabled = guards}, o.log, r);
    else
      o.history = model.fit(train, fc::Epochs{3}, fc::StepsPerExecution{k}, fc::Verbose{0},
                            fc::NumericGuards{.enabled = guards}, o.log);
    o.launches = gpu::fused_launches().load() - before;
    const auto p = model.parameters();
    o.params.assign(p.begin(), p.end());
    return o;
  };
  const outcome one = fit(1, true, false);
  CHECK(one.launches == 18);
  auto check_same = [&](const outcome& o) {
    CHECK(o.history.all() == one.history.all());
    CHECK(o.log.mean_losses == one.log.mean_losses);
    CHECK(o.log.norms == one.log.norms);
    CHECK(o.log.steps == one.log.steps);
    CHECK(o.params == one.params);
  };
  // Four in flight, two to a launch: steps (1, 2), (3, 4), (5, 6) of each epoch.
  const outcome unguarded = fit(4, false, false);
  check_same(unguarded);
  CHECK(unguarded.launches == 9);
  // With the guards on, fit queues an epoch's first step alone (the guards read its gradients):
  // (1), (2, 3), (4, 5), then 6 alone, launched when its loss is read at the epoch's end.
  const outcome guarded = fit(4, true, false);
  check_same(guarded);
  CHECK(guarded.launches == 12);
  // Eight in flight, four to a launch: (1), (2 .. 5), (6).
  CHECK(fit(8, true, false).launches == 9);
  // A callback that reads the weights after each batch launches what is recorded first: here
  // step 6 (queued after step 2 reported), when step 3's callback reads them.
  const outcome read = fit(4, true, true);
  check_same(read);
  CHECK(read.launches == 12);
}

TEST_CASE("fused step: steps recorded and not yet launched run before anything reads the device") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  using Engine = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t>::engine_type;
  const fusion_policy scope(gpu::step_fusion::always);
  fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.5f};
  const auto y = class_labels(3);
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                  std::span<const float>(features), std::span<const int>(y)) |
              fd::batch<8>();
  auto it = data.begin();  // (the batch lives in the iterator)
  const auto& batch = *it;
  Net net;
  // One step queued with four in flight (two to a launch): `read` launches it, and `own` more.
  auto recorded = [&](auto&& read, std::uint64_t own = 0) {
    Engine engine;
    engine.build(opt, fc::precision::float32);
    engine.steps_in_flight(4);
    for (float& p : engine.parameters()) p = 0.05f;
    const std::uint64_t before = gpu::fused_launches().load();
    engine.enqueue_step(net, batch, opt, false, false);
    CHECK(gpu::fused_launches().load() == before);  // recorded, waiting for a second step
    read(engine);
    CHECK(gpu::fused_launches().load() - before == 1 + own);
    CHECK(engine.finish_step(opt) == doctest::Approx(std::log(3.0)).epsilon(1e-6));
    CHECK(gpu::fused_launches().load() - before == 1 + own);
  };
  // The weights (a callback's read), the gradients (the guards'), evaluate's forward pass.
  recorded([](Engine& e) {
    const auto p = e.parameters();
    CHECK(std::any_of(p.begin(), p.end(), [](float v) { return v != 0.05f; }));
  });
  recorded([](Engine& e) {
    const auto g = e.gradients();
    CHECK(std::any_of(g.begin(), g.end(), [](float v) { return v != 0.0f; }));
  });
  // evaluate's forward pass (a launch of its own) sees the step's update: zero weights give
  // log(3), the step moved them towards the batch's labels.
  recorded(
      [&](Engine& e) {
        CHECK(e.forward_loss(net, batch, fc::nn::mode::inference) < std::log(3.0) - 1e-3);
      },
      1);
}

TEST_CASE("fused step: evaluate and predict run fused, as unfused") {
  // A penalised network with Dropout: the penalty is part of evaluate's loss, Dropout passes
  // its inputs through at inference.
  using Net = fc::Sequential<
      fc::Input<6>, fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>>, fc::ReLU,
      fc::Dropout<std::ratio<1, 4>>, fc::Dense<3>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  struct seen {
    fc::Logs logs;
    std::vector<float> predicted;
    std::uint64_t launches;
  };
  auto run = [&](gpu::step_fusion policy) {
    const fusion_policy scope(policy);
    auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                    std::span<const float>(features), std::span<const int>(y)) |
                fd::batch<16>();  // 16, 16, 8
    fc::Model<Net, L, fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t> model(
        fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{6});
    (void)model.fit(data, fc::Epochs{2}, fc::Verbose{0});
    seen r;
    const std::uint64_t before = gpu::fused_launches().load();
    r.logs = model.evaluate(data);
    const auto out = model.predict(data);
    r.predicted.assign(out.begin(), out.end());
    r.launches = gpu::fused_launches().load() - before;
    return r;
  };
  const seen fused = run(gpu::step_fusion::automatic), plain = run(gpu::step_fusion::never);
  CHECK(fused.launches == 6);  // three batches each
  CHECK(plain.launches == 0);
  CHECK(fused.logs.at("loss") == doctest::Approx(plain.logs.at("loss")).epsilon(1e-6));
  CHECK(fused.logs.at("accuracy") == plain.logs.at("accuracy"));
  REQUIRE(fused.predicted.size() == 40 * 3);
  CHECK(fc::test::max_abs_diff(fused.predicted, plain.predicted) <= 1e-6);
}

TEST_CASE("fused step: a fit whose steps fuse and do not, in turn, keeps their order") {
  // 3 x 48 x 17,411 multiply-adds a step: over fused_auto_macs, so a batch of 48 runs kernel by
  // kernel; the batch of 10 that ends each pass over the data fuses. Eight steps in flight: a
  // fused step recorded and not yet launched must run before the unfused step queued after it.
  using Net = fc::Sequential<fc::Input<64>, fc::Dense<256>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  constexpr std::size_t n = 106;
  const std::vector<float> x = fc::test::random_values<float>(n * 64, 17);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = int(std::size_t(std::abs(x[i * 64 + 5]) * 1000) % 3);
  auto make = [&] {
    return fd::from_tensor_slices<fc::Features<64>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                      std::span<const int>(y)) |
           fd::batch<48>() | fd::repeat();  // 48, 48, 10, 48, 48, 10, ...
  };
  const fusion_policy scope(gpu::step_fusion::automatic);
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 1e-3f};
  fc::Model<Net, L, fc::cuda_t> fitted(opt, fc::Seed{5}), looped(opt, fc::Seed{5});
  auto train = make();
  reports log;
  std::uint64_t before = gpu::fused_launches().load();
  (void)fitted.fit(train, fc::Epochs{2}, fc::StepsPerEpoch{7}, fc::StepsPerExecution{8},
                   fc::Verbose{0}, log);
  CHECK(gpu::fused_launches().load() - before == 4);  // the batches of 10: steps 3, 6, 9, 12
  // The same 14 batches, one synchronous train_step each.
  auto again = make();
  std::vector<double> means;
  double sum = 0;
  std::size_t step = 0;
  before = gpu::fused_launches().load();
  for (auto it = again.begin(); means.size() < 14; ++it) {
    if (step == 7) sum = 0, step = 0;
    sum += looped.train_step(*it);
    means.push_back(sum / double(++step));
  }
  CHECK(gpu::fused_launches().load() - before == 4);
  CHECK(log.mean_losses == means);
  const auto a = fitted.parameters();
  const auto b = looped.parameters();
  CHECK(std::vector<float>(a.begin(), a.end()) == std::vector<float>(b.begin(), b.end()));
}
