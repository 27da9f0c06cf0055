// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Each optimizer's first three steps on a three-parameter vector with fixed gradients, against
// values computed in float64 from PyTorch's documented algorithms (torch.optim.SGD, Adam, AdamW,
// RMSprop pseudo-code), then the optimizers at work inside a Model.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/fitcheck.hpp>

namespace optim_optimizer_test {

namespace fc = fitcheck;
using fitcheck::test::contains;
using fitcheck::test::message_of;
namespace fo = fitcheck::optim;
namespace fd = fitcheck::data;

// The contract: aggregates (designated initializers in Keras' argument order), and a learning
// rate that is plain data, so evaluating it per step cannot allocate.
static_assert(std::is_aggregate_v<fo::SGD> && std::is_aggregate_v<fo::Adam> &&
              std::is_aggregate_v<fo::AdamW> && std::is_aggregate_v<fo::RMSprop> &&
              std::is_aggregate_v<fo::Adagrad> && std::is_aggregate_v<fo::Adamax> &&
              std::is_aggregate_v<fo::Adadelta> && std::is_aggregate_v<fo::Lion> &&
              std::is_aggregate_v<fo::Nadam>);
static_assert(std::is_trivially_copyable_v<fo::LearningRate>);
static_assert(std::is_convertible_v<fo::SGD, fo::Optimizer> &&
              std::is_convertible_v<fo::RMSprop, fo::Optimizer>);

namespace {
// The argument_error a call throws (exactly that type), its message.
template <class F>
std::string error_of(F&& f) {
  return message_of<fc::argument_error>(std::forward<F>(f));
}
using Steps = std::array<std::array<double, 3>, 3>;

constexpr std::array<float, 3> start = {1.0f, -2.0f, 0.5f};
constexpr std::array<std::array<float, 3>, 3> grads = {{
    {0.5f, -1.0f, 0.25f},
    {0.2f, 0.4f, -0.6f},
    {-0.3f, 0.1f, 0.8f},
}};

// The parameters after each of three updates with `grads`.
Steps run(fo::Optimizer opt) {
  std::vector<float> p(start.begin(), start.end());
  fo::host_state opt_state(opt, p.size());
  Steps out{};
  for (std::size_t t = 0; t < 3; ++t) {
    std::vector<float> g(grads[t].begin(), grads[t].end());
    opt.update(opt_state, p, g);
    for (std::size_t i = 0; i < 3; ++i) out[t][i] = p[i];
  }
  CHECK(opt.iterations() == 3);
  return out;
}

void check_steps(const Steps& got, const Steps& want) {
  for (std::size_t t = 0; t < 3; ++t) {
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(t + 1);
      CAPTURE(i);
      CAPTURE(got[t][i]);
      CAPTURE(want[t][i]);
      CHECK(std::abs(got[t][i] - want[t][i]) <= 2e-6);
    }
  }
}

}  // namespace

TEST_CASE("optim: SGD without momentum is p -= lr * g") {
  // By hand: 1 - 0.1 * 0.5 = 0.95; 0.95 - 0.1 * 0.2 = 0.93; 0.93 + 0.1 * 0.3 = 0.96.
  check_steps(run(fo::SGD{.learning_rate = 0.1f}), Steps{{{0.95, -1.9, 0.475},
                                                          {0.93, -1.94, 0.535},
                                                          {0.96, -1.95, 0.455}}});
}

TEST_CASE("optim: SGD momentum: b = g at step 1, then momentum * b + g (PyTorch)") {
  // Step 2: b = 0.9 * 0.5 + 0.2 = 0.65, p = 0.95 - 0.065 = 0.885.
  // Step 3: b = 0.9 * 0.65 - 0.3 = 0.285, p = 0.885 - 0.0285 = 0.8565.
  check_steps(run(fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f}),
              Steps{{{0.95, -1.9, 0.475}, {0.885, -1.85, 0.5125}, {0.8565, -1.815, 0.46625}}});
}

