// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' `dropout` and `recurrent_dropout` in LSTM, GRU and SimpleRNN: in training, the forward
// pass against a transcription of Keras 3's cells (implementation 1: each gate's input and state
// times its own mask; implementation 2 with `dropout` alone: one input mask for every gate) with
// the masks the layer drew; the masks' statistics; inference without dropout; the gradients
// against float64 finite differences with the masks held fixed; a model that learns with them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <stdexcept>
#include <support/files.hpp>
#include <vector>

#include "gradient_check.hpp"

namespace nn_recurrent_dropout_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

constexpr std::size_t steps = 4, features = 3, units = 2, batch = 3;
using Half = std::ratio<1, 2>;
using Third = std::ratio<1, 3>;
using None = std::ratio<0>;

template <class Rate>
constexpr double scale = double(Rate::den) / double(Rate::den - Rate::num);

// What Keras' cell multiplies sample b's input feature d and state unit u by for gate g: the
// masks the layer drew in its last training forward (one input mask for all gates when it drew
// one), 1 without dropout.
template <class B>
struct masks_of {
  const B& layer;
  double input(std::size_t b, std::size_t g, std::size_t d) const {
    if constexpr (B::drops_inputs)
      return layer.input_kept(b, B::input_masks == 1 ? 0 : g, d) ? scale<typename B::dropout_rate>
                                                                 : 0.0;
    else
      return 1.0;
  }
  double state(std::size_t b, std::size_t g, std::size_t u) const {
    if constexpr (B::drops_states)
      return layer.state_kept(b, g, u) ? scale<typename B::recurrent_dropout_rate> : 0.0;
    else
      return 1.0;
  }
};

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Keras 3's implementation 1, gate by gate: the input part (x * dp_mask[g]) W_g + b_g and the
// recurrent part (h * rec_dp_mask[g]) R_g (plus the recurrent bias when there is one).
template <std::size_t G, class M>
void gate_parts(const std::vector<double>& p, const double* x, const std::vector<double>& h,
                const M& masks, std::size_t b, bool recurrent_bias, std::vector<double>& zx,
                std::vector<double>& zh) {
  constexpr std::size_t width = G * units;
  const double* kernel = p.data();
  const double* recurrent = kernel + features * width;
  const double* bias = recurrent + units * width;
  zx.assign(bias, bias + width);
  zh.assign(width, 0.0);
  if (recurrent_bias) zh.assign(bias + width, bias + 2 * width);
  for (std::size_t j = 0; j < width; ++j) {
    const std::size_t g = j / units;
    for (std::size_t d = 0; d < features; ++d)
      zx[j] += x[d] * masks.input(b, g, d) * kernel[d * width + j];
    for (std::size_t u = 0; u < units; ++u)
      zh[j] += h[u] * masks.state(b, g, u) * recurrent[u * width + j];
  }
}

