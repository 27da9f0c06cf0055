// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// LSTM and GRU: the forward pass against a step-by-step scalar transcription of the equations,
// the gradients through time against finite differences (last output and every output), Keras'
// initialisers, the memory plan's per-sample workspace, and models that need the order of their
// tokens (which no pooling can see) learning it.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <span>
#include <string>
#include <vector>

#include "gradient_check.hpp"

namespace nn_recurrent_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

constexpr std::size_t steps = 4, features = 3, units = 2;
using Last = nn::LSTM<units>::bind<dims<steps, features>>;
using Every = nn::LSTM<units, fc::return_sequences>::bind<dims<steps, features>>;

std::vector<double> random_values(std::size_t n, std::uint64_t seed, double scale) {
  fc::Rng rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = scale * (2.0 * rng.uniform_float() - 1.0);
  return v;
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// The LSTM equations as written (Keras' LSTMCell), one sample, one step at a time: every
// step's hidden state.
std::vector<double> transcribed(const std::vector<double>& p, const double* x) {
  constexpr std::size_t g4 = 4 * units;
  const double* kernel = p.data();
  const double* recurrent = kernel + features * g4;
  const double* bias = recurrent + units * g4;
  std::vector<double> h(units, 0.0), c(units, 0.0), out;
  for (std::size_t t = 0; t < steps; ++t) {
    std::vector<double> z(bias, bias + g4);
    for (std::size_t j = 0; j < g4; ++j) {
      for (std::size_t d = 0; d < features; ++d) z[j] += x[t * features + d] * kernel[d * g4 + j];
      for (std::size_t u = 0; u < units; ++u) z[j] += h[u] * recurrent[u * g4 + j];
    }
    for (std::size_t u = 0; u < units; ++u) {
      const double i = sigmoid(z[u]), f = sigmoid(z[units + u]), g = std::tanh(z[2 * units + u]),
                   o = sigmoid(z[3 * units + u]);
      c[u] = f * c[u] + i * g;
      h[u] = o * std::tanh(c[u]);
      out.push_back(h[u]);
    }
  }
  return out;
}
// Keras' GRUCell with reset_after, one sample: every step's hidden state.
std::vector<double> transcribed_gru(const std::vector<double>& p, const double* x) {
  constexpr std::size_t g3 = 3 * units;
  const double* kernel = p.data();
  const double* recurrent = kernel + features * g3;
  const double* bias = recurrent + units * g3;  // input bias, then recurrent bias
  std::vector<double> h(units, 0.0), out;
  for (std::size_t t = 0; t < steps; ++t) {
    std::vector<double> zx(bias, bias + g3), zh(bias + g3, bias + 2 * g3);
    for (std::size_t j = 0; j < g3; ++j) {
      for (std::size_t d = 0; d < features; ++d) zx[j] += x[t * features + d] * kernel[d * g3 + j];
      for (std::size_t u = 0; u < units; ++u) zh[j] += h[u] * recurrent[u * g3 + j];
    }
    std::vector<double> next(units);
    for (std::size_t u = 0; u < units; ++u) {
      const double z = sigmoid(zx[u] + zh[u]), r = sigmoid(zx[units + u] + zh[units + u]);
      const double c = std::tanh(zx[2 * units + u] + r * zh[2 * units + u]);
      next[u] = z * h[u] + (1 - z) * c;
    }
    h = next;
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

using GruLast = nn::GRU<units>::bind<dims<steps, features>>;
using GruEvery = nn::GRU<units, fc::return_sequences>::bind<dims<steps, features>>;
}  // namespace

static_assert(std::is_same_v<Last::output_shape, fc::Shape<units>>);
static_assert(GruLast::param_count == features * 3 * units + units * 3 * units + 2 * 3 * units);
static_assert(std::is_same_v<Every::output_shape, fc::Shape<steps, units>>);
static_assert(Last::param_count == features * 4 * units + units * 4 * units + 4 * units);

TEST_CASE("LSTM: the forward pass computes Keras' LSTMCell equations step by step") {
  Last last;
  Every every;
  const auto p = random_values(Last::param_count, 5, 0.8);
  constexpr std::size_t batch = 3;
  const auto x = random_values(batch * steps * features, 6, 1.0);
  std::vector<double> y_last(batch * units), y_every(batch * steps * units);
  last.forward(p.data(), x.data(), y_last.data(), batch, nn::mode::inference);
  every.forward(p.data(), x.data(), y_every.data(), batch, nn::mode::training);
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b) {
    const auto want = transcribed(p, x.data() + b * steps * features);
    for (std::size_t i = 0; i < steps * units; ++i)
      worst = std::max(worst, std::abs(y_every[b * steps * units + i] - want[i]));
    for (std::size_t u = 0; u < units; ++u)
      worst = std::max(worst, std::abs(y_last[b * units + u] - want[(steps - 1) * units + u]));
  }
  CHECK(worst <= 1e-12);
}

TEST_CASE("GRU: the forward pass computes Keras' GRUCell (reset_after) step by step") {
  GruLast last;
  GruEvery every;
  const auto p = random_values(GruLast::param_count, 15, 0.8);
  constexpr std::size_t batch = 3;
  const auto x = random_values(batch * steps * features, 16, 1.0);
  std::vector<double> y_last(batch * units), y_every(batch * steps * units);
  last.forward(p.data(), x.data(), y_last.data(), batch, nn::mode::inference);
  every.forward(p.data(), x.data(), y_every.data(), batch, nn::mode::training);
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b) {
    const auto want = transcribed_gru(p, x.data() + b * steps * features);
    for (std::size_t i = 0; i < steps * units; ++i)
      worst = std::max(worst, std::abs(y_every[b * steps * units + i] - want[i]));
    for (std::size_t u = 0; u < units; ++u)
      worst = std::max(worst, std::abs(y_last[b * units + u] - want[(steps - 1) * units + u]));
  }
  CHECK(worst <= 1e-12);
}

