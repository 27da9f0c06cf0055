// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Model<Net, Loss, fc::cuda_t> against the CPU backend and the PyTorch reference run: the same
// losses and parameters to 1e-4 with every supported loss, activation and optimizer.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gpu_test_support.hpp"
#include <support/errors.hpp>

#include "../unit/train/pytorch_reference.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;

void check_reference_run(const fc::optim::Optimizer& opt, const std::string& name) {
  fc::Model<SeedNet, fc::loss::BinaryCrossentropy, fc::cuda_t> gpu(opt);
  fc::Model<SeedNet, fc::loss::BinaryCrossentropy> cpu(opt);
  set_seed_parameters(gpu, "init");
  set_seed_parameters(cpu, "init");
  const seed_data data;
  auto train = data.batches();
  const auto expected = load_losses("seed_mlp_losses_" + name + ".txt");
  REQUIRE(expected.size() == 20);
  std::size_t t = 0;
  double worst_torch = 0, worst_cpu = 0;
  for (const auto& batch : train) {
    const double loss = gpu.train_step(batch);
    const double cpu_loss = cpu.train_step(batch);
    CAPTURE(t);
    CHECK(std::abs(loss - expected[t]) <= 1e-4);
    CHECK(std::abs(loss - cpu_loss) <= 1e-4);
    worst_torch = std::max(worst_torch, std::abs(loss - expected[t]));
    worst_cpu = std::max(worst_cpu, std::abs(loss - cpu_loss));
    ++t;
  }
  CHECK(t == 20);
  MESSAGE(name << " on cuda_t: largest loss difference to PyTorch " << worst_torch
               << ", to the CPU backend " << worst_cpu);

  fc::Model<SeedNet, fc::loss::BinaryCrossentropy> final_params(fc::optim::SGD{});
  set_seed_parameters(final_params, "final_" + name);
  CHECK(fc::test::max_abs_diff(std::vector<float>(gpu.parameters().begin(), gpu.parameters().end()),
                               std::vector<float>(final_params.parameters().begin(),
                                                  final_params.parameters().end())) <= 1e-4);
}

// Trains the same model on both backends from the same seed for `steps` batches of `x`, `y`;
// the losses, final parameters and gradients agree to 1e-4.
template <class Net, class Loss, class Label, class Y>
void check_against_cpu(const fc::optim::Optimizer& opt, const std::vector<float>& x,
                       const std::vector<Y>& y) {
  fc::Model<Net, Loss, fc::cuda_t> gpu(opt, fc::Seed{7});
  fc::Model<Net, Loss> cpu(opt, fc::Seed{7});
  auto data = fd::from_tensor_slices<fc::Features<Net::input_size>, Label>(
                  std::span<const float>(x), std::span<const Y>(y)) |
              fd::batch<13>();  // 40 samples: 3 full batches and a partial one
  double worst = 0;
  for (int epoch = 0; epoch < 3; ++epoch) {
    for (const auto& batch : data) {
      const double a = gpu.train_step(batch);
      const double b = cpu.train_step(batch);
      CHECK(std::isfinite(a));
      worst = std::max(worst, std::abs(a - b));
    }
  }
  CHECK(worst <= 1e-4);
  const auto gp = gpu.parameters();
  const auto cp = cpu.parameters();
  CHECK(fc::test::max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                               std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
  const auto gg = gpu.gradients();
  const auto cg = cpu.gradients();
  CHECK(fc::test::max_abs_diff(std::vector<float>(gg.begin(), gg.end()),
                               std::vector<float>(cg.begin(), cg.end())) <= 1e-4);
}

constexpr std::size_t samples = 40;
const std::vector<float> features = fc::test::random_values<float>(samples * 6, 21);
std::vector<int> class_labels(std::size_t k) {
  std::vector<int> v(samples);
  for (std::size_t i = 0; i < samples; ++i)
    v[i] = int(std::size_t(std::abs(features[i * 6] * 1000.0f)) % k);
  return v;
}

// The classifier several cases train on both backends, and its data: the 40 samples with three
// classes in batches of 8, in order or shuffled by a fixed seed.
using Small = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using SmallLoss = fc::loss::SparseCategoricalCrossentropy;
auto three_classes() {
  static const std::vector<int> y = class_labels(3);
  return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
      std::span<const float>(features), std::span<const int>(y));
}
auto in_order() { return three_classes() | fd::batch<8>(); }
auto shuffled() { return three_classes() | fd::shuffle(40, fc::Seed{3}) | fd::batch<8>(); }
}  // namespace