TEST_CASE("optim: SGD Nesterov with weight decay: g += wd p, step g + momentum * b") {
  // Step 1: g = 0.5 + 0.01 * 1 = 0.51, b = 0.51, step = 0.51 + 0.9 * 0.51 = 0.969,
  // p = 1 - 0.0969 = 0.9031.
  check_steps(run(fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f, .nesterov = true,
                          .weight_decay = 0.01f}),
              Steps{{{0.9031, -1.8062, 0.45155},
                     {0.82207411, -1.79614822, 0.544037055},
                     {0.823401658, -1.76831452, 0.420648129}}});
}

TEST_CASE("optim: Adam's first steps follow PyTorch's bias-corrected update") {
  // Step 1: mhat = g, vhat = g^2, so p -= lr * g / (|g| + eps): 1 - 0.01 = 0.99.
  check_steps(run(fo::Adam{.learning_rate = 0.01f}),
              Steps{{{0.99, -1.99, 0.49},
                     {0.981014248, -1.98654394, 0.494293415},
                     {0.978058715, -1.98447499, 0.491426462}}});
}

TEST_CASE("optim: AdamW decays the weights by lr * wd before the Adam step") {
  // Step 1: p = 1 * (1 - 0.01 * 0.1) = 0.999, then Adam's 0.01: 0.989.
  check_steps(run(fo::AdamW{.learning_rate = 0.01f, .weight_decay = 0.1f}),
              Steps{{{0.989, -1.988, 0.4895},
                     {0.979025248, -1.98255594, 0.493303915},
                     {0.97509069, -1.97850443, 0.489943658}}});
  // Without decay AdamW is Adam.
  check_steps(run(fo::AdamW{.learning_rate = 0.01f, .weight_decay = 0.0f}),
              run(fo::Adam{.learning_rate = 0.01f}));
}

TEST_CASE("optim: AdamW defaults are PyTorch's") {
  const fo::AdamW w{};
  CHECK(w.weight_decay == 0.01f);
  CHECK(w.learning_rate(0) == 1e-3f);
  CHECK(w.beta_1 == 0.9f);
  CHECK(w.beta_2 == 0.999f);
  CHECK(w.epsilon == 1e-8f);
}

TEST_CASE("optim: RMSprop: v = rho v + (1 - rho) g^2, p -= lr g / (sqrt(v) + eps)") {
  // Step 1: v = 0.1 g^2, so p -= 0.01 * g / (0.316.. |g|): 1 - 0.0316228 = 0.968377.
  check_steps(run(fo::RMSprop{.learning_rate = 0.01f}),
              Steps{{{0.968377225, -1.96837722, 0.468377227},
                     {0.956091324, -1.98066313, 0.497785811},
                     {0.972643441, -1.98388391, 0.472670579}}});
  const fo::RMSprop keras_defaults{};
  CHECK(keras_defaults.rho == 0.9f);
  CHECK(keras_defaults.learning_rate(0) == 1e-3f);
}

TEST_CASE("optim: RMSprop adds epsilon after the square root (PyTorch), not inside (Keras)") {
  // A large epsilon makes the placement visible: v = 0.1 * 0.25 = 0.025,
  // PyTorch: 1 - 0.1 * 0.5 / (sqrt(0.025) + 0.1) = 0.806287; Keras' sqrt(0.025 + 0.1): 0.858579.
  fo::Optimizer opt(fo::RMSprop{.learning_rate = 0.1f, .epsilon = 0.1f});
  fo::host_state opt_state(opt, 1);
  std::vector<float> p = {1.0f};
  std::vector<float> g = {0.5f};
  opt.update(opt_state, p, g);
  CHECK(p[0] == doctest::Approx(0.806287057).epsilon(1e-6));
}