// LSTMCell.call: i, f, c, o; every step's h of sample b.
template <class M>
std::vector<double> keras_lstm(const std::vector<double>& p, const double* x, const M& masks,
                               std::size_t b) {
  std::vector<double> h(units, 0.0), c(units, 0.0), zx, zh, out;
  for (std::size_t t = 0; t < steps; ++t) {
    gate_parts<4>(p, x + t * features, h, masks, b, false, zx, zh);
    for (std::size_t u = 0; u < units; ++u) {
      auto z = [&](std::size_t g) { return zx[g * units + u] + zh[g * units + u]; };
      c[u] = sigmoid(z(1)) * c[u] + sigmoid(z(0)) * std::tanh(z(2));
      h[u] = sigmoid(z(3)) * std::tanh(c[u]);
    }
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

// GRUCell.call with reset_after: h = z h_tm1 + (1 - z) hh, h_tm1 unmasked there.
template <class M>
std::vector<double> keras_gru(const std::vector<double>& p, const double* x, const M& masks,
                              std::size_t b) {
  std::vector<double> h(units, 0.0), zx, zh, out;
  for (std::size_t t = 0; t < steps; ++t) {
    gate_parts<3>(p, x + t * features, h, masks, b, true, zx, zh);
    std::vector<double> next(units);
    for (std::size_t u = 0; u < units; ++u) {
      const double z = sigmoid(zx[u] + zh[u]), r = sigmoid(zx[units + u] + zh[units + u]);
      const double hh = std::tanh(zx[2 * units + u] + r * zh[2 * units + u]);
      next[u] = z * h[u] + (1 - z) * hh;
    }
    h = next;
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

// SimpleRNNCell.call: h = tanh((x * dp_mask) W + b + (h * rec_dp_mask) R).
template <class M>
std::vector<double> keras_simple_rnn(const std::vector<double>& p, const double* x, const M& masks,
                                     std::size_t b) {
  std::vector<double> h(units, 0.0), zx, zh, out;
  for (std::size_t t = 0; t < steps; ++t) {
    gate_parts<1>(p, x + t * features, h, masks, b, false, zx, zh);
    for (std::size_t u = 0; u < units; ++u) h[u] = std::tanh(zx[u] + zh[u]);
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

template <class In, class St>
using Lstm =
    typename nn::LSTM<units, fc::return_sequences, In, St>::template bind<dims<steps, features>>;
template <class In, class St>
using Gru =
    typename nn::GRU<units, fc::return_sequences, In, St>::template bind<dims<steps, features>>;
template <class In, class St>
using Rnn = typename nn::SimpleRNN<units, fc::return_sequences, In,
                                   St>::template bind<dims<steps, features>>;

// The layer's training forward against Keras' cell with the same masks, every step of every
// sample.
template <class B, class Cell>
void check_against_keras(Cell cell, std::uint64_t seed) {
  B layer;
  layer.seed(seed);
  const auto p = fc::test::random_values(B::param_count, seed, -0.8, 0.8);
  const auto x = fc::test::random_values(batch * steps * features, seed + 1, -1.0, 1.0);
  std::vector<double> y(batch * steps * units);
  layer.forward(p.data(), x.data(), y.data(), batch, nn::mode::training);
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b) {
    const auto want = cell(p, x.data() + b * steps * features, masks_of<B>{layer}, b);
    for (std::size_t i = 0; i < steps * units; ++i)
      worst = std::max(worst, std::abs(y[b * steps * units + i] - want[i]));
  }
  CHECK(worst <= 1e-12);
}

template <class B>
fc::test::gradient_check_result fixed_mask_gradients(std::uint64_t seed) {
  B layer;
  return fc::test::check_gradients(
      layer, fc::test::random_values(B::param_count, seed, -0.8, 0.8),
      fc::test::random_values(batch * B::input_shape::size, seed + 1, -1.0, 1.0), batch, {},
      [seed](B& l) { l.seed(seed); });
}
}  // namespace

// Which masks each rate draws: Keras 3 switches to implementation 1 (a mask per gate) when
// recurrent_dropout is set; with dropout alone one input mask serves every gate.
static_assert(Lstm<Half, None>::input_masks == 1 && Lstm<Half, None>::state_masks == 0);
static_assert(Lstm<Half, Third>::input_masks == 4 && Lstm<Half, Third>::state_masks == 4);
static_assert(Lstm<None, Third>::input_masks == 0 && Lstm<None, Third>::state_masks == 4);
static_assert(Gru<Half, Third>::input_masks == 3 && Gru<None, Third>::state_masks == 3);
static_assert(Rnn<Half, Third>::input_masks == 1 && Rnn<Half, Third>::state_masks == 1);
// A random stream only with a rate (a training backup keeps one per such layer).
static_assert(nn::random_layer<Lstm<Half, None>> && nn::random_layer<Gru<None, Third>>);
static_assert(!nn::random_layer<Lstm<None, None>>);
static_assert(Lstm<Half, Third>::param_count == Lstm<None, None>::param_count);

TEST_CASE("LSTM with dropout: training computes Keras' LSTMCell with the masks the layer drew") {
  auto cell = [](auto&&... a) { return keras_lstm(a...); };
  SUBCASE("dropout alone: one input mask") { check_against_keras<Lstm<Half, None>>(cell, 3); }
  SUBCASE("recurrent_dropout alone") { check_against_keras<Lstm<None, Third>>(cell, 5); }
  SUBCASE("both: a mask per gate") { check_against_keras<Lstm<Half, Third>>(cell, 7); }
}

TEST_CASE("GRU with dropout: training computes Keras' GRUCell with the masks the layer drew") {
  auto cell = [](auto&&... a) { return keras_gru(a...); };
  SUBCASE("dropout alone: one input mask") { check_against_keras<Gru<Half, None>>(cell, 11); }
  SUBCASE("recurrent_dropout alone") { check_against_keras<Gru<None, Third>>(cell, 13); }
  SUBCASE("both: a mask per gate") { check_against_keras<Gru<Half, Third>>(cell, 17); }
}

TEST_CASE("SimpleRNN with dropout: training computes Keras' SimpleRNNCell with the layer's masks") {
  auto cell = [](auto&&... a) { return keras_simple_rnn(a...); };
  SUBCASE("dropout alone") { check_against_keras<Rnn<Half, None>>(cell, 19); }
  SUBCASE("recurrent_dropout alone") { check_against_keras<Rnn<None, Third>>(cell, 23); }
  SUBCASE("both") { check_against_keras<Rnn<Half, Third>>(cell, 29); }
}

TEST_CASE("Recurrent dropout: inference drops nothing, each training batch draws new masks") {
  const auto p = fc::test::random_values(Lstm<None, None>::param_count, 31, -0.8, 0.8);
  const auto x = fc::test::random_values(batch * steps * features, 32, -1.0, 1.0);
  auto run = [&](auto& layer, nn::mode m) {
    std::vector<double> y(batch * steps * units);
    layer.forward(p.data(), x.data(), y.data(), batch, m);
    return y;
  };
  Lstm<None, None> plain;
  Lstm<Half, Third> dropping;
  dropping.seed(4);
  CHECK(run(dropping, nn::mode::inference) == run(plain, nn::mode::inference));
  const auto first = run(dropping, nn::mode::training), second = run(dropping, nn::mode::training);
  CHECK(first != run(plain, nn::mode::training));
  CHECK(first != second);
  dropping.seed(4);
  CHECK(run(dropping, nn::mode::training) == first);
  // A backward after an inference forward is the plain layer's.
  std::vector<double> dy(batch * steps * units, 0.5), dx(x.size()), dp(p.size()),
      dx_plain(x.size()), dp_plain(p.size());
  const auto y = run(dropping, nn::mode::inference);
  dropping.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), batch);
  (void)run(plain, nn::mode::inference);
  plain.backward(p.data(), x.data(), y.data(), dy.data(), dx_plain.data(), dp_plain.data(), batch);
  CHECK(dx == dx_plain);
  CHECK(dp == dp_plain);
}

TEST_CASE("Recurrent dropout: the share dropped is the rate, each gate's masks its own") {
  using Quarter = std::ratio<1, 4>;
  using B = nn::LSTM<8, fc::last_step, Quarter, Quarter>::bind<dims<2, 16>>;
  constexpr std::size_t n = 500;
  B layer;
  layer.seed(8);
  const std::vector<float> p(B::param_count, 0.1f), x(n * 2 * 16, 1.0f);
  std::vector<float> y(n * 8);
  layer.reserve(n);
  layer.forward(p.data(), x.data(), y.data(), n, nn::mode::training);
  std::size_t inputs_kept = 0, states_kept = 0, gates_differ = 0;
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t g = 0; g < 4; ++g) {
      for (std::size_t d = 0; d < 16; ++d) {
        inputs_kept += layer.input_kept(b, g, d);
        gates_differ += g > 0 && layer.input_kept(b, g, d) != layer.input_kept(b, 0, d);
      }
      for (std::size_t u = 0; u < 8; ++u) states_kept += layer.state_kept(b, g, u);
    }
  // 32,000 and 16,000 draws of p = 0.75: standard deviations 0.0024 and 0.0034.
  CHECK(double(inputs_kept) / (n * 4 * 16) == doctest::Approx(0.75).epsilon(0.02));
  CHECK(double(states_kept) / (n * 4 * 8) == doctest::Approx(0.75).epsilon(0.02));
  // Two independent masks differ where one keeps and the other drops: 2 x 0.75 x 0.25.
  CHECK(double(gates_differ) / (n * 3 * 16) == doctest::Approx(0.375).epsilon(0.05));
  // A new batch, new masks.
  std::size_t changed = 0;
  std::vector<bool> first(n * 16);
  for (std::size_t i = 0; i < n * 16; ++i) first[i] = layer.input_kept(i / 16, 0, i % 16);
  layer.forward(p.data(), x.data(), y.data(), n, nn::mode::training);
  for (std::size_t i = 0; i < n * 16; ++i)
    changed += first[i] != layer.input_kept(i / 16, 0, i % 16);
  CHECK(changed > n * 16 / 4);
}

TEST_CASE("Recurrent dropout: float64 finite differences with the masks held fixed") {
  SUBCASE("LSTM") {
    CHECK(fixed_mask_gradients<Lstm<Half, None>>(41).passed(1e-6));
    CHECK(fixed_mask_gradients<Lstm<None, Third>>(43).passed(1e-6));
    CHECK(fixed_mask_gradients<Lstm<Half, Third>>(45).passed(1e-6));
    using LastStep = nn::LSTM<units, fc::last_step, Third, Half>::bind<dims<steps, features>>;
    CHECK(fixed_mask_gradients<LastStep>(47).passed(1e-6));
  }
  SUBCASE("GRU") {
    CHECK(fixed_mask_gradients<Gru<Half, None>>(51).passed(1e-6));
    CHECK(fixed_mask_gradients<Gru<None, Third>>(53).passed(1e-6));
    CHECK(fixed_mask_gradients<Gru<Half, Third>>(55).passed(1e-6));
  }
  SUBCASE("SimpleRNN") {
    CHECK(fixed_mask_gradients<Rnn<Half, None>>(61).passed(1e-6));
    CHECK(fixed_mask_gradients<Rnn<None, Third>>(63).passed(1e-6));
    CHECK(fixed_mask_gradients<Rnn<Half, Third>>(65).passed(1e-6));
  }
  SUBCASE("Bidirectional: one stream seeds both directions") {
    using Bi = nn::Bidirectional<nn::GRU<units, fc::return_sequences, Third, Third>>::bind<
        dims<steps, features>>;
    static_assert(nn::random_layer<Bi>);
    CHECK(fixed_mask_gradients<Bi>(71).passed(1e-6));
  }
}

TEST_CASE("Recurrent dropout: the memory plan counts the masks and the masked copies") {
  using Quarter = std::ratio<1, 4>;
  using Net = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>,
                             fc::LSTM<8, fc::last_step, Quarter, Quarter>, fc::Dense<1>>;
  using Plain = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>, fc::LSTM<8>, fc::Dense<1>>;
  // Per sample: 4 input masks of 6 features, 4 state masks of 8 units, the masked input (12 x 6)
  // and a masked state (8); once: one sample's recurrent kernel gradient (8 x 32).
  static_assert(Net::sample_workspace_floats ==
                Plain::sample_workspace_floats + 4 * 6 + 4 * 8 + 12 * 6 + 8);
  static_assert(Net::workspace_floats == Plain::workspace_floats + 8 * 32);
  const auto with = fc::plan_memory<Net>(32, fc::optimizer_slots::adam);
  const auto without = fc::plan_memory<Plain>(32, fc::optimizer_slots::adam);
  CHECK(with.total() - without.total() == (32 * (4 * 6 + 4 * 8 + 12 * 6 + 8) + 8 * 32) * 4);
}

namespace {
constexpr std::size_t length = 8;
// n sequences of 8 tokens from 3..11 holding token 1 and token 2 once each; the label says
// whether 1 comes before 2.
auto order_data(std::size_t n) {
  fc::Rng rng(13);
  xt::xtensor<float, 2> x = xt::zeros<float>({n, length});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < length; ++t) x(i, t) = float(3 + rng() % 9);
    const std::size_t a = rng() % length, b = (a + 1 + rng() % (length - 1)) % length;
    x(i, a) = 1.0f;
    x(i, b) = 2.0f;
    y(i) = a < b ? 1 : 0;
  }
  return fd::from_tensor_slices<fc::Features<length>, fc::BinaryLabel>(x, y);
}
}  // namespace