TEST_CASE("gpu model: the seed MLP trained with SGD matches PyTorch and the CPU backend") {
  check_reference_run(fc::optim::SGD{.learning_rate = 0.1f}, "sgd");
}

TEST_CASE("gpu model: the seed MLP trained with Adam matches PyTorch and the CPU backend") {
  check_reference_run(fc::optim::Adam{.learning_rate = 1e-3f, .epsilon = 1e-8f}, "adam");
}

TEST_CASE("gpu model: sparse categorical cross-entropy over softmax, every optimizer") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<9>, fc::Tanh, fc::Dense<4>, fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(4);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::SGD{.learning_rate = 0.1f}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.9f, .nesterov = true}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::Adam{.learning_rate = 1e-2f}, features,
                                               y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::AdamW{.learning_rate = 1e-2f}, features,
                                               y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.9f, .centered = true}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::Adam{.learning_rate = 1e-2f, .global_clipnorm = 0.05f}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::SGD{.learning_rate = 0.1f, .clipvalue = 0.01f}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::Adagrad{.learning_rate = 5e-2f},
                                               features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::Adamax{.learning_rate = 1e-2f},
                                               features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::Adadelta{.learning_rate = 1.0f},
                                               features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::Lion{.learning_rate = 5e-3f, .weight_decay = 0.1f}, features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(fc::optim::Nadam{.learning_rate = 1e-2f}, features,
                                               y);
  // Gradient accumulation: the accumulator as the fourth slot (all four in use with RMSprop).
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::Adam{.learning_rate = 1e-2f, .global_clipnorm = 0.05f,
                      .gradient_accumulation_steps = 3},
      features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.9f, .centered = true,
                         .gradient_accumulation_steps = 2},
      features, y);
  // The weights' moving average, written over the weights every 5 updates: all five slots.
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .momentum = 0.9f, .centered = true,
                         .use_ema = true, .ema_momentum = 0.8f, .ema_overwrite_frequency = 5,
                         .gradient_accumulation_steps = 2},
      features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::Adam{.learning_rate = 1e-2f, .use_ema = true, .ema_overwrite_frequency = 5},
      features, y);
  check_against_cpu<Net, L, fc::ClassLabel<4>>(
      fc::optim::AdamW{.learning_rate = 1e-2f, .beta_2 = 0.5f, .amsgrad = true}, features, y);
}

TEST_CASE("gpu model: logits forms, categorical cross-entropy, MSE and binary cross-entropy") {
  using Logits = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>>;
  const auto y3 = class_labels(3);
  check_against_cpu<Logits, fc::loss::FromLogits<fc::loss::SparseCategoricalCrossentropy>,
                    fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);

  std::vector<float> onehot(samples * 3, 0.0f);
  for (std::size_t i = 0; i < samples; ++i) onehot[i * 3 + std::size_t(y3[i])] = 1.0f;
  using Soft = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Sigmoid, fc::Dense<3>, fc::Softmax>;
  check_against_cpu<Soft, fc::loss::CategoricalCrossentropy, fc::OneHotLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, onehot);

  using Reg = fc::Sequential<fc::Input<6>, fc::Dense<7>, fc::Tanh, fc::Dense<2>>;
  const auto targets = fc::test::random_values<float>(samples * 2, 22);
  check_against_cpu<Reg, fc::loss::MeanSquaredError, fc::RegressionTarget<2>>(
      fc::optim::SGD{.learning_rate = 0.05f}, features, targets);

  using Bin = fc::Sequential<fc::Input<6>, fc::Dense<5>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  std::vector<int> yb(samples);
  for (std::size_t i = 0; i < samples; ++i) yb[i] = features[i * 6 + 1] > 0.0f ? 1 : 0;
  check_against_cpu<Bin, fc::loss::BinaryCrossentropy, fc::BinaryLabel>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, yb);
}

