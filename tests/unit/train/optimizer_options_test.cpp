// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras 3's options of every optimizer. Gradient accumulation (gradient_accumulation_steps): k
// steps, one update with the mean of their gradients, checked against the update it must equal:
// the optimizer fed the means (bit for bit, clipping, schedule and bias correction included),
// and a model trained on batches k times larger. The weights' moving average (use_ema,
// ema_momentum, ema_overwrite_frequency): checked against the average of a plain run's weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/fitcheck.hpp>

namespace train_optimizer_options_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fo = fitcheck::optim;
using fitcheck::test::message_of;

namespace {

constexpr std::array<float, 3> start = {1.0f, -2.0f, 0.5f};
constexpr std::array<std::array<float, 3>, 6> grads = {{
    {0.5f, -1.0f, 0.25f},
    {0.2f, 0.4f, -0.6f},
    {-0.3f, 0.1f, 0.8f},
    {1.5f, -0.7f, 0.05f},
    {-0.9f, 2.0f, 0.3f},
    {0.6f, -0.2f, -1.1f},
}};

std::vector<float> gradient(std::size_t t) { return {grads[t].begin(), grads[t].end()}; }

// n samples of 6 features uniform in [-1, 1), and the label `label` gives each for a fixed
// weighted sum of its features.
template <class Label>
std::pair<std::vector<float>, std::vector<int>> labelled(std::size_t n, std::uint64_t seed,
                                                         Label label) {
  std::pair<std::vector<float>, std::vector<int>> data;
  auto& [x, y] = data;
  fc::Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (std::size_t j = 0; j < 6; ++j) {
      x.push_back(2.0f * rng.uniform_float() - 1.0f);
      s += x.back() * (j % 2 ? 1.0f : -0.5f);
    }
    y.push_back(label(s));
  }
  return data;
}

// Runs `opt` over the six gradients; the parameters after each step.
std::vector<std::vector<float>> run(fo::Optimizer& opt) {
  std::vector<float> p(start.begin(), start.end());
  fo::host_state state(opt, p.size());
  std::vector<std::vector<float>> after;
  for (std::size_t t = 0; t < grads.size(); ++t) {
    std::vector<float> g = gradient(t);
    opt.update(state, p, g);
    after.push_back(p);
  }
  return after;
}

}  // namespace

TEST_CASE("gradient accumulation: k - 1 steps only accumulate, the k-th updates with the mean") {
  fo::Optimizer opt(fo::SGD{.learning_rate = 0.1f, .gradient_accumulation_steps = 3});
  std::vector<float> p(start.begin(), start.end());
  fo::host_state state(opt, p.size());
  REQUIRE(state.slot(fo::accumulator_slot).size() == 3);
  for (std::size_t t = 0; t < 2; ++t) {
    std::vector<float> g = gradient(t);
    opt.update(state, p, g);
    CHECK(std::vector<float>(p) == std::vector<float>(start.begin(), start.end()));
    CHECK(opt.iterations() == 0);
    CHECK(opt.accumulated_steps() == t + 1);
    // The guards read each step's own gradient norm.
    CHECK(opt.last_gradient_norm() ==
          doctest::Approx(std::sqrt(double(g[0]) * g[0] + double(g[1]) * g[1] +
                                    double(g[2]) * g[2])));
  }
  CHECK(state.slot(fo::accumulator_slot)[0] == 0.5f + 0.2f);
  std::vector<float> g = gradient(2);
  opt.update(state, p, g);
  CHECK(opt.iterations() == 1);
  CHECK(opt.accumulated_steps() == 0);
  // By hand: the mean gradient (0.4 / 3, -0.5 / 3, 0.45 / 3), times 0.1.
  CHECK(p[0] == doctest::Approx(1.0 - 0.1 * 0.4 / 3).epsilon(1e-6));
  CHECK(p[1] == doctest::Approx(-2.0 + 0.1 * 0.5 / 3).epsilon(1e-6));
  CHECK(p[2] == doctest::Approx(0.5 - 0.1 * 0.45 / 3).epsilon(1e-6));
  // The norm the update saw: the mean's.
  CHECK(opt.last_gradient_norm() ==
        doctest::Approx(std::sqrt(0.4 * 0.4 + 0.5 * 0.5 + 0.45 * 0.45) / 3).epsilon(1e-6));
}

