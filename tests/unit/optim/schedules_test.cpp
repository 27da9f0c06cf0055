// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Learning-rate schedules at chosen steps against Keras' formulas, worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/optim/schedules.hpp>

namespace optim_schedules_test {

namespace fc = fitcheck;
using fitcheck::test::contains;
using fitcheck::test::message_of;
namespace fo = fitcheck::optim;

namespace {
// The argument_error a call throws (exactly that type), its message.
template <class F>
std::string error_of(F&& f) {
  return message_of<fc::argument_error>(std::forward<F>(f));
}
doctest::Approx near(double v) { return doctest::Approx(v).epsilon(1e-6); }
}  // namespace

TEST_CASE("optim schedules: ExponentialDecay is initial * rate^(step / decay_steps)") {
  const fo::ExponentialDecay s{
      .initial_learning_rate = 0.1f, .decay_steps = 10, .decay_rate = 0.5f};
  CHECK(s(0) == near(0.1));
  CHECK(s(5) == near(0.1 * std::sqrt(0.5)));  // 0.0707107
  CHECK(s(10) == near(0.05));
  CHECK(s(25) == near(0.1 * std::pow(0.5, 2.5)));  // 0.0176777
}

TEST_CASE("optim schedules: ExponentialDecay with staircase drops every decay_steps") {
  const fo::ExponentialDecay s{
      .initial_learning_rate = 0.1f, .decay_steps = 10, .decay_rate = 0.5f, .staircase = true};
  CHECK(s(0) == near(0.1));
  CHECK(s(9) == near(0.1));
  CHECK(s(10) == near(0.05));
  CHECK(s(19) == near(0.05));
  CHECK(s(25) == near(0.025));
}

TEST_CASE("optim schedules: PiecewiseConstantDecay keeps a value through its boundary") {
  const fo::PiecewiseConstant s{{10, 20}, {1.0f, 0.5f, 0.1f}};
  CHECK(s(0) == 1.0f);
  CHECK(s(10) == 1.0f);  // step <= boundary: the earlier value, as Keras
  CHECK(s(11) == 0.5f);
  CHECK(s(20) == 0.5f);
  CHECK(s(21) == 0.1f);
  CHECK(s(1'000'000) == 0.1f);
  CHECK(s.boundaries().size() == 2);
  CHECK(s.values().size() == 3);

  // From run-time sequences.
  const std::vector<std::uint64_t> b = {3};
  const std::vector<float> v = {0.2f, 0.02f};
  const fo::PiecewiseConstantDecay r(b, v);
  CHECK(r(3) == 0.2f);
  CHECK(r(4) == 0.02f);
}

TEST_CASE("optim schedules: PiecewiseConstantDecay rejects inconsistent pieces") {
  CHECK(contains(error_of([] { fo::PiecewiseConstantDecay s({10, 20}, {1.0f, 0.5f}); }),
            "PiecewiseConstantDecay: 2 boundaries and 2 values; the values must number one "
            "more than the boundaries. Fix: "));
  CHECK(contains(error_of([] { fo::PiecewiseConstantDecay s({20, 10}, {1.0f, 0.5f, 0.1f}); }),
            "boundary 1 (10) is not after boundary 0 (20)"));
  CHECK(contains(error_of([] { fo::PiecewiseConstantDecay s({10}, {1.0f, -0.5f}); }),
            "values[1] is -0.5"));
  const std::vector<std::uint64_t> many(17, 1);
  const std::vector<float> values(18, 0.1f);
  CHECK(contains(error_of([&] { fo::PiecewiseConstantDecay s(many, values); }),
            "17 boundaries, more than the 16 it holds"));
}

TEST_CASE("optim schedules: CosineDecay goes from initial to alpha * initial over decay_steps") {
  const fo::CosineDecay s{.initial_learning_rate = 1.0f, .decay_steps = 100, .alpha = 0.1f};
  CHECK(s(0) == near(1.0));
  // 0.9 * 0.5 * (1 + cos(pi / 4)) + 0.1
  CHECK(s(25) == near(0.9 * 0.5 * (1.0 + std::sqrt(0.5)) + 0.1));
  CHECK(s(50) == near(0.55));
  CHECK(s(100) == near(0.1));
  CHECK(s(1000) == near(0.1));  // held at the end
}

TEST_CASE("optim schedules: CosineDecay warm-up rises linearly to warmup_target, then decays") {
  const fo::CosineDecay s{.initial_learning_rate = 0.0f,
                          .decay_steps = 100,
                          .warmup_target = 1.0f,
                          .warmup_steps = 10};
  CHECK(s(0) == 0.0f);
  CHECK(s(1) == near(0.1));
  CHECK(s(5) == near(0.5));
  CHECK(s(10) == near(1.0));  // decay starts from the target
  CHECK(s(60) == near(0.5));  // halfway through the decay
  CHECK(s(110) == near(0.0));
  CHECK(s(5000) == near(0.0));

  const fo::CosineDecay from{.initial_learning_rate = 0.2f,
                             .decay_steps = 10,
                             .alpha = 0.5f,
                             .warmup_target = 0.6f,
                             .warmup_steps = 4};
  CHECK(from(2) == near(0.4));                 // 0.2 + (0.6 - 0.2) * 2/4
  CHECK(from(14) == near(0.3));                // 0.6 * alpha
}

TEST_CASE("optim schedules: PolynomialDecay falls to end_learning_rate, or cycles") {
  const fo::PolynomialDecay s{.initial_learning_rate = 0.1f,
                              .decay_steps = 100,
                              .end_learning_rate = 0.01f,
                              .power = 0.5f};
  CHECK(s(0) == near(0.1));
  CHECK(s(25) == near(0.09 * std::sqrt(0.75) + 0.01));
  CHECK(s(100) == near(0.01));
  CHECK(s(500) == near(0.01));  // held at the end
  fo::PolynomialDecay cycling = s;
  cycling.cycle = true;
  CHECK(cycling(0) == near(0.1));
  CHECK(cycling(100) == near(0.01));
  // Step 150 is in the second cycle, stretched to 200 steps: 1 - 150 / 200 = 1/4.
  CHECK(cycling(150) == near(0.09 * 0.5 + 0.01));
  // Keras' default end rate and linear power.
  const fo::PolynomialDecay linear{.initial_learning_rate = 1.0f, .decay_steps = 10};
  CHECK(linear(5) == near(0.5 * (1.0 - 1e-4) + 1e-4));
}

TEST_CASE("optim schedules: InverseTimeDecay is initial / (1 + rate * step / decay_steps)") {
  const fo::InverseTimeDecay s{
      .initial_learning_rate = 0.1f, .decay_steps = 1, .decay_rate = 0.5f};
  CHECK(s(0) == near(0.1));
  CHECK(s(2) == near(0.05));
  CHECK(s(4) == near(0.1 / 3));
  const fo::InverseTimeDecay stairs{
      .initial_learning_rate = 0.1f, .decay_steps = 10, .decay_rate = 0.5f, .staircase = true};
  CHECK(stairs(9) == near(0.1));
  CHECK(stairs(15) == near(0.1 / 1.5));
}

TEST_CASE("optim schedules: CosineDecayRestarts restarts, each period longer and lower") {
  const fo::CosineDecayRestarts s{.initial_learning_rate = 1.0f,
                                  .first_decay_steps = 10,
                                  .t_mul = 2.0f,
                                  .m_mul = 0.5f,
                                  .alpha = 0.1f};
  CHECK(s(0) == near(1.0));
  CHECK(s(5) == near(0.55));          // halfway down the first cosine
  CHECK(s(10) == near(0.55));         // period 2 (20 steps) starts at m_mul = 0.5
  CHECK(s(20) == near(0.9 * 0.25 + 0.1));  // halfway through period 2
  CHECK(s(30) == near(0.9 * 0.25 + 0.1));  // period 3 (40 steps) starts at 0.25
  // m_mul 1 is PyTorch's CosineAnnealingWarmRestarts(T_0, T_mult, eta_min = alpha * initial),
  // whose period and position in it are counted here step by step.
  for (const float t_mul : {1.0f, 2.0f, 3.0f}) {
    const fo::CosineDecayRestarts sgdr{.initial_learning_rate = 0.4f,
                                       .first_decay_steps = 7,
                                       .t_mul = t_mul,
                                       .alpha = 0.25f};
    std::uint64_t period = 7, at = 0;
    for (std::uint64_t step = 0; step < 200; ++step, ++at) {
      if (at == period) {
        at = 0;
        period = static_cast<std::uint64_t>(double(period) * t_mul);
      }
      const double eta_min = 0.1;
      const double want =
          eta_min + (0.4 - eta_min) * (1 + std::cos(std::numbers::pi * double(at) / double(period))) / 2;
      CAPTURE(t_mul);
      CAPTURE(step);
      CHECK(sgdr(step) == doctest::Approx(want).epsilon(1e-5));
    }
  }
}

TEST_CASE("optim schedules: LearningRate holds a constant or a schedule") {
  const fo::LearningRate constant = 0.01f;
  CHECK(constant.is_constant());
  CHECK(constant(0) == 0.01f);
  CHECK(constant(123456) == 0.01f);
  const fo::LearningRate scheduled =
      fo::ExponentialDecay{.initial_learning_rate = 1.0f, .decay_steps = 1, .decay_rate = 0.5f};
  CHECK_FALSE(scheduled.is_constant());
  CHECK(scheduled(3) == near(0.125));
}

TEST_CASE("optim schedules: bad schedules are argument_errors") {
  auto check = [](const fo::LearningRate& lr) { return error_of([&] { lr.validate("SGD"); }); };
  CHECK(contains(check(fo::PolynomialDecay{.initial_learning_rate = 0.1f}),
                 "SGD: learning_rate: decay_steps is 0"));
  CHECK(contains(check(fo::PolynomialDecay{
                     .initial_learning_rate = 0.1f, .decay_steps = 5, .power = -1.0f}),
                 "power is -1, but it must be > 0"));
  CHECK(contains(check(fo::InverseTimeDecay{.initial_learning_rate = 0.1f, .decay_steps = 5,
                                            .decay_rate = -0.5f}),
                 "decay_rate is -0.5, but it must be >= 0"));
  CHECK(contains(check(fo::CosineDecayRestarts{.initial_learning_rate = 0.1f}),
                 "first_decay_steps is 0"));
  CHECK(contains(check(fo::CosineDecayRestarts{
                     .initial_learning_rate = 0.1f, .first_decay_steps = 5, .alpha = 2.0f}),
                 "alpha is 2, outside [0, 1]"));
  CHECK(contains(check(fo::ExponentialDecay{.initial_learning_rate = 0.1f, .decay_rate = 0.9f}),
            "SGD: learning_rate: decay_steps is 0"));
  CHECK(contains(check(fo::ExponentialDecay{.initial_learning_rate = 0.1f, .decay_steps = 5}),
            "decay_rate is 0, but it must be > 0"));
  CHECK(contains(check(fo::ExponentialDecay{.decay_steps = 5, .decay_rate = 0.9f}),
            "initial_learning_rate is 0, so the learning rate is 0 at every step"));
  CHECK(contains(check(fo::CosineDecay{.initial_learning_rate = -1.0f, .decay_steps = 5}),
            "initial_learning_rate is -1"));
  CHECK(contains(
      check(fo::CosineDecay{.initial_learning_rate = 1.0f, .decay_steps = 5, .alpha = 2.0f}),
      "alpha is 2, outside [0, 1]"));
  // Keras would silently skip this warm-up; here it is an error.
  CHECK(contains(check(fo::CosineDecay{.initial_learning_rate = 1.0f,
                                  .decay_steps = 5,
                                  .warmup_steps = 10}),
            "warmup_steps is 10 but warmup_target is not set"));
  CHECK(contains(check(fo::CosineDecay{.decay_steps = 5}), "the learning rate is 0 at every step"));
  CHECK(contains(check(-0.5f), "SGD: learning_rate is -0.5"));
  CHECK_NOTHROW(fo::LearningRate(fo::CosineDecay{.decay_steps = 5, .warmup_target = 0.1f,
                                                 .warmup_steps = 2})
                    .validate("SGD"));
  CHECK_NOTHROW(fo::LearningRate(0.0f).validate("SGD"));  // a frozen model is allowed, as in Keras
}

}  // namespace optim_schedules_test