TEST_CASE("gpu model: Keras' other losses and label smoothing train as on the CPU") {
  using std::ratio;
  namespace fl = fc::loss;
  const auto y3 = class_labels(3);
  using Soft = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Tanh, fc::Dense<3>, fc::Softmax>;
  check_against_cpu<Soft, fl::LabelSmoothing<fl::SparseCategoricalCrossentropy, ratio<1, 10>>,
                    fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);
  std::vector<float> onehot(samples * 3, 0.0f);
  for (std::size_t i = 0; i < samples; ++i) onehot[i * 3 + std::size_t(y3[i])] = 1.0f;
  check_against_cpu<Soft, fl::CategoricalFocalCrossentropy<>, fc::OneHotLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, onehot);

  using Multi = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Sigmoid>;
  std::vector<float> bits(samples * 3);
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = features[i] > 0.3f ? 1.0f : 0.0f;
  check_against_cpu<Multi, fl::BinaryFocalCrossentropy<ratio<2>, ratio<1, 4>>, fc::MultiLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, bits);

  using Rate = fc::Sequential<fc::Input<6>, fc::Dense<7>, fc::Tanh, fc::Dense<2>, fc::Softplus>;
  std::vector<float> counts(samples * 2);
  for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = float(i % 4);
  check_against_cpu<Rate, fl::Poisson, fc::RegressionTarget<2>>(
      fc::optim::SGD{.learning_rate = 0.05f}, features, counts);

  using Raw = fc::Sequential<fc::Input<6>, fc::Dense<7>, fc::Tanh, fc::Dense<3>>;
  check_against_cpu<Raw, fl::CategoricalHinge, fc::OneHotLabel<3>>(
      fc::optim::SGD{.learning_rate = 0.05f}, features, onehot);
}

TEST_CASE("gpu model: TimeDistributed (a fused Dense) and RepeatVector train as on the CPU") {
  const auto y3 = class_labels(3);
  using Steps = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::Tanh, fc::Reshape<4, 3>,
                               fc::TimeDistributed<fc::Dense<5>>, fc::ReLU, fc::Flatten,
                               fc::Dense<3>, fc::Softmax>;
  check_against_cpu<Steps, fc::loss::SparseCategoricalCrossentropy, fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);
  using Repeat = fc::Sequential<fc::Input<6>, fc::Dense<4>, fc::Tanh, fc::RepeatVector<3>,
                                fc::TimeDistributed<fc::Dense<2>>, fc::Flatten, fc::Dense<3>,
                                fc::Softmax>;
  check_against_cpu<Repeat, fc::loss::SparseCategoricalCrossentropy, fc::ClassLabel<3>>(
      fc::optim::SGD{.learning_rate = 0.1f}, features, y3);
}

TEST_CASE("gpu model: the noise layers draw the CPU's noise and train as on the CPU") {
  // Counter-based noise (kernels/dropout.hpp): the same values on both backends, so the runs
  // agree as a model without noise does.
  using std::ratio;
  const auto y3 = class_labels(3);
  using Noisy = fc::Sequential<fc::Input<6>, fc::GaussianNoise<ratio<1, 5>>, fc::Dense<12>,
                               fc::ReLU, fc::Reshape<4, 3>, fc::SpatialDropout1D<ratio<1, 4>>,
                               fc::Flatten, fc::GaussianDropout<ratio<1, 5>>, fc::Dense<3>,
                               fc::Softmax>;
  check_against_cpu<Noisy, fc::loss::SparseCategoricalCrossentropy, fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);
  using SelfNormalising = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::SELU,
                                         fc::AlphaDropout<ratio<1, 10>>, fc::Dense<3>,
                                         fc::Softmax>;
  check_against_cpu<SelfNormalising, fc::loss::SparseCategoricalCrossentropy, fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);
}

TEST_CASE("gpu model: Cropping2D, Cropping1D and ZeroPadding1D train as on the CPU") {
  const auto y3 = class_labels(3);
  using Borders = fc::Sequential<
      fc::Input<6>, fc::Dense<16>, fc::Tanh, fc::Reshape<4, 4, 1>,
      fc::Concatenate<fc::Cropping2D<1>, fc::Branch<fc::Conv2D<2, 3>, fc::ReLU>>,
      fc::Reshape<4, 3>, fc::ZeroPadding1D<1, 2>, fc::Cropping1D<1>, fc::Flatten, fc::Dense<3>,
      fc::Softmax>;
  check_against_cpu<Borders, fc::loss::SparseCategoricalCrossentropy, fc::ClassLabel<3>>(
      fc::optim::Adam{.learning_rate = 1e-2f}, features, y3);
}