TEST_CASE("Recurrent dropout: a model learns which of two tokens comes first, with dropout" *
          doctest::test_suite("learning")) {
  constexpr std::size_t n = 768;
  using Tenth = std::ratio<1, 10>;
  using Net = fc::Sequential<fc::Input<length>, fc::Embedding<12, 8>,
                             fc::LSTM<16, fc::last_step, Tenth, Tenth>, fc::Dense<1>, fc::Sigmoid>;
  static_assert(Net::random_stream_count == 1);
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{1});
  auto train = order_data(n) | fd::shuffle(n, fc::Seed{2}) | fd::batch<32>();
  (void)model.fit(train, 30, fc::Preflight{.level = fc::check::error}, fc::Verbose{0});
  // Evaluated without dropout.
  auto all = order_data(n) | fd::batch<32>();
  CHECK(model.evaluate(all).at("accuracy") > 0.95);
}

TEST_CASE("Recurrent dropout: a run resumed from a backup draws the masks it would have drawn") {
  using Fifth = std::ratio<1, 5>;
  using Net = fc::Sequential<fc::Input<length>, fc::Embedding<12, 4>,
                             fc::Bidirectional<fc::GRU<4, fc::return_sequences, Fifth, Fifth>>,
                             fc::LSTM<4, fc::last_step, Fifth, Fifth>, fc::Dense<1>, fc::Sigmoid>;
  static_assert(Net::random_stream_count == 2);  // one stream for both directions
  struct crash {
    std::size_t at;
    void on_epoch_end(fc::TrainingState& s, fc::Logs&) const {
      if (s.epoch == at) throw std::runtime_error("simulated crash");
    }
  };
  auto run = [](std::size_t crash_at, fc::Seed init, fc::callbacks::BackupAndRestore* backup) {
    fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{.learning_rate = 0.01f},
                                                       init);
    auto train = order_data(96) | fd::shuffle(96, fc::Seed{2}) | fd::batch<16>();
    try {
      if (backup != nullptr)
        (void)model.fit(train, 4, fc::Verbose{0}, crash{crash_at}, *backup);
      else
        (void)model.fit(train, 4, fc::Verbose{0});
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "simulated crash");
    }
    const auto p = model.parameters();
    return std::vector<float>(p.begin(), p.end());
  };
  const auto whole = run(100, fc::Seed{7}, nullptr);
  const fc::test::temp_dir dir("recurrent_dropout");
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir.file("backup")};
  const auto crashed = run(1, fc::Seed{7}, &backup);
  CHECK(crashed != whole);
  const auto resumed = run(100, fc::Seed{99}, &backup);  // other initial weights: the backup's
  CHECK(resumed == whole);
}

}  // namespace nn_recurrent_dropout_test