TEST_CASE("GRU: float64 finite differences match the gradients through time") {
  const auto p = random_values(GruLast::param_count, 18, 0.7);
  const auto x = random_values(3 * steps * features, 19, 1.0);
  SUBCASE("the last step's output") {
    GruLast layer;
    CHECK(fc::test::check_gradients(layer, p, x, 3).passed(1e-6));
  }
  SUBCASE("every step's output (return_sequences)") {
    GruEvery layer;
    CHECK(fc::test::check_gradients(layer, p, x, 3).passed(1e-6));
  }
  SUBCASE("a sequence of one step") {
    using One = nn::GRU<3>::bind<dims<1, 2>>;
    One layer;
    CHECK(fc::test::check_gradients(layer, random_values(One::param_count, 20, 0.7),
                                    random_values(2 * 2, 21, 1.0), 2)
              .passed(1e-6));
  }
}

TEST_CASE("LSTM: float64 finite differences match the gradients through time") {
  const auto p = random_values(Last::param_count, 8, 0.7);
  const auto x = random_values(3 * steps * features, 9, 1.0);
  SUBCASE("the last step's output") {
    Last layer;
    const auto r = fc::test::check_gradients(layer, p, x, 3);
    CHECK(r.passed(1e-6));
  }
  SUBCASE("every step's output (return_sequences)") {
    Every layer;
    const auto r = fc::test::check_gradients(layer, p, x, 3);
    CHECK(r.passed(1e-6));
  }
  SUBCASE("a sequence of one step") {
    using One = nn::LSTM<3>::bind<dims<1, 2>>;
    One layer;
    const auto r = fc::test::check_gradients(layer, random_values(One::param_count, 10, 0.7),
                                             random_values(2 * 2, 11, 1.0), 2);
    CHECK(r.passed(1e-6));
  }
}

TEST_CASE("Bidirectional: the forward layer on x joined with the backward layer on x reversed") {
  using Inner = nn::LSTM<units, fc::return_sequences>::bind<dims<steps, features>>;
  using Both =
      nn::Bidirectional<nn::LSTM<units, fc::return_sequences>>::bind<dims<steps, features>>;
  using BothLast = nn::Bidirectional<nn::LSTM<units>>::bind<dims<steps, features>>;
  static_assert(std::is_same_v<Both::output_shape, fc::Shape<steps, 2 * units>>);
  static_assert(std::is_same_v<BothLast::output_shape, fc::Shape<2 * units>>);
  static_assert(Both::param_count == 2 * Inner::param_count);
  constexpr std::size_t batch = 2;
  const auto p = random_values(Both::param_count, 30, 0.8);
  const auto x = random_values(batch * steps * features, 31, 1.0);
  std::vector<double> reversed(x.size());
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t d = 0; d < features; ++d)
        reversed[(b * steps + t) * features + d] = x[(b * steps + steps - 1 - t) * features + d];
  Inner forwards, backwards;
  std::vector<double> yf(batch * steps * units), yb(batch * steps * units);
  forwards.forward(p.data(), x.data(), yf.data(), batch, nn::mode::training);
  backwards.forward(p.data() + Inner::param_count, reversed.data(), yb.data(), batch,
                    nn::mode::training);
  Both both;
  BothLast last;
  std::vector<double> y(batch * steps * 2 * units), y_last(batch * 2 * units);
  both.forward(p.data(), x.data(), y.data(), batch, nn::mode::training);
  last.forward(p.data(), x.data(), y_last.data(), batch, nn::mode::training);
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t u = 0; u < units; ++u) {
        CHECK(y[((b * steps + t) * 2) * units + u] == yf[(b * steps + t) * units + u]);
        // The backward layer's output for step t is the one it gave reading x_t.
        CHECK(y[((b * steps + t) * 2 + 1) * units + u] ==
              yb[(b * steps + steps - 1 - t) * units + u]);
      }
    for (std::size_t u = 0; u < units; ++u) {
      CHECK(y_last[b * 2 * units + u] == yf[(b * steps + steps - 1) * units + u]);
      CHECK(y_last[b * 2 * units + units + u] == yb[(b * steps + steps - 1) * units + u]);
    }
  }
}

