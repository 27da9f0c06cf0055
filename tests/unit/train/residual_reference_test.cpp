// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The residual network reference run (tests/data/ref/make_residual_reference.py, PyTorch,
// float32): a stem, a Residual block with BatchNormalization, a downsampling Add with a strided
// 1 x 1 projection as its shortcut, a Concatenate of the input and a pooled, convolved and
// upsampled branch (a U-Net level), two transposed convolutions (same padding at stride 2, and a
// kernel smaller than its stride), global average pooling and a softmax output, trained 8 steps
// from PyTorch's initial parameters with SGD and with Adam. Every step's loss within 2e-6 of
// PyTorch's, the final parameters within 2e-5, every BatchNormalization's moving statistics (Keras'
// rule, inside the blocks too) within 1e-6, and the inference-mode loss that uses them within 2e-6.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fitcheck/fitcheck.hpp>
#include <span>
#include <string>
#include <vector>

#include "pytorch_reference.hpp"

namespace train_residual_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
using fc::padding;
template <std::size_t F, std::size_t K, std::size_t S = 1>
using ConvNoBias = fc::Conv2D<F, K, S, padding::same, 1, false>;
using BN = fc::BatchNormalization<>;
using Net = fc::Sequential<
    fc::Input<8, 8, 3>, ConvNoBias<8, 3>, BN, fc::ReLU,
    fc::Residual<ConvNoBias<8, 3>, BN, fc::ReLU, ConvNoBias<8, 3>, BN>, fc::ReLU,
    fc::Add<fc::Branch<ConvNoBias<12, 3, 2>, BN, fc::ReLU, fc::Conv2D<12, 3, 1, padding::same>>,
            fc::Conv2D<12, 1, 2>>,
    fc::ReLU,
    fc::Concatenate<fc::Identity, fc::Branch<fc::AveragePooling2D<2>, fc::Conv2D<4, 1>, fc::Tanh,
                                             fc::UpSampling2D<2>>>,
    fc::Conv2DTranspose<6, 3, 2, padding::same>, fc::ReLU, fc::Conv2DTranspose<4, 2, 3>,
    fc::GlobalAveragePooling2D, fc::Dense<5>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;

void check_run(fc::optim::Optimizer opt, const std::string& name) {
  static_assert(Net::param_count == 3857 - 85 + 870 + 100 + 25 && Net::state_count == 2 * (8 + 8 + 8 + 12));
  Model model(std::move(opt));
  const auto init = load("residual_init_params.bin");
  REQUIRE(init.size() == Net::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load("residual_X.bin");
  const auto yf = load("residual_y.bin");
  std::vector<int> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<8, 8, 3>, fc::ClassLabel<5>>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto expected = load_losses("residual_losses_" + name + ".txt");
  REQUIRE(expected.size() == 8);
  const double worst = check_step_losses(model, train, expected, 2e-6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);

  const auto want = load("residual_final_" + name + "_params.bin");
  const double param_diff = max_difference(model.parameters(), want);
  CHECK(param_diff <= 2e-5);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);

  // The four BatchNormalizations' moving means and variances, in the model's state order.
  const auto moving = load("residual_moving_" + name + ".bin");
  std::vector<double> state(Net::state_count);
  model.network_layers().save_state(state);
  REQUIRE(moving.size() == state.size());
  double moving_diff = 0;
  for (std::size_t j = 0; j < state.size(); ++j)
    moving_diff = std::max(moving_diff, std::abs(state[j] - double(moving[j])));
  CHECK(moving_diff <= 1e-6);
  MESSAGE(name << ": largest moving statistic difference to PyTorch " << moving_diff);

  const double eval = model.evaluate(train).at("loss");
  const double want_eval = load_losses("residual_eval_" + name + ".txt").at(0);
  CHECK(std::abs(eval - want_eval) <= 2e-6);
  MESSAGE(name << ": inference loss " << eval << ", PyTorch " << want_eval);
}
}  // namespace

TEST_CASE("reference: a residual network trained with SGD matches PyTorch") {
  check_run(fc::optim::SGD{.learning_rate = 0.05f}, "sgd");
}

TEST_CASE("reference: a residual network trained with Adam matches PyTorch") {
  check_run(fc::optim::Adam{.learning_rate = 1e-3f, .epsilon = 1e-8f}, "adam");
}

}  // namespace train_residual_reference_test
