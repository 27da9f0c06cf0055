// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The CNN reference run (tests/data/ref/make_cnn_reference.py, PyTorch, float32): convolution
// with same padding and no bias, BatchNormalization in training mode, max pooling, a strided and dilated
// convolution, Flatten and a softmax output, trained 8 steps from PyTorch's initial parameters
// with SGD and with Adam. Every step's loss within 2e-6 of PyTorch's, the final parameters
// within 2e-5, BatchNormalization's moving statistics (Keras' rule) within 1e-6, and the
// inference-mode loss that uses them within 2e-6.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "pytorch_reference.hpp"

namespace train_cnn_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
using Net = fc::Sequential<fc::Input<10, 10, 3>, fc::Conv2D<8, 3, 1, fc::padding::same, 1, false>,
                           fc::BatchNormalization<>, fc::ReLU, fc::MaxPooling2D<2>,
                           fc::Conv2D<12, 2, 2, fc::padding::valid, 2>, fc::ReLU, fc::Flatten,
                           fc::Dense<5>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;

void check_run(fc::optim::Optimizer opt, const std::string& name) {
  static_assert(Net::param_count == 873);
  Model model(std::move(opt));
  const auto init = load("cnn_init_params.bin");
  REQUIRE(init.size() == Net::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load("cnn_X.bin");
  const auto yf = load("cnn_y.bin");
  std::vector<int> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<10, 10, 3>, fc::ClassLabel<5>>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto expected = load_losses("cnn_losses_" + name + ".txt");
  REQUIRE(expected.size() == 8);
  const double worst = check_step_losses(model, train, expected, 2e-6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);

  const auto want = load("cnn_final_" + name + "_params.bin");
  const auto got = model.parameters();
  const double param_diff = max_difference(got, want);
  CHECK(param_diff <= 2e-5);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);

  const auto moving = load("cnn_moving_" + name + ".bin");
  const auto& bn = std::get<1>(model.network_layers().layers());
  double moving_diff = 0;
  for (std::size_t j = 0; j < 8; ++j) {
    moving_diff = std::max(moving_diff, std::abs(bn.moving_mean()[j] - moving[j]));
    moving_diff = std::max(moving_diff, std::abs(bn.moving_variance()[j] - moving[8 + j]));
  }
  CHECK(moving_diff <= 1e-6);

  const double eval = model.evaluate(train).at("loss");
  const double want_eval = load_losses("cnn_eval_" + name + ".txt").at(0);
  CHECK(std::abs(eval - want_eval) <= 2e-6);
  MESSAGE(name << ": inference loss " << eval << ", PyTorch " << want_eval);
}
}  // namespace

TEST_CASE("reference: a CNN with BatchNormalization trained with SGD matches PyTorch") {
  check_run(fc::optim::SGD{.learning_rate = 0.05f}, "sgd");
}

TEST_CASE("reference: a CNN with BatchNormalization trained with Adam matches PyTorch") {
  check_run(fc::optim::Adam{.learning_rate = 1e-3f, .epsilon = 1e-8f}, "adam");
}

}  // namespace train_cnn_reference_test