TEST_CASE("gpu model: fit, evaluate and predict agree with the CPU backend") {
  using Net = Small;
  using L = SmallLoss;
  const auto make = shuffled;
  auto data_gpu = make();
  auto data_cpu = make();  // one pipeline each: a pipeline's shuffle advances with every pass
  auto data = in_order();
  fc::Model<Net, L, fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t> gpu(
      fc::optim::Adam{.learning_rate = 1e-2f});
  fc::Model<Net, L, fc::Metrics<fc::metrics::Accuracy>> cpu(fc::optim::Adam{.learning_rate = 1e-2f});
  const auto hg = gpu.fit(data_gpu, fc::Epochs{4}, fc::Verbose{0});
  const auto hc = cpu.fit(data_cpu, fc::Epochs{4}, fc::Verbose{0});
  const auto lg = hg["loss"], lc = hc["loss"];
  REQUIRE(lg.size() == 4);
  for (std::size_t e = 0; e < 4; ++e) CHECK(std::abs(lg[e] - lc[e]) <= 1e-4);
  CHECK(hg["accuracy"].back() == doctest::Approx(hc["accuracy"].back()));
  const auto eg = gpu.evaluate(data), ec = cpu.evaluate(data);
  CHECK(std::abs(eg.at("loss") - ec.at("loss")) <= 1e-4);
  const auto pg = gpu.predict(data), pc = cpu.predict(data);
  REQUIRE(pg.size() == pc.size());
  double worst = 0;
  for (std::size_t i = 0; i < pg.size(); ++i)
    worst = std::max(worst, double(std::abs(pg.data()[i] - pc.data()[i])));
  CHECK(worst <= 1e-4);
}

TEST_CASE("gpu model: evaluate's and predict's callbacks see host values, as on the CPU") {
  // The hooks get the running loss and each batch's outputs from the device: the same values
  // the CPU's hooks get (to 1e-4), in host memory a callback can read.
  struct hooks {
    std::vector<double> running;
    std::vector<float> outputs;
    void on_test_batch_end(fc::TrainingState&, double loss) { running.push_back(loss); }
    void on_predict_batch_end(fc::TrainingState&, std::span<const float> out) {
      outputs.insert(outputs.end(), out.begin(), out.end());
    }
  };
  fc::Model<Small, SmallLoss, fc::cuda_t> gpu(fc::optim::Adam{.learning_rate = 1e-2f});
  fc::Model<Small, SmallLoss> cpu(fc::optim::Adam{.learning_rate = 1e-2f});
  auto train_gpu = in_order(), train_cpu = in_order(), data = in_order();
  (void)gpu.fit(train_gpu, fc::Epochs{2}, fc::Verbose{0});
  (void)cpu.fit(train_cpu, fc::Epochs{2}, fc::Verbose{0});
  hooks g, c;
  const double gl = gpu.evaluate(data, g).at("loss");
  (void)cpu.evaluate(data, c);
  REQUIRE(g.running.size() == c.running.size());
  REQUIRE(g.running.size() > 1);
  for (std::size_t i = 0; i < g.running.size(); ++i)
    CHECK(std::abs(g.running[i] - c.running[i]) <= 1e-4);
  CHECK(g.running.back() == doctest::Approx(gl).epsilon(1e-12));
  const auto pg = gpu.predict(data, g);
  (void)cpu.predict(data, c);
  REQUIRE(g.outputs.size() == pg.size());
  CHECK(std::equal(g.outputs.begin(), g.outputs.end(), pg.begin()));
  CHECK(fc::test::max_abs_diff(g.outputs, c.outputs) <= 1e-4);
}

