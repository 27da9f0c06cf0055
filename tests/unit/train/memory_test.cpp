// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// [E1] (batch too large for memory) and E2 (out of memory mid-run): the memory plan as a
// constant expression, the budget check, and the runtime messages with their facts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/memory.hpp>
#include <fstream>
#include <iterator>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

namespace train_memory_test {

namespace fc = fitcheck;
using fitcheck::test::temp_dir;

namespace {
// widths 3, 4, 4, 2: activation_width 13, max_width 4; params 3*4+4 + 4*2+2 = 26.
using Net = fc::Sequential<fc::Input<3>, fc::Dense<4>, fc::ReLU, fc::Dense<2>>;
static_assert(Net::activation_width == 13 && Net::max_width == 4 && Net::param_count == 26);

// By hand, batch 10 with Adam (2 floats of state per parameter), labels unknown (2 floats):
// parameters 26*4 = 104, gradients 104, state 2*104 = 208, activations 10*13*4 = 520,
// scratch 2*10*4*4 = 320, batch buffers 10*(3 + 2)*4 = 200; total 1456; 104 bytes per sample.
constexpr fc::memory_plan plan = fc::plan_memory<Net>(10, fc::optimizer_slots::adam);
static_assert(plan.parameters == 104 && plan.gradients == 104 && plan.optimizer_state == 208);
static_assert(plan.activations == 520 && plan.backward_scratch == 320);
static_assert(plan.batch_buffers == 200 && plan.total() == 1456 && plan.per_sample == 104);
static_assert(plan.fixed() == 416 && plan.batch == 10);
// A binary label is one int32 per sample: batch buffers 10*(12 + 4).
static_assert(fc::plan_memory<Net, fc::BinaryLabel>(10, fc::optimizer_slots::sgd).batch_buffers ==
              160);
static_assert(fc::plan_memory<Net>(10, fc::optimizer_slots::sgd).optimizer_state == 0);
static_assert(fc::plan_memory<Net>(1, fc::optimizer_slots::most).optimizer_state == 520);
// The largest batch: (budget - 416) / 104.
static_assert(fc::largest_batch<Net>(1456, fc::optimizer_slots::adam) == 10);
static_assert(fc::largest_batch<Net>(1455, fc::optimizer_slots::adam) == 9);
static_assert(fc::largest_batch<Net>(415, fc::optimizer_slots::adam) == 0);
static_assert(fc::fits_budget<Net, 10, 1456, fc::optimizer_slots::adam>());

// A convolution keeps its lowering block: 26 x 26 output pixels of 3 x 3 x 1 values per batch
// image, at most 2^17 / 9 = 14563 rows: 14563 x 9 floats, whatever the batch. Its activations
// are counted as any layer's.
using ConvNet = fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<4, 3>, fc::ReLU, fc::Flatten,
                               fc::Dense<2>>;
static_assert(ConvNet::workspace_floats == 14563 * 9);
static_assert(fc::plan_memory<ConvNet>(8, fc::optimizer_slots::sgd).layer_workspace ==
              14563 * 9 * 4);
static_assert(ConvNet::activation_width == 784 + 3 * 26 * 26 * 4 + 2);
static_assert(Net::workspace_floats == 0 && plan.layer_workspace == 0);
static_assert(fc::MemoryBudget<1456>::check<Net, 10, fc::optimizer_slots::adam>());
static_assert(fc::MemoryBudget<1456>::largest_batch<Net>(fc::optimizer_slots::adam) == 10);
static_assert(fc::is_memory_budget<fc::MemoryBudget<1>> && !fc::is_memory_budget<int>);
// (fits_budget<Net, 11, 1456, adam>() fails to compile: the static_assert's E1 message.)

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("memory: the plan of a small net, computed by hand, at run time too") {
  const std::size_t batch = 10;  // not a constant: the same function at run time
  const auto p = fc::plan_memory<Net>(batch, fc::optimizer_slots::adam);
  CHECK(p.total() == 1456);
  CHECK(p.largest_batch(1456) == 10);
  CHECK(p.largest_batch(1456 + 103) == 10);
  CHECK(p.largest_batch(1456 + 104) == 11);
}

TEST_CASE("memory: an optimizer's slots are what its state allocates") {
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::SGD{})) == fc::optimizer_slots::sgd);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::SGD{.momentum = 0.9f})).per_parameter == 1);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adam{})).per_parameter == 2);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::AdamW{})).per_parameter == 2);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::RMSprop{})).per_parameter == 1);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::RMSprop{.momentum = 0.9f, .centered = true}))
            .per_parameter == 3);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adagrad{})) == fc::optimizer_slots::adagrad);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adamax{})) == fc::optimizer_slots::adamax);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adadelta{})) ==
        fc::optimizer_slots::adadelta);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Lion{})) == fc::optimizer_slots::lion);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Nadam{})) == fc::optimizer_slots::nadam);
  // Gradient accumulation keeps one more float per parameter: the accumulator.
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adam{.gradient_accumulation_steps = 4}))
            .per_parameter == 3);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::SGD{.gradient_accumulation_steps = 2}))
            .per_parameter == 1);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::Adam{.use_ema = true})).per_parameter == 3);
  CHECK(fc::slots_of(fc::optim::Optimizer(fc::optim::AdamW{.amsgrad = true})).per_parameter == 3);
  const fc::optim::Optimizer most(fc::optim::RMSprop{
      .momentum = 0.9f, .centered = true, .use_ema = true, .gradient_accumulation_steps = 2});
  CHECK(fc::slots_of(most) == fc::optimizer_slots::most);
  const fc::optim::host_state state(most, 5);
  for (std::size_t i = 0; i < fc::optim::slot_count; ++i) CHECK(state.slot(i).size() == 5);
}