TEST_CASE("optim: RMSprop centered, with momentum and weight decay") {
  // Step 1: g = 0.51, v = 0.1 g^2, a = 0.1 g, v - a^2 = 0.09 g^2, b = g / (0.3 g) = 3.333..,
  // p = 1 - 0.01 * 3.333.. = 0.966667.
  check_steps(run(fo::RMSprop{.learning_rate = 0.01f, .momentum = 0.9f, .centered = true,
                              .weight_decay = 0.01f}),
              Steps{{{0.966666669, -1.96666667, 0.466666671},
                     {0.922940921, -1.94839226, 0.466449693},
                     {0.899713853, -1.93453973, 0.440764461}}});
}

TEST_CASE("optim: a schedule sets each step's rate from the updates made before it") {
  // Keras' convention: the first update runs at step 0. Boundaries {1}: steps 0 and 1 use 1.0,
  // step 2 on uses 0.1 (PiecewiseConstantDecay holds values[0] while step <= boundary).
  fo::Optimizer opt(fo::SGD{.learning_rate = fo::PiecewiseConstantDecay{{1}, {1.0f, 0.1f}}});
  fo::host_state opt_state(opt, 1);
  std::vector<float> p = {0.0f};
  std::vector<float> expected = {-1.0f, -2.0f, -2.1f, -2.2f};
  CHECK(opt.learning_rate() == 1.0f);
  CHECK(opt.has_schedule());
  for (float want : expected) {
    std::vector<float> g = {1.0f};
    opt.update(opt_state, p, g);
    CHECK(p[0] == doctest::Approx(want).epsilon(1e-6));
  }
  CHECK(opt.iterations() == 4);
  CHECK(opt.learning_rate() == doctest::Approx(0.1).epsilon(1e-7));
}

TEST_CASE("optim: momentum buffers exclude the rate, so a new rate scales the whole step") {
  // PyTorch's form (p -= lr * b): when the schedule drops to 0 the parameters stop at once.
  // Keras' form keeps lr inside the buffer and would still move them by momentum * b.
  const fo::LearningRate one_then_zero = fo::PiecewiseConstantDecay{{0}, {1.0f, 0.0f}};
  for (fo::Optimizer opt :
       {fo::Optimizer(fo::SGD{.learning_rate = one_then_zero, .momentum = 0.5f}),
        fo::Optimizer(fo::RMSprop{.learning_rate = one_then_zero, .momentum = 0.5f})}) {
    fo::host_state opt_state(opt, 1);
    std::vector<float> p = {1.0f};
    std::vector<float> g = {0.5f};
    opt.update(opt_state, p, g);
    const float after_first = p[0];
    CHECK(after_first < 0.6f);  // it moved with rate 1
    g = {0.5f};
    opt.update(opt_state, p, g);
    CHECK(p[0] == after_first);
  }
}

TEST_CASE("optim: learning_rate() follows the schedule, set_learning_rate replaces it") {
  fo::Optimizer opt(
      fo::Adam{.learning_rate = fo::ExponentialDecay{
                   .initial_learning_rate = 0.1f, .decay_steps = 2, .decay_rate = 0.5f}});
  fo::host_state opt_state(opt, 2);
  std::vector<float> p = {1.0f, 1.0f};
  CHECK(opt.learning_rate() == doctest::Approx(0.1).epsilon(1e-7));
  for (int i = 0; i < 4; ++i) {
    std::vector<float> g = {0.1f, -0.2f};
    opt.update(opt_state, p, g);
  }
  CHECK(opt.learning_rate() == doctest::Approx(0.1 * 0.25).epsilon(1e-6));  // 0.5^(4/2)

  opt.set_learning_rate(0.5f);  // e.g. ReduceLROnPlateau
  CHECK_FALSE(opt.has_schedule());
  CHECK(opt.learning_rate() == 0.5f);
  CHECK(opt.iterations() == 4);  // the moments and the step count are kept
  const auto& adam = std::get<fo::Adam>(opt.settings());
  CHECK(adam.learning_rate.is_constant());
  CHECK(adam.learning_rate(1000) == 0.5f);

  // The new constant drives the next update: SGD makes it visible as p -= 0.5 * g.
  fo::Optimizer sgd(fo::SGD{.learning_rate = fo::CosineDecay{.initial_learning_rate = 1.0f,
                                                              .decay_steps = 10}});
  fo::host_state sgd_state(sgd, 1);
  std::vector<float> q = {0.0f};
  sgd.set_learning_rate(0.25f);
  std::vector<float> g = {2.0f};
  sgd.update(sgd_state, q, g);
  CHECK(q[0] == -0.5f);

  CHECK(contains(error_of([&] { sgd.set_learning_rate(-1.0f); }), "must be a finite number >= 0"));
  CHECK(contains(error_of([&] { sgd.set_learning_rate(std::nanf("")); }), "Fix: "));
  CHECK(sgd.learning_rate() == 0.25f);  // a rejected value changes nothing
}