TEST_CASE("Bidirectional: float64 finite differences match the gradients of both directions") {
  const auto x = random_values(3 * steps * features, 33, 1.0);
  SUBCASE("LSTM, the last step") {
    nn::Bidirectional<nn::LSTM<units>>::bind<dims<steps, features>> layer;
    CHECK(
        fc::test::check_gradients(layer, random_values(decltype(layer)::param_count, 34, 0.7), x, 3)
            .passed(1e-6));
  }
  SUBCASE("GRU, every step") {
    nn::Bidirectional<nn::GRU<units, fc::return_sequences>>::bind<dims<steps, features>> layer;
    CHECK(
        fc::test::check_gradients(layer, random_values(decltype(layer)::param_count, 35, 0.7), x, 3)
            .passed(1e-6));
  }
}

TEST_CASE("LSTM: Keras' initialisers: glorot kernel, orthogonal recurrent kernel, forget bias 1") {
  using Layer = nn::LSTM<5>::bind<dims<7, 3>>;
  Layer layer;
  std::vector<float> p(Layer::param_count);
  fc::Rng rng(21);
  layer.init(p, rng);
  const double limit = std::sqrt(6.0 / (3 + 20));
  for (std::size_t i = 0; i < Layer::recurrent_offset; ++i) CHECK(std::abs(p[i]) <= limit);
  // The recurrent kernel's five rows of 20 are orthonormal.
  double worst = 0;
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t s = 0; s < 5; ++s) {
      double dot = 0;
      for (std::size_t j = 0; j < 20; ++j)
        dot += double(p[Layer::recurrent_offset + r * 20 + j]) *
               double(p[Layer::recurrent_offset + s * 20 + j]);
      worst = std::max(worst, std::abs(dot - (r == s ? 1.0 : 0.0)));
    }
  CHECK(worst <= 1e-6);
  for (std::size_t g = 0; g < 20; ++g)
    CHECK(p[Layer::bias_offset + g] == (g >= 5 && g < 10 ? 1.0f : 0.0f));
}

TEST_CASE("GRU: Keras' initialisers: glorot kernel, orthogonal recurrent kernel, zero biases") {
  using Layer = nn::GRU<4>::bind<dims<6, 5>>;
  Layer layer;
  std::vector<float> p(Layer::param_count, 7.0f);
  fc::Rng rng(22);
  layer.init(p, rng);
  const double limit = std::sqrt(6.0 / (5 + 12));
  for (std::size_t i = 0; i < Layer::recurrent_offset; ++i) CHECK(std::abs(p[i]) <= limit);
  double worst = 0;
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t s = 0; s < 4; ++s) {
      double dot = 0;
      for (std::size_t j = 0; j < 12; ++j)
        dot += double(p[Layer::recurrent_offset + r * 12 + j]) *
               double(p[Layer::recurrent_offset + s * 12 + j]);
      worst = std::max(worst, std::abs(dot - (r == s ? 1.0 : 0.0)));
    }
  CHECK(worst <= 1e-6);
  for (std::size_t i = Layer::bias_offset; i < Layer::param_count; ++i) CHECK(p[i] == 0.0f);
}

TEST_CASE("LSTM: the memory plan counts every step's gates and states per sample") {
  using Net = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>, fc::LSTM<8, fc::return_sequences>,
                             fc::LSTM<5>, fc::Dense<1>>;
  // Per sample: 12 steps of 4 x 8 gates, their gradients and 8 cells (the output holds the
  // hidden states), then 12 x (2 x 20 + 5 + 5) for the second, plus the carried gradients of each.
  static_assert(Net::sample_workspace_floats ==
                12 * (2 * 32 + 8) + 2 * 8 + 12 * (2 * 20 + 5 + 5) + 2 * 5);
  const auto one = fc::plan_memory<Net>(1, fc::optimizer_slots::adam);
  const auto two = fc::plan_memory<Net>(2, fc::optimizer_slots::adam);
  CHECK(two.activations - one.activations ==
        (Net::activation_width + Net::sample_workspace_floats) * 4);
  CHECK(two.total() - one.total() == one.per_sample);
}