TEST_CASE("gpu model: gradient accumulation, the moving average and F1Score as on the CPU") {
  using Net = Small;
  using L = SmallLoss;
  using F1 = fc::metrics::F1Score<fc::metrics::average::macro>;
  const auto make = in_order;
  const fc::optim::Optimizer opt = fc::optim::Adam{
      .learning_rate = 1e-2f, .use_ema = true, .ema_momentum = 0.9f,
      .gradient_accumulation_steps = 2};
  fc::Model<Net, L, fc::Metrics<F1>, fc::cuda_t> gpu(opt, fc::Seed{5});
  fc::Model<Net, L, fc::Metrics<F1>> cpu(opt, fc::Seed{5});
  auto data_gpu = make();
  auto data_cpu = make();
  const auto hg = gpu.fit(data_gpu, fc::Epochs{4}, fc::Verbose{0});
  const auto hc = cpu.fit(data_cpu, fc::Epochs{4}, fc::Verbose{0});
  CHECK(hg["f1_score"].back() == doctest::Approx(hc["f1_score"].back()));
  const auto gp = gpu.parameters();
  const auto cp = cpu.parameters();
  CHECK(fc::test::max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                               std::vector<float>(cp.begin(), cp.end())) <= 1e-4);
  CHECK(gpu.optimizer().iterations() == 10);  // 20 steps, an update every 2
}

TEST_CASE("gpu model: SwapEMAWeights swaps the device's weights and average as on the CPU") {
  // The swap goes through the engine's copies of the weights and the average's slot: on the
  // device they must validate the average and train on from the weights, as the CPU does.
  using Net = Small;
  using L = SmallLoss;
  const auto make = in_order;
  const fc::optim::Optimizer opt =
      fc::optim::SGD{.learning_rate = 0.2f, .use_ema = true, .ema_momentum = 0.5f};
  for (const bool on_epoch : {false, true}) {
    CAPTURE(on_epoch);
    fc::Model<Net, L, fc::cuda_t> gpu(opt, fc::Seed{5});
    fc::Model<Net, L> cpu(opt, fc::Seed{5}), plain(opt, fc::Seed{5});
    auto train_gpu = make(), val_gpu = make(), train_cpu = make(), val_cpu = make();
    auto train_plain = make(), val_plain = make();
    const auto hg = gpu.fit(train_gpu, fc::Epochs{3}, fc::Validation{val_gpu},
                            fc::callbacks::SwapEMAWeights{.swap_on_epoch = on_epoch},
                            fc::Verbose{0});
    const auto hc = cpu.fit(train_cpu, fc::Epochs{3}, fc::Validation{val_cpu},
                            fc::callbacks::SwapEMAWeights{.swap_on_epoch = on_epoch},
                            fc::Verbose{0});
    const auto hp = plain.fit(train_plain, fc::Epochs{3}, fc::Validation{val_plain},
                              fc::Verbose{0});
    for (std::size_t e = 0; e < 3; ++e) {
      CHECK(hg["val_loss"][e] == doctest::Approx(hc["val_loss"][e]).epsilon(1e-5));
      // The average scores differently from the weights: the swap happened.
      CHECK(std::abs(hc["val_loss"][e] - hp["val_loss"][e]) > 1e-4);
    }
    const auto gp = gpu.parameters();
    const auto cp = cpu.parameters();
    CHECK(fc::test::max_abs_diff(std::vector<float>(gp.begin(), gp.end()),
                                 std::vector<float>(cp.begin(), cp.end())) <= 1e-5);
  }
}

TEST_CASE("gpu model: ClassWeights weigh the training loss as on the CPU, evaluate unweighted") {
  using Net = Small;
  using L = SmallLoss;
  const auto make = shuffled;
  auto data_gpu = make(), data_cpu = make(), data_plain = make();
  fc::Model<Net, L, fc::cuda_t> gpu(fc::optim::Adam{.learning_rate = 1e-2f});
  fc::Model<Net, L> cpu(fc::optim::Adam{.learning_rate = 1e-2f});
  fc::Model<Net, L, fc::cuda_t> plain(fc::optim::Adam{.learning_rate = 1e-2f});
  const fc::ClassWeights weights{0.5, 3.0, 1.0};
  const auto hg = gpu.fit(data_gpu, fc::Epochs{3}, weights, fc::Verbose{0});
  const auto hc = cpu.fit(data_cpu, fc::Epochs{3}, weights, fc::Verbose{0});
  const auto hp = plain.fit(data_plain, fc::Epochs{3}, fc::Verbose{0});
  for (std::size_t e = 0; e < 3; ++e) {
    CHECK(std::abs(hg["loss"][e] - hc["loss"][e]) <= 1e-4);
    CHECK(std::abs(hg["loss"][e] - hp["loss"][e]) > 1e-3);  // the weights did something
  }
  auto data = make();
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-4);
}