TEST_CASE("optim: hyperparameters are checked when the Optimizer is built") {
  auto build = [](auto config) {
    return error_of([&] {
      fo::Optimizer opt(config);
      (void)opt;
    });
  };
  CHECK(contains(build(fo::SGD{.learning_rate = -0.1f}),
            "SGD: learning_rate is -0.1, but a learning rate must be a finite number >= 0. Fix: "));
  CHECK(contains(build(fo::SGD{.momentum = 1.0f}), "SGD: momentum is 1, outside [0, 1). Fix: "));
  CHECK(contains(build(fo::SGD{.momentum = -0.5f}), "momentum is -0.5"));
  CHECK(contains(build(fo::SGD{.nesterov = true}), "SGD: nesterov is true but momentum is 0"));
  CHECK(contains(build(fo::SGD{.weight_decay = -1e-4f}), "SGD: weight_decay is -1e-04"));
  CHECK(contains(build(fo::Adam{.beta_1 = 1.0f}), "Adam: beta_1 is 1, outside [0, 1)"));
  CHECK(contains(build(fo::Adam{.beta_2 = -0.1f}), "Adam: beta_2 is -0.1"));
  CHECK(contains(build(fo::Adam{.epsilon = 0.0f}), "Adam: epsilon is 0"));
  CHECK(contains(build(fo::AdamW{.weight_decay = -0.01f}), "AdamW: weight_decay is -0.01"));
  CHECK(contains(build(fo::AdamW{.beta_1 = 1.5f}), "AdamW: beta_1 is 1.5"));
  CHECK(contains(build(fo::RMSprop{.rho = 1.0f}), "RMSprop: rho is 1, outside [0, 1)"));
  CHECK(contains(build(fo::RMSprop{.momentum = 1.0f}), "RMSprop: momentum is 1"));
  CHECK(contains(build(fo::RMSprop{.learning_rate = std::nanf("")}),
                 "RMSprop: learning_rate is nan"));
  CHECK(contains(build(fo::Adam{.clipvalue = 1.0f, .global_clipnorm = 1.0f}),
            "Adam: both clipvalue and global_clipnorm are set"));
  CHECK(contains(build(fo::SGD{.clipvalue = 0.0f}), "SGD: clipvalue is 0, but it must be > 0"));
  CHECK(contains(build(fo::RMSprop{.global_clipnorm = -1.0f}), "RMSprop: global_clipnorm is -1"));
  // A schedule is checked through the optimizer that holds it.
  CHECK(contains(build(fo::Adam{.learning_rate = fo::ExponentialDecay{.initial_learning_rate = 0.1f,
                                                                 .decay_rate = 0.5f}}),
            "Adam: learning_rate: decay_steps is 0"));
  // Sound values build.
  CHECK_NOTHROW(fo::Optimizer(fo::SGD{.learning_rate = 0.0f, .momentum = 0.99f, .nesterov = true}));
  CHECK_NOTHROW(fo::Optimizer(fo::RMSprop{.momentum = 0.9f, .centered = true, .clipvalue = 5.0f}));
  CHECK(contains(build(fo::Adagrad{.initial_accumulator_value = -0.1f}),
                 "Adagrad: initial_accumulator_value is -0.1"));
  CHECK(contains(build(fo::Adagrad{.epsilon = 0.0f}), "Adagrad: epsilon is 0"));
  CHECK(contains(build(fo::Adamax{.beta_2 = 1.0f}), "Adamax: beta_2 is 1, outside [0, 1)"));
  CHECK(contains(build(fo::Adadelta{.rho = 1.0f}), "Adadelta: rho is 1, outside [0, 1)"));
  CHECK(contains(build(fo::Lion{.beta_1 = -0.5f}), "Lion: beta_1 is -0.5"));
  CHECK(contains(build(fo::Lion{.weight_decay = -1.0f}), "Lion: weight_decay is -1"));
  CHECK(contains(build(fo::Lion{.clipvalue = 1.0f, .global_clipnorm = 1.0f}),
                 "Lion: both clipvalue and global_clipnorm are set"));
  CHECK(std::string(fo::Optimizer(fo::Adadelta{}).name()) == "Adadelta");
  CHECK(contains(build(fo::Nadam{.momentum_decay = -1.0f}), "Nadam: momentum_decay is -1"));
  CHECK(contains(build(fo::Nadam{.beta_1 = 1.0f}), "Nadam: beta_1 is 1, outside [0, 1)"));
}