namespace {
// Sequences of 8 tokens from 3..11 holding token 1 and token 2 once each; the label says whether 1
// comes before 2. Every sequence and its mirror hold the same tokens.
auto order_data() {
  constexpr std::size_t n = 768, length = 8;
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
  // from xtensors: the source keeps its own copy.
  return fd::from_tensor_slices<fc::Features<length>, fc::BinaryLabel>(x, y) |
         fd::shuffle(n, fc::Seed{2}) | fd::batch<32>();
}

template <class Recurrent>
std::string learn_order() {
  using Net =
      fc::Sequential<fc::Input<8>, fc::Embedding<12, 8>, Recurrent, fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{1});
  auto train = order_data();
  const auto h = model.fit(train, 30, fc::Preflight{.level = fc::check::error}, fc::Verbose{0});
  CHECK(h["accuracy"].back() > 0.95);
  return model.summary();
}

std::string summary_row(const std::string& s, const std::string& label) {
  const auto row = s.find(label);
  if (row == std::string::npos) return "";
  return s.substr(row, s.find('\n', row) - row);
}
}  // namespace

TEST_CASE("LSTM and GRU: a model learns which of two tokens comes first, which pooling cannot see" *
          doctest::test_suite("learning")) {
  const std::string lstm = summary_row(learn_order<fc::LSTM<16>>(), " lstm (LSTM) ");
  CHECK(lstm.find(" (None, 16) ") != std::string::npos);
  CHECK(lstm.substr(lstm.rfind(' ') + 1) == "1,600");  // 4 x 16 x (8 + 16 + 1)
  const std::string gru = summary_row(learn_order<fc::GRU<16>>(), " gru (GRU) ");
  CHECK(gru.find(" (None, 16) ") != std::string::npos);
  CHECK(gru.substr(gru.rfind(' ') + 1) == "1,248");  // 3 x 16 x (8 + 16 + 2)
}

TEST_CASE("LSTM: exported as Keras 3 names it, lstm/lstm_cell/kernel, recurrent_kernel, bias") {
  using Net =
      fc::Sequential<fc::Input<5, 3>, fc::LSTM<4, fc::return_sequences>, fc::LSTM<2>, fc::Dense<1>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 8);
  CHECK(tensors[0].name == "lstm/lstm_cell/kernel");
  CHECK(tensors[0].shape == std::vector<std::size_t>{3, 16});
  CHECK(tensors[1].name == "lstm/lstm_cell/recurrent_kernel");
  CHECK(tensors[1].shape == std::vector<std::size_t>{4, 16});
  CHECK(tensors[2].name == "lstm/lstm_cell/bias");
  CHECK(tensors[3].name == "lstm_1/lstm_cell/kernel");
  CHECK(tensors[3].shape == std::vector<std::size_t>{4, 8});
}

TEST_CASE("Bidirectional: exported as Keras 3 names it, forward_lstm and backward_lstm") {
  using Net = fc::Sequential<fc::Input<5, 3>, fc::Bidirectional<fc::LSTM<4>>, fc::Dense<1>>;
  using Inner = nn::LSTM<4>::bind<dims<5, 3>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 8);
  CHECK(tensors[0].name == "bidirectional/forward_lstm/lstm_cell/kernel");
  CHECK(tensors[0].shape == std::vector<std::size_t>{3, 16});
  CHECK(tensors[3].name == "bidirectional/backward_lstm/lstm_cell/kernel");
  CHECK(tensors[5].name == "bidirectional/backward_lstm/lstm_cell/bias");
  CHECK(tensors[6].name == "dense/kernel");
  CHECK(tensors[6].shape == std::vector<std::size_t>{8, 1});
  static_assert(Net::param_count == 2 * Inner::param_count + 9);
}

TEST_CASE("GRU: exported as Keras 3 names it, gru/gru_cell/bias of shape (2, 3 Units)") {
  using Net = fc::Sequential<fc::Input<5, 3>, fc::GRU<4>, fc::Dense<1>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 5);
  CHECK(tensors[0].name == "gru/gru_cell/kernel");
  CHECK(tensors[0].shape == std::vector<std::size_t>{3, 12});
  CHECK(tensors[1].name == "gru/gru_cell/recurrent_kernel");
  CHECK(tensors[1].shape == std::vector<std::size_t>{4, 12});
  CHECK(tensors[2].name == "gru/gru_cell/bias");
  CHECK(tensors[2].shape == std::vector<std::size_t>{2, 12});
}

}  // namespace nn_recurrent_test