TEST_CASE("memory: sizes read in binary units") {
  CHECK(fc::format_bytes(0) == "0 B");
  CHECK(fc::format_bytes(1023) == "1023 B");
  CHECK(fc::format_bytes(1024) == "1 KiB");
  CHECK(fc::format_bytes(1536) == "1.5 KiB");
  CHECK(fc::format_bytes(512ull << 20) == "512 MiB");
  CHECK(fc::format_bytes(2254857830ull) == "2.1 GiB");
}

TEST_CASE("memory E1: check_host_memory names the need, its parts, the free amount, the batch") {
  using Big = fc::Sequential<fc::Input<784>, fc::Dense<4096>, fc::ReLU, fc::Dense<4096>, fc::ReLU,
                             fc::Dense<10>>;
  const auto p = fc::plan_memory<Big>(10000, fc::optimizer_slots::adam);
  const std::size_t free = 512ull << 20;
  const std::size_t fit = p.largest_batch(free);
  REQUIRE(fit > 0);
  REQUIRE(fit < 10000);
  CHECK(fc::plan_memory<Big>(fit, fc::optimizer_slots::adam).total() <= free);
  CHECK(fc::plan_memory<Big>(fit + 1, fc::optimizer_slots::adam).total() > free);
  try {
    fc::check_host_memory(p, free);
    FAIL("no resource_error");
  } catch (const fc::resource_error& e) {
    const std::string pr = e.problem();
    CHECK(has(pr, "a batch of 10000 needs " + fc::format_bytes(p.total()) + " ("));
    CHECK(has(pr, "parameters " + fc::format_bytes(p.parameters)));
    CHECK(has(pr, "activations " + fc::format_bytes(p.activations)));
    CHECK(has(pr, "optimizer state " + fc::format_bytes(p.optimizer_state)));
    CHECK(has(pr, "but 512 MiB is free [E1]"));
    CHECK(has(e.fix(), "batch<N>() with N <= " + std::to_string(fit)));
  }
  CHECK_NOTHROW(fc::check_host_memory(p, p.total()));
  CHECK_THROWS_AS(fc::check_host_memory(p, p.total() - 1), fc::resource_error);
}