TEST_CASE("optim: Keras' other optimizers, their first steps and defaults") {
  // Lion moves every parameter by exactly lr per step, against the sign of the momentum;
  // a zero gradient at the start moves nothing; weight decay shrinks p first.
  {
    fo::Optimizer opt(fo::Lion{.learning_rate = 0.1f});
    std::vector<float> p = {1.0f, -2.0f, 0.5f}, g = {0.3f, -5.0f, 0.0f};
    fo::host_state state(opt, p.size());
    opt.update(state, p, g);
    CHECK(p == std::vector<float>{0.9f, -1.9f, 0.5f});
    fo::Optimizer decayed(fo::Lion{.learning_rate = 0.1f, .weight_decay = 0.5f});
    std::vector<float> q = {2.0f}, h = {1.0f};
    fo::host_state s2(decayed, 1);
    decayed.update(s2, q, h);
    CHECK(q[0] == doctest::Approx(2.0 * 0.95 - 0.1));
  }
  // Adagrad with no initial accumulator: the first step is lr g / (|g| + eps), about lr sign(g).
  {
    fo::Optimizer opt(fo::Adagrad{.learning_rate = 0.1f, .initial_accumulator_value = 0.0f,
                                  .epsilon = 1e-10f});
    std::vector<float> p = {1.0f, -2.0f}, g = {0.25f, -4.0f};
    fo::host_state state(opt, p.size());
    opt.update(state, p, g);
    CHECK(p[0] == doctest::Approx(0.9));
    CHECK(p[1] == doctest::Approx(-1.9));
    // The slot holds the sum of the squared gradients (less the initial value).
    CHECK(state.slot(0)[1] == 16.0f);
    const fo::Adagrad keras{};
    CHECK(keras.initial_accumulator_value == 0.1f);
    CHECK(keras.epsilon == 1e-7f);
  }
  // Adamax' first step: m = (1 - b1) g, u = |g| + eps, lr / (1 - b1) m / u = lr g / (|g| + eps).
  {
    fo::Optimizer opt(fo::Adamax{.learning_rate = 0.01f});
    std::vector<float> p = {1.0f, 1.0f}, g = {3.0f, -0.5f};
    fo::host_state state(opt, p.size());
    opt.update(state, p, g);
    CHECK(p[0] == doctest::Approx(0.99));
    CHECK(p[1] == doctest::Approx(1.01));
    CHECK(state.slot(1)[0] == doctest::Approx(3.0));
  }
  // Adadelta's first step: v = (1 - rho) g^2, d = sqrt(eps) / sqrt(v + eps) g.
  {
    fo::Optimizer opt(fo::Adadelta{.learning_rate = 1.0f, .rho = 0.9f, .epsilon = 1e-6f});
    std::vector<float> p = {0.0f}, g = {2.0f};
    fo::host_state state(opt, 1);
    opt.update(state, p, g);
    const double d = std::sqrt(1e-6) / std::sqrt(0.1 * 4 + 1e-6) * 2;
    CHECK(p[0] == doctest::Approx(-d).epsilon(1e-5));
    CHECK(state.slot(1)[0] == doctest::Approx(0.1 * d * d).epsilon(1e-5));
    const fo::Adadelta keras{};
    CHECK(keras.rho == 0.95f);
    CHECK(keras.learning_rate(0) == 1e-3f);
  }
}