TEST_CASE("gpu model: weight penalties join the loss and the gradients as on the CPU") {
  using Net = fc::Sequential<
      fc::Input<6>, fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>>, fc::ReLU,
      fc::Regularized<fc::Dense<3>, fc::L1<std::ratio<1, 50>>, fc::bias_regularizer<fc::L2<>>>,
      fc::Softmax>;
  using L = fc::loss::SparseCategoricalCrossentropy;
  const auto y = class_labels(3);
  check_against_cpu<Net, L, fc::ClassLabel<3>>(fc::optim::Adam{.learning_rate = 1e-2f}, features,
                                               y);
  check_against_cpu<Net, L, fc::ClassLabel<3>>(
      fc::optim::SGD{.learning_rate = 0.1f, .global_clipnorm = 0.05f}, features, y);
  // evaluate counts the penalty (Keras' rule) on the device too.
  fc::Model<Net, L, fc::cuda_t> gpu(fc::optim::Adam{}, fc::Seed{5});
  fc::Model<Net, L> cpu(fc::optim::Adam{}, fc::Seed{5});
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                  std::span<const float>(features), std::span<const int>(y)) |
              fd::batch<8>();
  const std::vector<float> p(cpu.parameters().begin(), cpu.parameters().end());
  const double penalty = fc::kernels::regularize(fc::reference, p.data(), nullptr, Net::penalties);
  CHECK(penalty > 0.01);
  CHECK(std::abs(gpu.evaluate(data).at("loss") - cpu.evaluate(data).at("loss")) <= 1e-5);
}

TEST_CASE("gpu model: parameters written on the host reach the device") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<3>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu;
  for (float& p : gpu.parameters()) p = 0.0f;
  const auto y = class_labels(3);
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                  std::span<const float>(features), std::span<const int>(y)) |
              fd::batch<40>();
  // All-zero parameters: uniform outputs, loss log(3) exactly.
  CHECK(gpu.evaluate(data).at("loss") == doctest::Approx(std::log(3.0)).epsilon(1e-6));
}

TEST_CASE("gpu model: the memory pre-flight (E1) checks the device's free memory") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<3>, fc::Softmax>;
  using Engine = fc::detail::device_engine<Net, fc::loss::SparseCategoricalCrossentropy>;
  // On Thrust's CPU system the device is the host: its free memory is the host's.
  CHECK(Engine::available_memory() > 0);
  const auto plan = fc::plan_memory<Net, fc::ClassLabel<3>>(1000, fc::optimizer_slots::adam);
  CHECK_NOTHROW(fc::check_device_memory(plan, plan.total()));
  try {
    fc::check_device_memory(plan, plan.total() - 1);
    FAIL("expected a resource_error");
  } catch (const fc::resource_error& e) {
    CHECK(std::string(e.what()).find("free on the device [E1]") != std::string::npos);
    CHECK(std::string(e.what()).find("Fix: batch<N>() with N <=") != std::string::npos);
  }
}

TEST_CASE("gpu model: the numeric guards (D3) stop a diverging run as on the CPU") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<4>, fc::Tanh, fc::Dense<2>>;
  std::vector<float> targets(samples * 2, 1e20f);  // squared error overflows float
  auto make = [&] {
    return fd::from_tensor_slices<fc::Features<6>, fc::RegressionTarget<2>>(
               std::span<const float>(features), std::span<const float>(targets)) |
           fd::batch<8>();
  };
  auto data_gpu = make();
  auto data_cpu = make();
  fc::Model<Net, fc::loss::MeanSquaredError, fc::cuda_t> gpu(fc::optim::SGD{});
  fc::Model<Net, fc::loss::MeanSquaredError> cpu(fc::optim::SGD{});
  const fc::Preflight no_scan{.level = fc::check::off};
  std::string gpu_message, cpu_message;
  try {
    (void)gpu.fit(data_gpu, fc::Epochs{1}, fc::Verbose{0}, no_scan);
  } catch (const fc::numeric_error& e) {
    gpu_message = e.what();
  }
  try {
    (void)cpu.fit(data_cpu, fc::Epochs{1}, fc::Verbose{0}, no_scan);
  } catch (const fc::numeric_error& e) {
    cpu_message = e.what();
  }
  CHECK(!gpu_message.empty());
  CHECK(gpu_message == cpu_message);
}

