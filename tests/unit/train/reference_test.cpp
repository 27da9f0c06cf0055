// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Training the seed MLP of shared/ref (PyTorch 1.13, float32) from its initial weights on its data,
// in file order: every recorded loss and every final parameter within 1e-5.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "pytorch_reference.hpp"

namespace train_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
using Model = fc::Model<SeedNet, fc::loss::BinaryCrossentropy>;

void check_run(fc::optim::Optimizer opt, const std::string& name) {
  Model model(std::move(opt));
  set_seed_parameters(model, "init");
  const seed_data data;
  auto train = data.batches();
  const auto expected = load_losses("seed_mlp_losses_" + name + ".txt");
  REQUIRE(expected.size() == 20);
  std::size_t t = 0;
  double worst = 0;
  for (const auto& batch : train) {
    const double loss = model.train_step(batch);
    CAPTURE(t);
    CHECK(std::abs(loss - expected[t]) <= 1e-5);
    worst = std::max(worst, std::abs(loss - expected[t]));
    ++t;
  }
  CHECK(t == 20);
  MESSAGE(name << ": largest loss difference to PyTorch " << worst);

  Model reference(fc::optim::SGD{});
  set_seed_parameters(reference, "final_" + name);
  const auto got = model.parameters();
  const auto want = reference.parameters();
  double worst_param = 0;
  for (std::size_t i = 0; i < got.size(); ++i)
    worst_param = std::max(worst_param, double(std::abs(got[i] - want[i])));
  CHECK(worst_param <= 1e-5);
  MESSAGE(name << ": largest parameter difference to PyTorch " << worst_param);
}
}  // namespace

TEST_CASE("reference: the seed MLP trained with SGD matches PyTorch") {
  check_run(fc::optim::SGD{.learning_rate = 0.1f}, "sgd");
}

TEST_CASE("reference: the seed MLP trained with Adam matches PyTorch") {
  check_run(fc::optim::Adam{.learning_rate = 1e-3f, .epsilon = 1e-8f}, "adam");
}

}  // namespace train_reference_test
