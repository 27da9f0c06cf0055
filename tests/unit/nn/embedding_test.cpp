// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Embedding: rows of the table per token, the table's gradient accumulated over repeated tokens
// (finite differences), tokens refused by value and place, and a model that needs the vectors
// learning with no data-scan warning about "unscaled" token indices.
#include <doctest/doctest.h>

#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <limits>
#include <span>
#include <string>
#include <support/errors.hpp>
#include <vector>

#include "gradient_check.hpp"

namespace nn_embedding_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;
using fitcheck::test::message_of;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;
using Table = nn::Embedding<6, 3>::bind<dims<4>>;
}  // namespace

static_assert(std::is_same_v<Table::output_shape, fc::Shape<4, 3>>);
static_assert(Table::param_count == 18);

TEST_CASE("Embedding: each token's row of the table, in position order") {
  const Table layer;
  std::vector<double> p(18);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = double(i) + 0.5;  // row t: 3t + 0.5 ...
  const std::vector<double> x = {5, 0, 2, 2, 1, 3, 4, 0};             // two samples of 4 tokens
  std::vector<double> y(2 * 4 * 3);
  layer.forward(p.data(), x.data(), y.data(), 2, nn::mode::training);
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t d = 0; d < 3; ++d) CHECK(y[i * 3 + d] == p[std::size_t(x[i]) * 3 + d]);
}

TEST_CASE("Embedding: float64 finite differences match the table's gradient, tokens get none") {
  Table layer;
  std::vector<double> p(18);
  fc::Rng rng(3);
  for (double& v : p) v = 2.0 * rng.uniform_float() - 1.0;
  // Tokens 2 and 0 repeat, within and across samples: their rows sum several positions; token 5
  // is absent, so its row's gradient is 0.
  const std::vector<double> x = {2, 0, 2, 1, 3, 4, 0, 2, 0, 0, 1, 2};
  fc::test::gradient_check_options opt;
  opt.differentiable_inputs = false;
  const auto r = fc::test::check_gradients(layer, p, x, 3, opt);
  CHECK(r.dparam_error <= 1e-6);
  CHECK(r.dx_error == 0.0);
  CHECK(r.null_dx_same_dparams);
}

TEST_CASE(
    "Embedding: a token that is not an integer from 0 to Vocabulary - 1 is a data_error naming "
    "the sample, the position and the value") {
  const Table layer;
  const std::vector<float> p(18, 0.1f);
  std::vector<float> y(2 * 4 * 3);
  const auto refused = [&](float bad) {
    std::vector<float> x = {1, 2, 3, 4, 0, 1, 2, 3};
    x[6] = bad;
    return message_of<fc::data_error>(
        [&] { layer.forward(p.data(), x.data(), y.data(), 2, nn::mode::inference); });
  };
  const std::string six = refused(6.0f);
  CHECK(six.find("Embedding<6, 3>: sample 1 of the batch, position 2 holds 6, not a token index "
                 "in [0, 6)") == 0);
  CHECK(six.find("Fix: map the tokens to the integers 0..5 before the layer") != std::string::npos);
  CHECK(refused(-1.0f).find("holds -1,") != std::string::npos);
  CHECK(refused(2.5f).find("holds 2.5,") != std::string::npos);
  CHECK(refused(std::numeric_limits<float>::quiet_NaN()).find("holds nan,") != std::string::npos);
}

TEST_CASE(
    "Embedding: a model learns which token a sequence holds, token indices are not "
    "'unscaled inputs' to the data scan") {
  // Sequences of 6 tokens from 40; the label says whether token 7 is among them.
  constexpr std::size_t n = 512, length = 6;
  fc::Rng rng(11);
  std::vector<float> x(n * length);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < length; ++t) x[i * length + t] = float(rng() % 40);
    if (i % 2 == 0) x[i * length + rng() % length] = 7.0f;  // about half hold it
    y[i] = 0;
    for (std::size_t t = 0; t < length; ++t) y[i] = y[i] || x[i * length + t] == 7.0f;
  }
  auto train = fd::from_tensor_slices<fc::Features<length>, fc::BinaryLabel>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::shuffle(n, fc::Seed{2}) | fd::batch<32>();
  using Net = fc::Sequential<fc::Input<length>, fc::Embedding<40, 8>, fc::GlobalMaxPooling1D,
                             fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{1});
  // check::error: any data-scan warning (D1 unscaled, C5 category codes) would throw.
  const auto h = model.fit(train, 15, fc::Preflight{.level = fc::check::error}, fc::Verbose{0});
  CHECK(h["accuracy"].back() > 0.97);
  const std::string s = model.summary();
  const auto row = s.find(" embedding (Embedding) ");
  REQUIRE(row != std::string::npos);
  const std::string line = s.substr(row, s.find('\n', row) - row);
  CHECK(line.find(" (None, 6, 8) ") != std::string::npos);
  CHECK(line.substr(line.rfind(' ') + 1) == "320");
}

TEST_CASE("Embedding: exported as Keras names it, embedding/embeddings of (Vocabulary, Dim)") {
  using Net = fc::Sequential<fc::Input<4>, fc::Embedding<6, 3>, fc::Flatten, fc::Dense<1>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 3);
  CHECK(tensors[0].name == "embedding/embeddings");
  CHECK(tensors[0].shape == std::vector<std::size_t>{6, 3});
  CHECK(tensors[1].name == "dense/kernel");
}

}  // namespace nn_embedding_test
