// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The loss reference runs (tests/data/ref/make_loss_reference.py, PyTorch, float32): one small
// model trained 6 steps with SGD from PyTorch's initial parameters under four of Keras' losses,
// PyTorch's own loss where it has one (label smoothing, KL divergence, Poisson) and Keras'
// formula by autograd where it does not (the balanced focal loss). Every step's loss and the
// final parameters within 2e-6 of PyTorch's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "pytorch_reference.hpp"

namespace train_loss_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fl = fitcheck::loss;
using std::ratio;

namespace {
using namespace fc::test::ref;
template <class Last>
using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Tanh, fc::Dense<3>, Last>;

template <class Last, class Loss, class Label, class Value>
void check_run(const std::string& name, const std::string& labels_file) {
  fc::Model<Net<Last>, Loss> model(fc::optim::SGD{.learning_rate = 0.1f});
  const auto init = load("loss_init_params.bin");
  REQUIRE(init.size() == Net<Last>::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load("loss_X.bin");
  const auto yf = load(labels_file);
  const std::vector<Value> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<6>, Label>(std::span<const float>(x),
                                                              std::span<const Value>(y)) |
               fd::batch<16>();
  const auto expected = load_losses("loss_losses_" + name + ".txt");
  REQUIRE(expected.size() == 6);
  const double worst = check_step_losses(model, train, expected, 2e-6);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);
  const double param_diff =
      max_difference(model.parameters(), load("loss_final_" + name + "_params.bin"));
  CHECK(param_diff <= 2e-6);
  MESSAGE(name << ": largest parameter difference to PyTorch " << param_diff);
}
}  // namespace

TEST_CASE("reference: label smoothing of the sparse cross-entropy matches PyTorch's") {
  check_run<fc::Softmax, fl::LabelSmoothing<fl::SparseCategoricalCrossentropy, ratio<1, 10>>,
            fc::ClassLabel<3>, int>("smooth", "loss_classes.bin");
}

TEST_CASE("reference: KLDivergence on soft targets matches PyTorch's KLDivLoss") {
  check_run<fc::Softmax, fl::KLDivergence, fc::RegressionTarget<3>, float>("kld", "loss_soft.bin");
}

TEST_CASE("reference: Poisson after Softplus matches PyTorch's PoissonNLLLoss") {
  check_run<fc::Softplus, fl::Poisson, fc::RegressionTarget<3>, float>("poisson",
                                                                       "loss_counts.bin");
}

TEST_CASE("reference: the balanced binary focal loss matches Keras' formula by autograd") {
  check_run<fc::Sigmoid, fl::BinaryFocalCrossentropy<ratio<2>, ratio<1, 4>>, fc::MultiLabel<3>,
            float>("focal", "loss_bits.bin");
}

}  // namespace train_loss_reference_test