namespace {
// What the cuda backend names as the running operation, each time a Probe layer runs.
std::vector<std::string> probe_log;

void note_operation() {
  const fc::kernels::operation& op = fc::kernels::gpu::detail::current_operation();
  probe_log.push_back(std::string(op.what) + " " + std::to_string(op.index) + " " + op.layer);
}

}  // namespace

// A layer that passes its input through and notes the operation it runs in. Not in the unnamed
// namespace: nvcc would warn that its members are unreferenced (it does not see the Sequential
// read them).
namespace gpu_model_test {
struct Probe {
  static constexpr fc::Dims output_dims(fc::Dims in) { return in; }
  template <fc::Dims In>
  struct bind {
    using input_shape = fc::shape_t<In>;
    using output_shape = fc::shape_t<In>;
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Probe";
    template <class T>
    void forward(const T*, const T* x, T* y, std::size_t batch, fc::nn::mode, fc::cuda_t be) const {
      note_operation();
      fc::kernels::gpu::copy_on_device(be, x, y, batch * In.size());
    }
    template <class T>
    void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                  fc::cuda_t be) const {
      note_operation();
      if (dx != nullptr) fc::kernels::gpu::copy_on_device(be, dy, dx, batch * In.size());
    }
  };
};
}  // namespace gpu_model_test

TEST_CASE("gpu model: a layer's kernels run in an operation that names the layer") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<4>, gpu_model_test::Probe, fc::Dense<3>,
                             fc::Softmax>;
  const auto y = class_labels(3);
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                  std::span<const float>(features), std::span<const int>(y)) |
              fd::batch<8>();
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu;
  probe_log.clear();
  (void)gpu.train_step(*data.begin());
  // Layer 1 (Dense is 0), as the guards count; the step's operations are over.
  CHECK(probe_log == std::vector<std::string>{"forward 1 Probe", "backward 1 Probe"});
  CHECK(fc::kernels::gpu::detail::current_operation().what == nullptr);
}

