// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// SimpleRNN: the forward pass against a step-by-step transcription of Keras' SimpleRNNCell, the
// gradients through time against finite differences (alone and in Bidirectional), Keras'
// initialisers, and its weights named as Keras 3 names them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <string>
#include <vector>

#include "gradient_check.hpp"

namespace nn_simple_rnn_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

constexpr std::size_t steps = 5, features = 3, units = 4;
using Last = nn::SimpleRNN<units>::bind<dims<steps, features>>;
using Every = nn::SimpleRNN<units, fc::return_sequences>::bind<dims<steps, features>>;
static_assert(Last::param_count == features * units + units * units + units);
static_assert(std::is_same_v<Last::output_shape, fc::Shape<units>>);
static_assert(std::is_same_v<Every::output_shape, fc::Shape<steps, units>>);

std::vector<double> random_values(std::size_t n, std::uint64_t seed, double scale) {
  fc::Rng rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = scale * (2.0 * rng.uniform_float() - 1.0);
  return v;
}

// Keras' SimpleRNNCell, one sample: h = tanh(x W + b + h_prev R), every step's state.
std::vector<double> transcribed(const std::vector<double>& p, const double* x) {
  const double* kernel = p.data();
  const double* recurrent = kernel + features * units;
  const double* bias = recurrent + units * units;
  std::vector<double> h(units, 0.0), out;
  for (std::size_t t = 0; t < steps; ++t) {
    std::vector<double> z(bias, bias + units);
    for (std::size_t j = 0; j < units; ++j) {
      for (std::size_t d = 0; d < features; ++d)
        z[j] += x[t * features + d] * kernel[d * units + j];
      for (std::size_t u = 0; u < units; ++u) z[j] += h[u] * recurrent[u * units + j];
    }
    for (std::size_t u = 0; u < units; ++u) h[u] = std::tanh(z[u]);
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}
}  // namespace

TEST_CASE("SimpleRNN: the forward pass computes Keras' SimpleRNNCell step by step") {
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

TEST_CASE("SimpleRNN: float64 finite differences match the gradients through time") {
  const auto p = random_values(Last::param_count, 8, 0.7);
  const auto x = random_values(3 * steps * features, 9, 1.0);
  SUBCASE("the last step's output") {
    Last layer;
    CHECK(fc::test::check_gradients(layer, p, x, 3).passed(1e-6));
  }
  SUBCASE("every step's output (return_sequences)") {
    Every layer;
    CHECK(fc::test::check_gradients(layer, p, x, 3).passed(1e-6));
  }
  SUBCASE("a sequence of one step") {
    using One = nn::SimpleRNN<3>::bind<dims<1, 2>>;
    One layer;
    CHECK(fc::test::check_gradients(layer, random_values(One::param_count, 10, 0.7),
                                    random_values(2 * 2, 11, 1.0), 2)
              .passed(1e-6));
  }
  SUBCASE("Bidirectional, every step") {
    using Both = nn::Bidirectional<nn::SimpleRNN<2, fc::return_sequences>>::bind<dims<4, 3>>;
    Both layer;
    CHECK(fc::test::check_gradients(layer, random_values(Both::param_count, 12, 0.7),
                                    random_values(2 * 4 * 3, 13, 1.0), 2)
              .passed(1e-6));
  }
}

TEST_CASE("SimpleRNN: Keras' initialisers: glorot kernel, orthogonal recurrent kernel, zero bias") {
  using Layer = nn::SimpleRNN<6>::bind<dims<7, 5>>;
  Layer layer;
  std::vector<float> p(Layer::param_count, 7.0f);
  fc::Rng rng(22);
  layer.init(p, rng);
  const double limit = std::sqrt(6.0 / (5 + 6));
  for (std::size_t i = 0; i < Layer::recurrent_offset; ++i) CHECK(std::abs(p[i]) <= limit);
  double worst = 0;
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t s = 0; s < 6; ++s) {
      double dot = 0;
      for (std::size_t j = 0; j < 6; ++j)
        dot += double(p[Layer::recurrent_offset + r * 6 + j]) *
               double(p[Layer::recurrent_offset + s * 6 + j]);
      worst = std::max(worst, std::abs(dot - (r == s ? 1.0 : 0.0)));
    }
  CHECK(worst <= 1e-6);
  for (std::size_t i = Layer::bias_offset; i < Layer::param_count; ++i) CHECK(p[i] == 0.0f);
}

TEST_CASE("SimpleRNN: exported as Keras 3 names it, alone and in Bidirectional") {
  using Net = fc::Sequential<fc::Input<5, 3>, fc::SimpleRNN<4, fc::return_sequences>,
                             fc::Bidirectional<fc::SimpleRNN<2>>, fc::Dense<1>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 11);
  CHECK(tensors[0].name == "simple_rnn/simple_rnn_cell/kernel");
  CHECK(tensors[0].shape == std::vector<std::size_t>{3, 4});
  CHECK(tensors[1].name == "simple_rnn/simple_rnn_cell/recurrent_kernel");
  CHECK(tensors[1].shape == std::vector<std::size_t>{4, 4});
  CHECK(tensors[2].name == "simple_rnn/simple_rnn_cell/bias");
  CHECK(tensors[2].shape == std::vector<std::size_t>{4});
  CHECK(tensors[3].name == "bidirectional/forward_simple_rnn/simple_rnn_cell/kernel");
  CHECK(tensors[3].shape == std::vector<std::size_t>{4, 2});
  CHECK(tensors[8].name == "bidirectional/backward_simple_rnn/simple_rnn_cell/bias");
  fc::Model<Net, fc::loss::MeanSquaredError> model(fc::optim::Adam{});
  const std::string summary = model.summary();
  CHECK(summary.find("simple_rnn (SimpleRNN)") != std::string::npos);
}

}  // namespace nn_simple_rnn_test