TEST_CASE("optim: every optimizer trains the seed MLP inside Model") {
  using Net = fc::Sequential<fc::Input<10>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  using M = fc::Model<Net, fc::loss::BinaryCrossentropy>;
  // 64 samples, label = whether a fixed linear function of the features is positive.
  fd::BatchData<fc::Features<10>, fc::BinaryLabel> batch(64);
  fc::Rng rng(7);
  for (int i = 0; i < 64; ++i) {
    fd::Example<fc::Features<10>, fc::BinaryLabel> e;
    float z = 0;
    for (std::size_t j = 0; j < 10; ++j) {
      e.x[j] = 2.0f * rng.uniform_float() - 1.0f;
      z += (j % 2 == 0 ? 1.0f : -0.5f) * e.x[j];
    }
    e.y[0] = z > 0 ? 1 : 0;
    batch.push(e);
  }
  const std::vector<std::pair<std::string, fo::Optimizer>> cases = {
      {"SGD", fo::SGD{.learning_rate = 0.5f}},
      {"SGD momentum", fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f}},
      {"SGD nesterov + decay", fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f,
                                       .nesterov = true, .weight_decay = 1e-4f}},
      {"Adam", fo::Adam{.learning_rate = 1e-2f}},
      {"AdamW", fo::AdamW{.learning_rate = 1e-2f}},
      {"RMSprop", fo::RMSprop{.learning_rate = 1e-2f}},
      {"Adagrad", fo::Adagrad{.learning_rate = 5e-2f}},
      {"Adamax", fo::Adamax{.learning_rate = 1e-2f}},
      {"Adadelta", fo::Adadelta{.learning_rate = 1.0f}},
      {"Lion", fo::Lion{.learning_rate = 5e-3f, .weight_decay = 1e-2f}},
      {"Nadam", fo::Nadam{.learning_rate = 1e-2f}},
      {"AMSGrad", fo::Adam{.learning_rate = 1e-2f, .amsgrad = true}},
      {"RMSprop centered momentum",
       fo::RMSprop{.learning_rate = 1e-3f, .momentum = 0.9f, .centered = true}},
      {"Adam + cosine warm-up + global_clipnorm",
       fo::Adam{.learning_rate = fo::CosineDecay{.initial_learning_rate = 0.0f,
                                                 .decay_steps = 200,
                                                 .warmup_target = 1e-2f,
                                                 .warmup_steps = 20},
                .global_clipnorm = 0.5f}},
      {"SGD + exponential decay + clipvalue",
       fo::SGD{.learning_rate = fo::ExponentialDecay{.initial_learning_rate = 0.5f,
                                                     .decay_steps = 100,
                                                     .decay_rate = 0.5f},
               .clipvalue = 0.1f}},
  };
  for (const auto& c : cases) {
    const std::string& name = c.first;  // captured by CAPTURE: not a structured binding
    const fo::Optimizer& opt = c.second;
    CAPTURE(name);
    M model(opt);
    const double first = model.train_step(batch);
    const double norm = model.optimizer().last_gradient_norm();
    CHECK(norm > 0);
    CHECK(std::isfinite(norm));
    double last = first;
    for (int step = 0; step < 200; ++step) last = model.train_step(batch);
    CAPTURE(first);
    CAPTURE(last);
    CHECK(std::isfinite(last));
    CHECK(last < 0.2 * first);
    CHECK(model.optimizer().iterations() == 201);
  }
}

}  // namespace optim_optimizer_test