TEST_CASE("memory E1: when even the parameters do not fit, the fix says so") {
  const auto p = fc::plan_memory<Net>(10, fc::optimizer_slots::adam);
  try {
    fc::check_host_memory(p, 100);
    FAIL("no resource_error");
  } catch (const fc::resource_error& e) {
    CHECK(has(e.problem(), "a batch of 10 needs 1.4 KiB"));
    CHECK(has(e.problem(), "but 100 B is free"));
    CHECK(has(e.fix(), "the parameters, gradients, optimizer state and layer workspace alone need 416 B"));
    CHECK_FALSE(has(e.fix(), "batch<N>()"));
  }
}

TEST_CASE("memory E2: out of memory during training keeps the facts and says where") {
  const auto p = fc::plan_memory<Net>(10, fc::optimizer_slots::adam);
  try {
    fc::out_of_memory_during_training(p, 2, 6, 1000);
    FAIL("no resource_error");
  } catch (const fc::resource_error& e) {
    CHECK(has(e.problem(), "out of memory during training, at epoch 3, step 7"));
    CHECK(has(e.problem(), "a batch of 10 needs 1.4 KiB (parameters 104 B"));
    CHECK(has(e.problem(), "1000 B is free now"));
    CHECK(has(e.problem(), "[E2]"));
    CHECK(has(e.fix(), "batch<N>() with N <= 5"));  // (1000 - 416) / 104
  }
  CHECK_THROWS_AS(fc::out_of_memory_during_training(p, 0, 0), fc::resource_error);
}

TEST_CASE("memory: the host's free memory is read, and is plausible") {
  const std::size_t avail = fc::available_host_memory();
  CHECK(avail > (1u << 20));  // this machine has more than 1 MiB free
  // The check against it passes for a tiny plan.
  CHECK_NOTHROW(fc::check_host_memory(fc::plan_memory<Net>(1, fc::optimizer_slots::adam), avail));
}

// ---- through Model::fit ------------------------------------------------------------------------

