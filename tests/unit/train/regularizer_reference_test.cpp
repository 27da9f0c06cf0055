// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The weight-penalty reference run (tests/data/ref/make_regularizer_reference.py, PyTorch,
// float32): a Conv2D with an L1L2 kernel penalty and a Dense with an L2 kernel and an L1 bias
// penalty, trained 6 steps from PyTorch's initial parameters with SGD and with Adam, the loss
// Keras' (the data's plus the penalties). Every step's loss within 2e-6 of PyTorch's, the final
// parameters within 2e-6, and evaluate's loss (penalties included) within 2e-6.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include "pytorch_reference.hpp"

namespace train_regularizer_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
using Net = fc::Sequential<
    fc::Input<6, 6, 2>,
    fc::Regularized<fc::Conv2D<4, 3>, fc::L1L2<std::ratio<1, 100>, std::ratio<1, 20>>>, fc::ReLU,
    fc::Flatten,
    fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>,
                    fc::bias_regularizer<fc::L1<std::ratio<1, 50>>>>,
    fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;

void check_run(fc::optim::Optimizer opt, const std::string& name) {
  static_assert(Net::param_count == 76 + 520 + 27 && Net::penalty_count == 3);
  Model model(std::move(opt));
  const auto init = load("regularizer_init_params.bin");
  REQUIRE(init.size() == Net::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load("regularizer_X.bin");
  const auto yf = load("regularizer_y.bin");
  std::vector<int> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<6, 6, 2>, fc::ClassLabel<3>>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fd::batch<16>();
  const auto expected = load_losses("regularizer_losses_" + name + ".txt");
  REQUIRE(expected.size() == 6);
  const double worst = check_step_losses(model, train, expected, 2e-6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);

  const auto want = load("regularizer_final_" + name + "_params.bin");
  const double param_diff = max_difference(model.parameters(), want);
  CHECK(param_diff <= 2e-6);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);

  const double eval = model.evaluate(train).at("loss");
  const double want_eval = load_losses("regularizer_eval_" + name + ".txt").at(0);
  CHECK(std::abs(eval - want_eval) <= 2e-6);
  MESSAGE(name << ": evaluate's loss " << eval << ", PyTorch " << want_eval);
}
}  // namespace

TEST_CASE("reference: weight penalties trained with SGD match PyTorch") {
  check_run(fc::optim::SGD{.learning_rate = 0.1f}, "sgd");
}

TEST_CASE("reference: weight penalties trained with Adam match PyTorch") {
  check_run(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "adam");
}

}  // namespace train_regularizer_reference_test
