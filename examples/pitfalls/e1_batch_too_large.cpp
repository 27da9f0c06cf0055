// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [E1]: a batch of 10,000 through a wide model (784-4096-4096-10, about 20 M parameters,
// trained with Adam): about 1.3 GiB, where the budget is 1 GiB. In Keras this is an
// out-of-memory crash once training is under way. fitcheck plans the memory from the model's
// type and the batch size:
//  - at compile time, against a budget stated in the code, when the batch size is static: the
//    mistake (batch 10000) is the compile-fail tests
//    tests/compile_fail/train/e1_batch_exceeds_memory_budget.cpp (MemoryBudget::check) and
//    tests/compile_fail/train/e1_model_memory_budget.cpp (the Model option); this file holds
//    their fix, batch 256;
//  - before the first step, against the smaller of that budget and the free memory, when the
//    batch size comes at run time (below: from a setting), naming the largest batch that fits.
#include <cstddef>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<784>, fc::Dense<4096>, fc::ReLU, fc::Dense<4096>, fc::ReLU,
                           fc::Dense<10>, fc::Softmax>;
constexpr std::size_t budget = std::size_t{1} << 30;  // 1 GiB
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::MemoryBudget<budget>>;

// The compile-time check, fixed: batch 256 fits 1 GiB (with the most optimizer state, even).
static_assert(fc::MemoryBudget<budget>::check<Net, 256, fc::optimizer_slots::adam>());
static_assert(fc::MemoryBudget<budget>::check<Net, 256>());

// 10,000 images of 784 pixels in [0, 1); class c lights up pixels 78c..78c+77.
fd::TensorSlices<fc::Features<784>, fc::ClassLabel<10>> images() {
  constexpr std::size_t n = 10000;
  fc::Rng rng(5);
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{784}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    y(i) = int(i % 10);
    for (std::size_t p = 0; p < 784; ++p)
      x(i, p) = 0.5f * rng.uniform_float() + (p / 78 == i % 10 ? 0.5f : 0.0f);
  }
  return fd::from_tensor_slices<fc::Features<784>, fc::ClassLabel<10>>(x, y);
}

int main() {
  const auto adam = fc::optimizer_slots::adam;
  const fc::memory_plan plan = fc::plan_memory<Net, fc::ClassLabel<10>>(10000, adam);
  std::printf(
      "plan: batch 10000 with Adam needs %s; the budget is %s; the largest batch "
      "within it is %zu\n",
      fc::format_bytes(plan.total()).c_str(), fc::format_bytes(budget).c_str(),
      fc::largest_batch<Net, fc::ClassLabel<10>>(budget, adam));

  auto data = images();
  {
    // The batch size from a setting (here a variable), so only known at run time.
    const std::size_t batch_size = 10000;
    auto train = data | fd::shuffle(10000, fc::Seed{1}) | fd::batch(batch_size);
    Model model(fc::optim::Adam{});
    try {
      (void)model.fit(train, fc::Epochs{1}, fc::Verbose{0});
    } catch (const fc::resource_error& e) {
      tiny::caught("resource_error", e);
    }
  }

  // The fix: a batch that fits, static, so the budget is checked by the compiler too. Two
  // short epochs of 1 step each: enough to show it trains (20 M parameters are slow on a CPU).
  auto train = data | fd::shuffle(10000, fc::Seed{1}) | fd::batch<256>();
  Model model(fc::optim::Adam{.learning_rate = 1e-4f});
  tiny::trained(model.fit(train, fc::Epochs{2}, fc::StepsPerEpoch{1}, fc::Verbose{0}));
  return 0;
}