namespace {
namespace fd = fitcheck::data;
namespace fcb = fitcheck::callbacks;
namespace fs = std::filesystem;

using FitNet = fc::Sequential<fc::Input<3>, fc::Dense<4>, fc::ReLU, fc::Dense<2>, fc::Softmax>;
using FitLabel = fc::ClassLabel<2>;

// 100 learnable samples of 3 features, labels alternating.
auto fit_source() {
  xt::xtensor<float, 2> x = xt::zeros<float>({std::size_t{100}, std::size_t{3}});
  xt::xtensor<int, 1> y = xt::zeros<int>({std::size_t{100}});
  for (std::size_t i = 0; i < 100; ++i) {
    y(i) = int(i % 2);
    x(i, 0) = y(i) == 1 ? 0.5f : -0.5f;
    x(i, 1) = 0.01f * float(i % 7);
    x(i, 2) = -0.02f * float(i % 5);
  }
  return fd::from_tensor_slices<fc::Features<3>, FitLabel>(x, y);
}

// What fit plans for batch 50 with Adam: a budget one byte short of it refuses the run.
constexpr std::size_t need50 =
    fc::plan_memory<FitNet, FitLabel>(50, fc::optimizer_slots::adam).total();

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("memory E1: a Model's MemoryBudget refuses a run-time batch too large, before step 1") {
  using Tight =
      fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy, fc::MemoryBudget<need50 - 1>>;
  auto train = fit_source() | fd::shuffle(100, fc::Seed{1}) | fd::batch(50);
  Tight model(fc::optim::Adam{});
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  std::string what;
  try {
    (void)model.fit(train, fc::Epochs{2}, fc::Verbose{0});
  } catch (const fc::resource_error& e) {
    what = e.what();
  }
  INFO(what);
  CHECK(what.find("a batch of 50 needs " + fc::format_bytes(need50) + " (parameters ") == 0);
  CHECK(what.find("but the MemoryBudget allows " + fc::format_bytes(need50 - 1) +
                  " [E1]") != std::string::npos);
  // The largest batch within the budget, with the optimizer the model really has.
  const std::size_t fits =
      fc::largest_batch<FitNet, FitLabel>(need50 - 1, fc::optimizer_slots::adam);
  CHECK(fits == 49);
  CHECK(what.find("Fix: batch<N>() with N <= 49 (the largest batch that fits; the optimizer's "
                  "gradient_accumulation_steps = k then updates with the gradient of k such "
                  "batches)") != std::string::npos);
  // Refused before the first step: no parameter moved.
  CHECK(std::equal(before.begin(), before.end(), model.parameters().begin()));

  // Exactly the budget trains; a static batch that fits compiles (the compile-time side is
  // tests/compile_fail/train/e1_model_memory_budget.cpp).
  using Exact =
      fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy, fc::MemoryBudget<need50>>;
  Exact fits_model(fc::optim::Adam{});
  CHECK(fits_model.fit(train, fc::Epochs{1}, fc::Verbose{0}).epochs() == 1);
  static_assert(std::is_same_v<Exact::memory_budget, fc::MemoryBudget<need50>>);
  // At compile time the optimizer is not known yet: the check counts the most state any
  // optimizer keeps, so a static batch<50> needs that much budget.
  constexpr std::size_t most50 =
      fc::plan_memory<FitNet, FitLabel>(50, fc::optimizer_slots::most).total();
  fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy, fc::MemoryBudget<most50>> roomy(
      fc::optim::Adam{});
  auto static_batch = fit_source() | fd::shuffle(100, fc::Seed{1}) | fd::batch<50>();
  CHECK(roomy.fit(static_batch, fc::Epochs{1}, fc::Verbose{0}).epochs() == 1);
}

TEST_CASE("memory E1: a size no machine has is refused on its numbers, before any allocation") {
  // Each would have been a bare std::bad_alloc (or minutes of swapping) when first allocated.
  const std::size_t huge = std::size_t{1} << 40;
  std::string what = fitcheck::test::message_of<fc::resource_error>(
      [&] { (void)(fit_source() | fd::batch(huge)); });
  CHECK(what.find("batch(1099511627776): one batch of 1099511627776 samples of 16 bytes needs "
                  "16 TiB, but ") == 0);
  CHECK(fitcheck::test::contains(what, " of memory is free [E1]. Fix: batch(n) with n <= "));
  what = fitcheck::test::message_of<fc::resource_error>(
      [&] { (void)(fit_source() | fd::batch(4) | fd::prefetch(huge)); });
  CHECK(what.find("prefetch(1099511627776): a ring of 1099511627776 elements of 64 B needs ") == 0);
  CHECK(fitcheck::test::contains(what, "[E1]. Fix: prefetch(n) with n <= "));
  // A source of unknown size: the buffer is as large as asked.
  auto unknown = fit_source() | fd::filter([](const auto&) { return true; });
  what = fitcheck::test::message_of<fc::resource_error>(
      [&] { (void)(std::move(unknown) | fd::shuffle(std::size_t{1} << 36)); });
  CHECK(what.find("shuffle(68719476736): a buffer of 68719476736 elements of ") == 0);
  CHECK(fitcheck::test::contains(what, "[E1]. Fix: shuffle(n) with n <= "));
  // Over 100 known samples the same buffer holds 100: it fits.
  CHECK_NOTHROW((void)(fit_source() | fd::shuffle(std::size_t{1} << 36)));
  // cache() of a pass of known size: refused before the pass is read.
  what = fitcheck::test::message_of<fc::resource_error>(
      [&] { (void)(fit_source() | fd::repeat(huge) | fd::cache()); });
  CHECK(what.find("cache(): keeping 109951162777600 elements of 16 B needs ") == 0);
  CHECK(fitcheck::test::contains(what, "[E1]. Fix: cache a part that fits (source | take("));
  CHECK_NOTHROW((void)(fit_source() | fd::cache()));
}

TEST_CASE("memory E1: fit checks the plan before the data scan reads a batch") {
  using Tight = fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy, fc::MemoryBudget<1024>>;
  std::size_t pulled = 0;
  auto counted = fit_source() | fd::map([&pulled](auto e) {
                   ++pulled;
                   return e;
                 }) |
                 fd::batch(50);
  Tight model(fc::optim::SGD{});
  const std::string what = fitcheck::test::message_of<fc::resource_error>(
      [&] { (void)model.fit(counted, 1, fc::Verbose{0}); });
  CHECK(fitcheck::test::contains(what, "but the MemoryBudget allows 1 KiB [E1]"));
  CHECK(pulled == 0);
}

TEST_CASE("memory E1: check_memory says which limit refused: the budget or the free memory") {
  const fc::memory_plan p = fc::plan_memory<Net>(10, fc::optimizer_slots::adam);  // 1456 bytes
  CHECK_NOTHROW(fc::check_memory(p, 1456, 1456));
  std::string by_budget, by_free;
  try {
    fc::check_memory(p, 1000, 5000);
  } catch (const fc::resource_error& e) {
    by_budget = e.what();
  }
  try {
    fc::check_memory(p, 5000, 1000);
  } catch (const fc::resource_error& e) {
    by_free = e.what();
  }
  CHECK(by_budget.find("but the MemoryBudget allows 1000 B [E1]") != std::string::npos);
  CHECK(by_budget.find("N <= 5 ") != std::string::npos);  // (1000 - 416) / 104
  CHECK(by_free.find("but 1000 B is free [E1]") != std::string::npos);
  CHECK(by_free.find("N <= 5 ") != std::string::npos);
}

namespace {
// Fails an allocation at a chosen point of training, as an out-of-memory mid-run would (the
// model allocates nothing per step, so a real failure there comes from elsewhere in the
// process; fit turns std::bad_alloc from any place inside the loop into E2).
struct fail_allocation_at {
  std::size_t epoch = 0;  // 0-based
  std::size_t step = 0;   // 1-based, as TrainingState counts after a batch
  void on_train_batch_end(fc::TrainingState& s, double) const {
    if (s.epoch == epoch && s.step == step) throw std::bad_alloc();
  }
};
// The parameters at the end of each epoch, to compare with the checkpoints.
struct snapshot_weights {
  std::vector<std::vector<float>>* out;
  void on_epoch_end(fc::TrainingState& s, fc::Logs&) const {
    out->emplace_back(s.parameters.begin(), s.parameters.end());
  }
};
}  // namespace

TEST_CASE("memory E2: out of memory in epoch 2: a resource_error, and the files written are kept") {
  const temp_dir dir("memory_test");
  auto train = fit_source() | fd::shuffle(100, fc::Seed{1}) | fd::batch<20>();
  fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{});
  std::vector<std::vector<float>> snapshots;
  fcb::CSVLogger log{.filename = dir.file("log.csv")};
  fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("ckpt-{epoch:02d}.fcw")};
  std::string what;
  try {
    (void)model.fit(train, fc::Epochs{3}, fc::Verbose{0}, snapshot_weights{&snapshots}, log, ckpt,
                    fail_allocation_at{.epoch = 1, .step = 3});
  } catch (const fc::resource_error& e) {
    what = e.what();
  }
  INFO(what);
  CHECK(what.find("out of memory during training, at epoch 2, step 3: a batch of 20 needs " +
                  fc::format_bytes(
                      fc::plan_memory<FitNet, FitLabel>(20, fc::optimizer_slots::adam).total())) ==
        0);
  CHECK(what.find("([E2]; checkpoints and logs written so far are kept)") !=
        std::string::npos);

  // Epoch 1 finished: its CSV row and its checkpoint are on disk, whole and readable.
  REQUIRE(snapshots.size() == 1);
  const std::string csv = read_all(dir.file("log.csv"));
  CHECK(csv.rfind("epoch,loss\n0,", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 2);  // the header and epoch 1's row
  fc::Model<FitNet, fc::loss::SparseCategoricalCrossentropy> reloaded;
  fc::io::load_weights(reloaded, dir.file("ckpt-01.fcw"));
  CHECK(std::equal(snapshots[0].begin(), snapshots[0].end(), reloaded.parameters().begin()));
  CHECK_FALSE(fs::exists(dir.file("ckpt-02.fcw")));
}

}  // namespace train_memory_test
