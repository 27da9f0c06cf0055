// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// [D3] (non-finite loss or gradient), D4 (the loss does not move), D5 (a layer no
// gradient reaches): the numeric guards, fed by hand and by a real diverging model.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/guards.hpp>

namespace train_guards_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
// Layers: 0 Dense(3->4): 16 params at 0; 1 ReLU; 2 Dense(4->2): 10 at 16; 3 Dense(2->1): 3 at 26;
// 4 Sigmoid. 29 in all.
using Net = fc::Sequential<fc::Input<3>, fc::Dense<4>, fc::ReLU, fc::Dense<2>, fc::Dense<1>,
                           fc::Sigmoid>;
static_assert(Net::param_count == 29);
static_assert(Net::param_offsets[2] == 16 && Net::param_offsets[3] == 26);

constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();

std::vector<float> grads_with_norm(double norm) {
  // All 29 equal, so the global norm is sqrt(29) * value.
  return std::vector<float>(Net::param_count, static_cast<float>(norm / std::sqrt(29.0)));
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("guards D3: a NaN in one layer's gradient names that layer, the step and the rate") {
  fc::detail::numeric_guard<Net> guard;
  auto g = grads_with_norm(2.0);
  guard.after_step(0, 0, 0.7, g, 0.5f);
  g[16 + 3] = nan_f;  // layer 2
  try {
    guard.after_step(1, 4, 0.6, g, 0.5f);
    FAIL("no numeric_error");
  } catch (const fc::numeric_error& e) {
    const std::string p = e.problem();
    CHECK(has(p, "a gradient of layer 2 (Dense) is NaN"));
    CHECK(has(p, "at epoch 2, step 5"));
    CHECK(has(p, "with learning rate 0.5"));
    CHECK(has(p, "the largest gradient norm so far was 2 (epoch 1, step 1)"));
    CHECK(has(p, "[D3]"));
    CHECK_FALSE(has(p, "layers have non-finite"));
    CHECK(has(e.fix(), "lower the learning rate (e.g. 10x)"));
    CHECK(has(e.fix(), "global_clipnorm"));
  }
}

TEST_CASE("guards D3: the first of several non-finite layers is named, with the count") {
  fc::detail::numeric_guard<Net> guard;
  auto g = grads_with_norm(1.0);
  g[27] = inf_f;  // layer 3
  g[20] = -inf_f; // layer 2
  try {
    guard.after_step(0, 0, 0.7, g, 1e6f);
    FAIL("no numeric_error");
  } catch (const fc::numeric_error& e) {
    CHECK(has(e.problem(), "a gradient of layer 2 (Dense) is -inf"));
    CHECK(has(e.problem(), "(2 layers have non-finite gradients; this is the first)"));
    CHECK(has(e.problem(), "with learning rate 1e+06"));
    CHECK(has(e.problem(), "no finite gradient norm was seen before"));
  }
}

TEST_CASE("guards D3: an infinite or NaN loss names the loss") {
  fc::detail::numeric_guard<Net> guard;
  const auto g = grads_with_norm(3.0);
  try {
    guard.after_step(0, 2, std::numeric_limits<double>::infinity(), g, 0.01f);
    FAIL("no numeric_error");
  } catch (const fc::numeric_error& e) {
    CHECK(has(e.problem(), "training diverged: the loss is inf at epoch 1, step 3"));
    CHECK_FALSE(has(e.problem(), "layer"));
    // The step's gradients were finite: their norm counts as seen.
    CHECK(has(e.problem(), "the largest gradient norm so far was 3 (epoch 1, step 3)"));
  }
  fc::detail::numeric_guard<Net> other;
  CHECK_THROWS_AS(other.after_step(0, 0, std::nan(""), g, 0.01f), fc::numeric_error);
}

TEST_CASE("guards D3: the largest norm reported is the maximum seen, not the last") {
  fc::detail::numeric_guard<Net> guard;
  guard.after_step(0, 0, 1.0, grads_with_norm(1.0), 0.1f);
  guard.after_step(0, 1, 1.0, grads_with_norm(50.0), 0.1f);
  guard.after_step(0, 2, 1.0, grads_with_norm(7.0), 0.1f);
  CHECK(guard.max_gradient_norm() == doctest::Approx(50.0).epsilon(1e-6));
  auto g = grads_with_norm(1.0);
  g[0] = nan_f;
  try {
    guard.after_step(0, 3, 1.0, g, 0.1f);
    FAIL("no numeric_error");
  } catch (const fc::numeric_error& e) {
    CHECK(has(e.problem(), "a gradient of layer 0 (Dense) is NaN"));
    CHECK(has(e.problem(), "the largest gradient norm so far was 50 (epoch 1, step 2)"));
  }
}

TEST_CASE("guards D3: the unclipped norm, when given, is the one tracked") {
  fc::detail::numeric_guard<Net> guard;
  guard.after_step(0, 0, 1.0, grads_with_norm(1.0), 0.1f, 123.0);
  CHECK(guard.max_gradient_norm() == 123.0);
}

TEST_CASE("guards: finite data never throws, and disabled guards check nothing") {
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  for (std::size_t s = 0; s < 100; ++s)
    CHECK_NOTHROW(guard.after_step(0, s, 1.0 / double(s + 1), grads_with_norm(1e30), 1e-3f));
  CHECK_NOTHROW(guard.after_epoch(0, 1e-3f));
  CHECK(warnings.warnings().empty());
  // Float max squared overflows float, not the double sums: still finite.
  std::vector<float> huge(Net::param_count, std::numeric_limits<float>::max());
  CHECK_NOTHROW(guard.after_step(1, 0, 1.0, huge, 1e-3f));

  fc::detail::numeric_guard<Net> off(fc::NumericGuards{.enabled = false});
  auto g = grads_with_norm(1.0);
  g[5] = nan_f;
  CHECK_NOTHROW(off.after_step(0, 0, std::nan(""), g, 1.0f));
  CHECK_NOTHROW(off.after_epoch(0, 1.0f));
  CHECK(warnings.warnings().empty());
}

TEST_CASE("guards D4: a frozen loss in epoch 1 warns with both losses and the rate") {
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  for (std::size_t s = 0; s < 10; ++s) guard.after_step(0, s, 0.693147, grads_with_norm(1), 1e-8f);
  guard.after_epoch(0, 1e-8f);
  REQUIRE(warnings.count("D4") == 1);
  const auto& w = warnings.warnings().front();
  CHECK(has(w.problem, "the loss has not moved in epoch 1 (first batch loss 0.693147, last batch "
                       "loss 0.693147) with learning rate 1e-08"));
  CHECK(has(w.fix, "raise the learning rate (e.g. 10x)"));
  // Said once per run.
  for (std::size_t s = 0; s < 10; ++s) guard.after_step(1, s, 0.693147, grads_with_norm(1), 1e-8f);
  guard.after_epoch(1, 1e-8f);
  CHECK(warnings.count("D4") == 1);
}

TEST_CASE("guards D4: a moving loss does not warn") {
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  for (std::size_t e = 0; e < 3; ++e) {
    for (std::size_t s = 0; s < 10; ++s)
      guard.after_step(e, s, 1.0 / double(e * 10 + s + 1), grads_with_norm(1), 1e-2f);
    guard.after_epoch(e, 1e-2f);
  }
  CHECK(warnings.count("D4") == 0);
  CHECK(warnings.warnings().empty());
}

TEST_CASE("guards D4: batch losses that differ by their data alone are caught by epoch 2") {
  // A frozen model on varied batches: first != last within an epoch, the epoch means equal.
  const std::vector<double> losses = {0.9, 0.5, 0.7, 0.3};
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  for (std::size_t e = 0; e < 2; ++e) {
    for (std::size_t s = 0; s < losses.size(); ++s)
      guard.after_step(e, s, losses[s], grads_with_norm(1), 1e-9f);
    guard.after_epoch(e, 1e-9f);
    CHECK(warnings.count("D4") == e);  // nothing after epoch 1, one after epoch 2
  }
  REQUIRE(warnings.count("D4") == 1);
  CHECK(has(warnings.warnings().front().problem,
            "from epoch 1 to epoch 2 (mean loss 0.6 -> 0.6) with learning rate 1e-09"));
}

TEST_CASE("guards D5: exactly the layer with a zero gradient all epoch is named, once") {
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  for (std::size_t s = 0; s < 5; ++s) {
    auto g = grads_with_norm(1.0);
    for (std::size_t i = 16; i < 26; ++i) g[i] = 0.0f;  // layer 2 dead
    if (s == 3) g[2] = 0.0f;                             // one zero in layer 0: still alive
    if (s == 0) for (std::size_t i = 26; i < 29; ++i) g[i] = 0.0f;  // layer 3: zero once only
    guard.after_step(0, s, 1.0 / double(s + 1), g, 0.01f);
  }
  guard.after_epoch(0, 0.01f);
  REQUIRE(warnings.count("D5") == 1);
  const auto& w = warnings.warnings().front();
  CHECK(w.code == "D5");
  CHECK(has(w.problem, "layer 2 (Dense) received an exactly zero gradient at every step of epoch "
                       "1: its 10 parameters never change"));
  CHECK(has(w.fix, "LeakyReLU"));
  // Parameterless layers (ReLU, Sigmoid) are never named; a dead layer is said once.
  for (std::size_t s = 0; s < 3; ++s) {
    auto g = grads_with_norm(1.0);
    for (std::size_t i = 16; i < 26; ++i) g[i] = 0.0f;
    guard.after_step(1, s, 1.0 / double(s + 10), g, 0.01f);
  }
  guard.after_epoch(1, 0.01f);
  CHECK(warnings.count("D5") == 1);
}

TEST_CASE("guards D5: a weight penalty's gradient does not hide a layer the data's never reaches") {
  // Layer 2's kernel (16..23) is penalised, so its gradient there is the penalty's alone: the
  // layer is dead when its bias (24, 25) sees none. Layer 0 penalised throughout cannot tell.
  using Penalised =
      fc::Sequential<fc::Input<3>, fc::Regularized<fc::Dense<4>, fc::L2<>, fc::bias_regularizer<fc::L2<>>>,
                     fc::ReLU, fc::Regularized<fc::Dense<2>, fc::L2<>>, fc::Dense<1>, fc::Sigmoid>;
  static_assert(Penalised::param_count == 29 && Penalised::penalty_count == 3);
  fc::detail::numeric_guard<Penalised> guard;
  const fc::warning_capture warnings;
  for (std::size_t s = 0; s < 4; ++s) {
    auto g = grads_with_norm(1.0);
    for (std::size_t i = 0; i < 16; ++i) g[i] = 0.0f;  // layer 0: nothing, but it cannot tell
    g[24] = g[25] = 0.0f;                                // layer 2: its kernel's penalty only
    guard.after_step(0, s, 1.0 / double(s + 1), g, 0.01f);
  }
  guard.after_epoch(0, 0.01f);
  REQUIRE(warnings.count("D5") == 1);
  CHECK(has(warnings.warnings().front().problem, "layer 2 (Dense) received an exactly zero"));
}

TEST_CASE("guards D5: flags reset each epoch, so a layer that dies later is named then") {
  fc::detail::numeric_guard<Net> guard;
  const fc::warning_capture warnings;
  guard.after_step(0, 0, 1.0, grads_with_norm(1.0), 0.01f);
  guard.after_epoch(0, 0.01f);
  CHECK(warnings.count("D5") == 0);
  auto g = grads_with_norm(1.0);
  for (std::size_t i = 0; i < 16; ++i) g[i] = 0.0f;
  guard.after_step(1, 0, 0.5, g, 0.01f);
  guard.after_epoch(1, 0.01f);
  REQUIRE(warnings.count("D5") == 1);
  CHECK(has(warnings.warnings().front().problem, "layer 0 (Dense)"));
  CHECK(has(warnings.warnings().front().problem, "epoch 2"));
}

TEST_CASE("guards D3 end to end: Adam at 1e6 on unscaled data diverges, and a layer is named") {
  using RNet = fc::Sequential<fc::Input<4>, fc::Dense<16>, fc::ReLU, fc::Dense<16>, fc::ReLU,
                              fc::Dense<1>>;
  fc::Model<RNet, fc::loss::MeanSquaredError> model(fc::optim::Adam{.learning_rate = 1e6f},
                                                    fc::Seed{1});
  fd::BatchData<fc::Features<4>, fc::RegressionTarget<>> batch(16);
  fc::Rng rng(7);
  for (std::size_t i = 0; i < 16; ++i) {
    fd::Example<fc::Features<4>, fc::RegressionTarget<>> ex;
    for (float& v : ex.x) v = 5000.0f + 20000.0f * rng.uniform_float();  // unscaled: ~1e4
    ex.y[0] = 1e5f * rng.uniform_float();
    batch.push(ex);
  }
  fc::detail::numeric_guard<RNet> guard;
  bool thrown = false;
  for (std::size_t step = 0; step < 50 && !thrown; ++step) {
    const float lr = model.optimizer().learning_rate();
    const double loss = model.train_step(batch);
    try {
      guard.after_step(0, step, loss, model.gradients(), lr,
                       model.optimizer().last_gradient_norm());
    } catch (const fc::numeric_error& e) {
      thrown = true;
      const std::string p = e.problem();
      INFO(p);
      CHECK(has(p, "training diverged: "));
      CHECK(has(p, "a gradient of layer "));
      CHECK(has(p, " (Dense) is "));
      CHECK(has(p, "with learning rate 1e+06"));
      CHECK(has(p, "[D3]"));
    }
  }
  CHECK(thrown);
}

}  // namespace train_guards_test
