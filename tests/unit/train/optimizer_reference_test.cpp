// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' other optimizers against PyTorch (tests/data/ref/make_loss_reference.py, float32): the
// loss reference model trained 6 steps with the sparse categorical cross-entropy under Adagrad,
// Adamax and Adadelta (torch.optim's), Nadam (with Keras' momentum schedule and with PyTorch's)
// AMSGrad (Adam's and AdamW's amsgrad), and Lion (those two written out in PyTorch: 1.13 has no Lion, and its NAdam multiplies mu_t
// into the second product twice, which Keras and later PyTorch do not). Every
// step's loss and the final parameters within 2e-6 of PyTorch's.
#include <doctest/doctest.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "pytorch_reference.hpp"

namespace train_optimizer_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fo = fitcheck::optim;

namespace {
using namespace fc::test::ref;
using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Tanh, fc::Dense<3>, fc::Softmax>;

using M = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;

// A model of the reference's initial weights training with `opt`.
M reference_model(fo::Optimizer opt) {
  M model(std::move(opt));
  const auto init = load("loss_init_params.bin");
  REQUIRE(init.size() == Net::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  return model;
}
// The reference's 6 batches of 16, in file order (read on first use).
auto reference_batches() {
  static const std::vector<float> x = load("loss_X.bin");
  static const std::vector<int> y = [] {
    const auto yf = load("loss_classes.bin");
    return std::vector<int>(yf.begin(), yf.end());
  }();
  return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                    std::span<const int>(y)) |
         fd::batch<16>();
}

// Trains `opt` 6 steps against PyTorch's run `name`: each step's loss and the final parameters.
void check_run(fo::Optimizer opt, const std::string& name) {
  M model = reference_model(std::move(opt));
  auto train = reference_batches();
  const auto expected = load_losses("optim_losses_" + name + ".txt");
  REQUIRE(expected.size() == 6);
  const double worst = check_step_losses(model, train, expected, 2e-6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);
  const double param_diff =
      max_difference(model.parameters(), load("optim_final_" + name + "_params.bin"));
  CHECK(param_diff <= 2e-6);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);
}
}  // namespace

TEST_CASE("reference: Adagrad with Keras' initial accumulator matches torch.optim.Adagrad") {
  check_run(fo::Adagrad{.learning_rate = 0.05f}, "adagrad");
}

TEST_CASE("reference: Adamax matches torch.optim.Adamax") {
  check_run(fo::Adamax{.learning_rate = 0.01f}, "adamax");
}

TEST_CASE("reference: Adadelta matches torch.optim.Adadelta") {
  check_run(fo::Adadelta{.learning_rate = 1.0f}, "adadelta");
}

TEST_CASE("reference: Nadam with Keras' momentum schedule matches its update in PyTorch") {
  check_run(fo::Nadam{.learning_rate = 0.01f}, "nadam");
}

TEST_CASE("reference: Nadam with PyTorch's momentum schedule matches its update in PyTorch") {
  check_run(fo::Nadam{.learning_rate = 0.01f, .epsilon = 1e-8f, .momentum_decay = 0.004f},
            "nadam_torch");
}

TEST_CASE("reference: Lion with weight decay matches Keras' update") {
  check_run(fo::Lion{.learning_rate = 0.01f, .weight_decay = 0.1f}, "lion");
}

TEST_CASE("reference: AMSGrad (Adam's and AdamW's amsgrad) matches torch.optim's") {
  check_run(fo::Adam{.learning_rate = 0.01f, .beta_2 = 0.5f, .amsgrad = true}, "amsgrad");
  check_run(fo::AdamW{.learning_rate = 0.01f, .weight_decay = 0.1f, .beta_2 = 0.5f,
                      .amsgrad = true},
            "amsgrad_adamw");
  // The run is one where the maximum matters: plain Adam ends elsewhere.
  M plain = reference_model(fo::Adam{.learning_rate = 0.01f, .beta_2 = 0.5f});
  for (const auto& batch : reference_batches()) (void)plain.train_step(batch);
  CHECK(max_difference(plain.parameters(), load("optim_final_amsgrad_params.bin")) > 1e-4);
}

}  // namespace train_optimizer_reference_test
