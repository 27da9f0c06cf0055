// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The LSTM reference run (tests/data/ref/make_lstm_reference.py, PyTorch, float32): an Embedding,
// an LSTM returning every step into a second LSTM returning its last, and a sigmoid unit, trained
// 6 steps from PyTorch's initial parameters with SGD and with Adam. Every step's loss within
// 1e-6 of PyTorch's and the final parameters within 5e-6 (measured: 1.2e-7 and 2.4e-7): the
// gradients through time, through both LSTMs' inputs and into the embedding table, are PyTorch's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "pytorch_reference.hpp"

namespace train_lstm_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
using Net = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>, fc::LSTM<8, fc::return_sequences>,
                           fc::LSTM<5>, fc::Dense<1>, fc::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy>;

void check_run(fc::optim::Optimizer opt, const std::string& name) {
  static_assert(Net::param_count == 886);
  Model model(std::move(opt));
  const auto init = load("lstm_init_params.bin");
  REQUIRE(init.size() == Net::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load("lstm_X.bin");
  const auto yf = load("lstm_y.bin");
  std::vector<int> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<12>, fc::BinaryLabel>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto expected = load_losses("lstm_losses_" + name + ".txt");
  REQUIRE(expected.size() == 6);
  std::size_t t = 0;
  double worst = 0;
  for (const auto& batch : train) {
    const double loss = model.train_step(batch);
    CAPTURE(t);
    CHECK(std::abs(loss - expected[t]) <= 1e-6);
    worst = std::max(worst, std::abs(loss - expected[t]));
    ++t;
  }
  CHECK(t == 6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);

  const auto want = load("lstm_final_" + name + "_params.bin");
  const auto got = model.parameters();
  double param_diff = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    param_diff = std::max(param_diff, std::abs(double(got[i]) - want[i]));
  CHECK(param_diff <= 5e-6);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);
}
}  // namespace

TEST_CASE("reference: an Embedding and two stacked LSTMs trained with SGD match PyTorch") {
  check_run(fc::optim::SGD{.learning_rate = 0.5f}, "sgd");
}

TEST_CASE("reference: an Embedding and two stacked LSTMs trained with Adam match PyTorch") {
  check_run(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "adam");
}

}  // namespace train_lstm_reference_test