TEST_CASE("gpu model: a CUDA failure names the operation it happened in, and how to pin it down") {
  namespace gd = fc::kernels::gpu::detail;
  using fc::test::contains;
  {
    fc::kernels::operation_scope<fc::cuda_t> outer(fc::cuda, {"the loss"});
    {
      fc::kernels::operation_scope<fc::cuda_t> op(fc::cuda, {"backward", "Dense", 2});
      const std::string m = fc::test::message_of<fc::resource_error>([] {
        gd::raise_cuda_error("the GEMM kernel launch", "too many resources requested for launch");
      });
      CHECK(m.find("cuda backend: the GEMM kernel launch failed in layer 2 (Dense) backward: too "
                   "many resources requested for launch") == 0);
      CHECK(contains(m, "rerun with FITCHECK_CUDA_SYNC=1"));
    }
    // Closed normally: the enclosing operation again.
    REQUIRE(gd::current_operation().what != nullptr);
    CHECK(std::string(gd::current_operation().what) == "the loss");
    const std::string m = fc::test::message_of<fc::resource_error>([] {
      gd::raise_cuda_error("cudaEventSynchronize", "an illegal memory access was encountered");
    });
    CHECK(m.find("cuda backend: cudaEventSynchronize failed in the loss: an illegal memory access "
                 "was encountered") == 0);
  }
  CHECK(gd::current_operation().what == nullptr);
  // A Thrust algorithm that fails inside an engine's entry point: the operation it failed in is
  // named, and afterwards none runs.
  const std::string m = fc::test::message_of<fc::resource_error>([] {
    gd::reporting_errors([] {
      fc::kernels::operation_scope<fc::cuda_t> op(fc::cuda, {"forward", "Conv2D", 1});
      throw thrust::system_error(22, thrust::generic_category(), "transform: failed to launch kernel");
    });
  });
  CHECK(m.find("cuda backend: a Thrust algorithm failed in layer 1 (Conv2D) forward: transform: "
               "failed to launch kernel") == 0);
  CHECK(gd::current_operation().what == nullptr);
}

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
// Only on a GPU (scripts/test-gpu): device memory that runs out after the pre-flight passed.
TEST_CASE("gpu model: device memory that runs out during training is [E2]") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<4>, fc::Tanh, fc::Dense<3>, fc::Softmax>;
  const auto y = class_labels(3);
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                  std::span<const float>(features), std::span<const int>(y)) |
              fd::batch<8>();
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> gpu;
  // When training begins (the pre-flight has passed, the first step has not yet sized the
  // device buffers) another user of the GPU takes every free byte.
  struct Hog {
    std::vector<void*> blocks;
    void on_train_begin(fc::TrainingState&) {
      for (std::size_t size = std::size_t{1} << 30; size >= 256;) {
        void* p = nullptr;
        if (cudaMalloc(&p, size) == cudaSuccess) {
          blocks.push_back(p);
        } else {
          (void)cudaGetLastError();
          size /= 2;
        }
      }
    }
    ~Hog() {
      for (void* p : blocks) cudaFree(p);
    }
  } hog;
  const std::string msg = fc::test::message_of<fc::resource_error>(
      [&] { (void)gpu.fit(data, fc::Epochs{2}, fc::Verbose{0}, hog); });
  (void)cudaGetLastError();
  CHECK(!hog.blocks.empty());
  CHECK(msg.find("out of memory during training, at epoch 1, step 1: a batch of 8 needs") == 0);
  CHECK(msg.find("([E2]; checkpoints and logs written so far are kept)") != std::string::npos);
}
#endif

TEST_CASE("gpu model: summary names the GPU and the precision of the matrix products") {
  const fc::Model<SeedNet, fc::loss::BinaryCrossentropy, fc::cuda_t,
                  fc::Precision<fc::precision::bf16>>
      model(fc::optim::Adam{});
  const std::string s = model.summary(fc::BatchSize{32});
  CHECK(s.find("Backend: GPU (fc::cuda_t), matrix products in bf16\n") != std::string::npos);
  CHECK(s.find("Memory to train at batch 32: ") != std::string::npos);
}

TEST_CASE("gpu model: TF32 and bfloat16 precision policies train close to float32") {
  const seed_data data;
  auto train = data.batches();
  const auto run = [&]<class... P>(P...) {
    fc::Model<SeedNet, fc::loss::BinaryCrossentropy, fc::cuda_t, P...> model(
        fc::optim::Adam{.learning_rate = 1e-3f, .epsilon = 1e-8f});
    set_seed_parameters(model, "init");
    std::vector<double> losses;
    for (const auto& batch : train) losses.push_back(model.train_step(batch));
    return losses;
  };
  const auto f32 = run();
  const auto tf32 = run(fc::Precision<fc::precision::tf32>{});
  const auto bf16 = run(fc::Precision<fc::precision::bf16>{});
  REQUIRE(f32.size() == 20);
  double worst_tf32 = 0, worst_bf16 = 0;
  for (std::size_t t = 0; t < f32.size(); ++t) {
    worst_tf32 = std::max(worst_tf32, std::abs(tf32[t] - f32[t]));
    worst_bf16 = std::max(worst_bf16, std::abs(bf16[t] - f32[t]));
  }
  MESSAGE("largest loss difference to float32: TF32 " << worst_tf32 << ", bfloat16 "
                                                      << worst_bf16);
  // The policies change the numbers (the products' operands are rounded) by about their
  // precision: TF32 keeps 10 mantissa bits, bfloat16 7.
  CHECK(worst_tf32 > 0.0);
  CHECK(worst_tf32 <= 5e-4);
  CHECK(worst_bf16 > worst_tf32);
  CHECK(worst_bf16 <= 2e-3);
  CHECK(bf16.back() < bf16.front());  // and it still learns
}