TEST_CASE("gradient accumulation: the updates are the optimizer's on the mean gradients") {
  // Keras' order: (g + accumulated) / k, then clipping, the schedule at the update count and
  // Adam's bias correction at the update count. Bit for bit against the optimizer without
  // accumulation fed those means.
  const auto schedule = fo::ExponentialDecay{
      .initial_learning_rate = 0.05f, .decay_steps = 1, .decay_rate = 0.5f};
  const std::vector<std::pair<fo::Optimizer, fo::Optimizer>> cases = {
      {fo::Adam{.learning_rate = schedule, .global_clipnorm = 0.5f,
                .gradient_accumulation_steps = 2},
       fo::Adam{.learning_rate = schedule, .global_clipnorm = 0.5f}},
      {fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f, .clipvalue = 0.4f,
               .gradient_accumulation_steps = 2},
       fo::SGD{.learning_rate = 0.1f, .momentum = 0.9f, .clipvalue = 0.4f}},
      {fo::Nadam{.learning_rate = 0.01f, .gradient_accumulation_steps = 2},
       fo::Nadam{.learning_rate = 0.01f}},
  };
  // Plain names, not a structured binding: clang 14 cannot capture one (CAPTURE is a lambda).
  for (const auto& c : cases) {
    fo::Optimizer accumulating = c.first, plain = c.second;
    CAPTURE(plain.name());
    const auto got = run(accumulating);
    CHECK(accumulating.iterations() == 3);
    std::vector<float> p(start.begin(), start.end());
    fo::host_state state(plain, p.size());
    for (std::size_t u = 0; u < 3; ++u) {
      const std::vector<float> a = gradient(2 * u), b = gradient(2 * u + 1);
      std::vector<float> mean(3);
      for (std::size_t i = 0; i < 3; ++i) mean[i] = (b[i] + a[i]) / 2.0f;
      plain.update(state, p, mean);
      CAPTURE(u);
      CHECK(got[2 * u] == (u == 0 ? std::vector<float>(start.begin(), start.end())
                                  : got[2 * u - 1]));  // the cycle's first step: no update
      CHECK(got[2 * u + 1] == p);
    }
    CHECK(accumulating.learning_rate() == plain.learning_rate());
  }
}

TEST_CASE("gradient accumulation: 0 steps is refused when the optimizer is built") {
  const std::string m = message_of<fc::argument_error>(
      [] { fo::Optimizer(fo::Adam{.gradient_accumulation_steps = 0}); });
  CHECK(m.find("Adam: gradient_accumulation_steps is 0, but it must be at least 1") !=
        std::string::npos);
  CHECK(m.find("Fix: set .gradient_accumulation_steps = k to update once every k steps") !=
        std::string::npos);
  CHECK(fo::Optimizer(fo::Lion{.gradient_accumulation_steps = 1}).slots()[fo::accumulator_slot] ==
        false);
}

TEST_CASE("gradient accumulation: 4 batches of 16 train as one batch of 64") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<12>, fc::Tanh, fc::Dense<3>, fc::Softmax>;
  using M = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;
  const auto data = labelled(256, 11, [](float s) { return s < -0.3f ? 0 : s < 0.3f ? 1 : 2; });
  const std::vector<float>& x = data.first;
  const std::vector<int>& y = data.second;
  const auto source = [&] {
    return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                      std::span<const int>(y));
  };
  for (const auto& pair :
       {std::pair<fo::Optimizer, fo::Optimizer>{
            fo::SGD{.learning_rate = 0.5f, .momentum = 0.5f},
            fo::SGD{.learning_rate = 0.5f, .momentum = 0.5f, .gradient_accumulation_steps = 4}},
        std::pair<fo::Optimizer, fo::Optimizer>{
            fo::Adam{.learning_rate = 0.01f},
            fo::Adam{.learning_rate = 0.01f, .gradient_accumulation_steps = 4}}}) {
    const fo::Optimizer& large = pair.first;
    CAPTURE(large.name());
    M one(large, fc::Seed{5}), four(pair.second, fc::Seed{5});
    auto big = source() | fd::batch<64>();
    auto parts = source() | fd::batch<16>();
    const fc::History h64 = one.fit(big, 3, fc::Verbose{0});
    const fc::History h16 = four.fit(parts, 3, fc::Verbose{0});
    CHECK(one.optimizer().iterations() == 12);
    CHECK(four.optimizer().iterations() == 12);
    // The same updates, up to the order of the float sums.
    const auto a = one.parameters(), b = four.parameters();
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      worst = std::max(worst, double(std::abs(a[i] - b[i])));
    CAPTURE(worst);
    CHECK(worst < 2e-6);
    // Each epoch's loss is the mean over its batches: the same samples, the same weights
    // within each cycle.
    for (std::size_t e = 0; e < 3; ++e)
      CHECK(h16["loss"][e] == doctest::Approx(h64["loss"][e]).epsilon(1e-5));
    CHECK(h64["loss"][2] < h64["loss"][0]);
  }
}

TEST_CASE("moving average: set by the first update, then momentum avg + (1 - momentum) p") {
  fo::Optimizer opt(fo::SGD{.learning_rate = 0.1f, .use_ema = true, .ema_momentum = 0.75f});
  std::vector<float> p(start.begin(), start.end());
  fo::host_state state(opt, p.size());
  const std::span<const float> average = std::as_const(state).slot(fo::ema_slot);
  REQUIRE(average.size() == 3);
  std::vector<float> want(3);
  for (std::size_t t = 0; t < 3; ++t) {
    std::vector<float> g = gradient(t);
    opt.update(state, p, g);
    for (std::size_t i = 0; i < 3; ++i) want[i] = t == 0 ? p[i] : 0.75f * want[i] + 0.25f * p[i];
    CAPTURE(t);
    for (std::size_t i = 0; i < 3; ++i) CHECK(average[i] == doctest::Approx(want[i]).epsilon(1e-6));
  }
  // The weights stay the optimizer's: only fit's end (or use_average_weights) replaces them.
  CHECK(p != want);
}

TEST_CASE("moving average: ema_overwrite_frequency replaces the weights every n updates") {
  fo::Optimizer opt(fo::SGD{.learning_rate = 0.1f, .use_ema = true, .ema_momentum = 0.5f,
                            .ema_overwrite_frequency = 2});
  const auto after = run(opt);
  // Update 1: avg = p1. Update 2: avg = (p1 + p2) / 2, and p becomes it. Update 3 starts there.
  const float p1 = start[0] - 0.1f * grads[0][0];
  const float p2 = p1 - 0.1f * grads[1][0];
  const float avg2 = 0.5f * p1 + 0.5f * p2;
  const float p3 = avg2 - 0.1f * grads[2][0];
  const float avg3 = 0.5f * avg2 + 0.5f * p3;
  CHECK(after[0][0] == doctest::Approx(p1).epsilon(1e-6));
  CHECK(after[1][0] == doctest::Approx(avg2).epsilon(1e-6));
  CHECK(after[2][0] == doctest::Approx(p3).epsilon(1e-6));
  // Update 4 overwrites again: avg4 = (avg3 + p4) / 2.
  CHECK(after[3][0] == doctest::Approx(0.5f * avg3 + 0.5f * (p3 - 0.1f * grads[3][0])).epsilon(1e-6));
}

TEST_CASE("moving average: bad settings are refused when the optimizer is built") {
  const std::string high = message_of<fc::argument_error>(
      [] { fo::Optimizer(fo::Adam{.use_ema = true, .ema_momentum = 1.5f}); });
  CHECK(high.find("Adam: ema_momentum is 1.5, outside [0, 1]") != std::string::npos);
  const std::string unused = message_of<fc::argument_error>(
      [] { fo::Optimizer(fo::SGD{.ema_overwrite_frequency = 10}); });
  CHECK(unused.find("SGD: ema_overwrite_frequency is 10 but use_ema is false") !=
        std::string::npos);
  CHECK(unused.find("Fix: set .use_ema = true") != std::string::npos);
}

TEST_CASE("moving average: fit ends with the average of the weights a plain run went through") {
  using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  using M = fc::Model<Net, fc::loss::BinaryCrossentropy>;
  const auto labels = labelled(96, 3, [](float s) { return s > 0 ? 1 : 0; });
  const std::vector<float>& x = labels.first;
  const std::vector<int>& y = labels.second;
  auto data = fd::from_tensor_slices<fc::Features<6>, fc::BinaryLabel>(std::span<const float>(x),
                                                                      std::span<const int>(y)) |
              fd::batch<16>();
  M averaged(fo::Adam{.learning_rate = 0.02f, .use_ema = true, .ema_momentum = 0.9f},
             fc::Seed{4});
  (void)averaged.fit(data, 3, fc::Verbose{0});

  // The same run by hand, averaging the weights after each update as Keras does.
  M plain(fo::Adam{.learning_rate = 0.02f}, fc::Seed{4});
  std::vector<float> average;
  for (int epoch = 0; epoch < 3; ++epoch)
    for (const auto& batch : data) {
      (void)plain.train_step(batch);
      const auto p = plain.parameters();
      if (average.empty())
        average.assign(p.begin(), p.end());
      else
        for (std::size_t i = 0; i < p.size(); ++i) average[i] = 0.9f * average[i] + 0.1f * p[i];
    }
  const auto got = averaged.parameters();
  double worst = 0, moved = 0;
  const auto last = plain.parameters();
  for (std::size_t i = 0; i < average.size(); ++i) {
    worst = std::max(worst, double(std::abs(got[i] - average[i])));
    moved = std::max(moved, double(std::abs(last[i] - average[i])));
  }
  CAPTURE(worst);
  CAPTURE(moved);
  CHECK(worst < 1e-6);
  CHECK(moved > 1e-3);  // the average is not the last weights
  // A loop of train_step calls takes the average itself.
  const std::vector<float> before(last.begin(), last.end());
  plain.use_average_weights();  // no average kept: unchanged
  CHECK(std::vector<float>(last.begin(), last.end()) == before);
}

}  // namespace train_optimizer_options_test
