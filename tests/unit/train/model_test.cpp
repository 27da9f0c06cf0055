// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include <fitcheck/fitcheck.hpp>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>

#include <support/errors.hpp>

namespace train_model_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
// y = 1 when x0 + x1 > 0: learnable by a small MLP.
auto two_blobs(std::size_t n, std::uint64_t seed = 1) {
  fc::Rng rng(seed);
  std::vector<float> x(2 * n);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[2 * i] = 2 * rng.uniform_float() - 1;
    x[2 * i + 1] = 2 * rng.uniform_float() - 1;
    y[i] = x[2 * i] + x[2 * i + 1] > 0 ? 1 : 0;
  }
  xt::xtensor<float, 2> xs = xt::zeros<float>({n, std::size_t{2}});
  xt::xtensor<int, 1> ys = xt::zeros<int>({n});
  std::copy(x.begin(), x.end(), xs.begin());
  std::copy(y.begin(), y.end(), ys.begin());
  return fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(xs, ys);
}

using Net = fc::Sequential<fc::Input<2>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;
}  // namespace

TEST_CASE("fit: a finite pipeline is one pass per epoch, and the model learns") {
  auto train = two_blobs(256) | fd::shuffle(256, fc::Seed{3}) | fd::batch<32>();
  Model model(fc::optim::Adam{.learning_rate = 0.05f});
  const auto history = model.fit(train, fc::Epochs{15}, fc::Verbose{0});
  REQUIRE(history.epochs() == 15);
  const auto& loss = history["loss"];
  CHECK(loss.back() < 0.5 * loss.front());
  CHECK(history["accuracy"].back() > 0.9);
  const auto scores = model.evaluate(train);
  CHECK(scores.at("loss") < loss.front());
  CHECK(scores.at("accuracy") > 0.9);
}

TEST_CASE("fit: a plain integer epoch count and a pipeline written in the call, as Keras' fit") {
  Model model(fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{4});
  const auto history = model.fit(two_blobs(64) | fd::batch<16>(), 3, fc::Verbose{0});
  CHECK(history.epochs() == 3);
  Model same(fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{4});
  auto train = two_blobs(64) | fd::batch<16>();
  CHECK(same.fit(train, fc::Epochs{3}, fc::Verbose{0})["loss"] == history["loss"]);
  // A run-time count below 1 is the same argument_error as Epochs{0}.
  const int none = 0;
  CHECK_THROWS_AS((void)model.fit(train, none, fc::Verbose{0}), fc::argument_error);
}

TEST_CASE("Model: fit on one thread and predict on another is an error, not a race") {
  auto train = two_blobs(64) | fd::batch<16>();
  auto probe = two_blobs(8) | fd::batch<8>();
  Model model;
  std::atomic<int> phase{0};  // 1: fit is inside a step; 2: the other thread has tried
  std::string from_other;
  std::thread other([&] {
    while (phase.load() != 1) std::this_thread::yield();
    from_other = fc::test::message_of<fc::argument_error>([&] { (void)model.predict(probe); });
    phase.store(2);
  });
  struct hold {
    std::atomic<int>* phase;
    Model* model;
    decltype(probe)* probe_data;
    std::size_t same_thread_rows = 0;
    void on_train_batch_end(fc::TrainingState&, double) {
      if (phase->load() != 0) return;
      phase->store(1);
      while (phase->load() != 2) std::this_thread::yield();
      // The thread running fit may use its own model (as fit's validation does).
      same_thread_rows = model->predict(*probe_data).shape(0);
    }
  } callback{&phase, &model, &probe};
  (void)model.fit(train, 1, fc::Verbose{0}, callback);
  other.join();
  CHECK(from_other.find("predict: this model is in use on another thread (fit)") == 0);
  CHECK(fc::test::contains(from_other, "Fix: wait for the other call to return"));
  CHECK(callback.same_thread_rows == 8);
  // Released when fit returns: another thread may use it now.
  std::size_t rows = 0;
  std::thread after([&] { rows = model.predict(probe).shape(0); });
  after.join();
  CHECK(rows == 8);
}

TEST_CASE("fit: the same seeds give bit-identical losses") {
  auto run = [] {
    auto train = two_blobs(128) | fd::shuffle(128, fc::Seed{9}) | fd::batch<16>();
    Model model(fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{5});
    return model.fit(train, fc::Epochs{3}, fc::Verbose{0})["loss"];
  };
  CHECK(run() == run());
  auto other = [] {
    auto train = two_blobs(128) | fd::shuffle(128, fc::Seed{9}) | fd::batch<16>();
    Model model(fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{6});
    return model.fit(train, fc::Epochs{3}, fc::Verbose{0})["loss"];
  };
  CHECK(run() != other());
}

TEST_CASE("fit: an infinite pipeline with StepsPerEpoch runs exactly that many steps") {
  auto train = two_blobs(100) | fd::shuffle(100) | fd::repeat() | fd::batch<10>();
  std::size_t batches = 0;
  struct Counter {
    std::size_t* n;
    void on_train_batch_end(fc::TrainingState&, double) { ++*n; }
  } counter{&batches};
  Model model;
  const auto h = model.fit(train, fc::Epochs{3}, fc::StepsPerEpoch{7}, fc::Verbose{0}, counter);
  CHECK(batches == 21);
  CHECK(h.epochs() == 3);
}

TEST_CASE("fit: validation data is evaluated every epoch into val_ logs") {
  auto train = two_blobs(64) | fd::batch<16>();
  auto val = two_blobs(32, 2) | fd::batch<16>();
  Model model;
  const auto h = model.fit(train, fc::Epochs{2}, fc::Validation{val}, fc::Verbose{0});
  REQUIRE(h.contains("val_loss"));
  REQUIRE(h.contains("val_accuracy"));
  CHECK(h["val_loss"].size() == 2);
}

TEST_CASE("fit: A2 at run time: steps x epochs beyond the data fails before training") {
  auto train = two_blobs(100) | fd::batch<10>();  // 10 batches, no repeat
  Model model;
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  try {
    (void)model.fit(train, fc::Epochs{3}, fc::StepsPerEpoch{5}, fc::Verbose{0});
    FAIL("15 steps from 10 batches must fail");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() == "fit: 5 steps x 3 epochs need 15 batches, but the pipeline holds 10: "
                         "training would run out of data [A2]");
    CHECK(e.fix().find("add repeat()") != std::string::npos);
    CHECK(e.fix().find("StepsPerEpoch{3}") != std::string::npos);
  }
  // Pre-flight: nothing was trained.
  CHECK(std::equal(before.begin(), before.end(), model.parameters().begin()));
  CHECK_NOTHROW((void)model.fit(train, fc::Epochs{2}, fc::StepsPerEpoch{5}, fc::Verbose{0}));
}

TEST_CASE("fit: B1: a pipeline of unknown size that runs out names the counts") {
  // filter() makes the size unknown, so the pre-flight cannot know: the error comes when the
  // data runs out, with how many batches came and how many were needed.
  auto train = two_blobs(40) | fd::filter([](const auto&) { return true; }) | fd::batch<10>();
  Model model;
  try {
    (void)model.fit(train, fc::Epochs{2}, fc::StepsPerEpoch{3}, fc::Verbose{0});
    FAIL("6 steps from 4 batches must fail");
  } catch (const fc::data_error& e) {
    CHECK(e.problem().find("the pipeline ended after 4 batches, in epoch 2 after 1 of its 3 "
                           "steps; 3 steps x 2 epochs need 6") != std::string::npos);
  }
}

TEST_CASE("fit: B6: a pipeline that yields no batch is an error, not a silent no-op") {
  auto train = two_blobs(40) | fd::filter([](const auto&) { return false; }) | fd::batch<10>();
  Model model;
  // The pre-flight scan finds it before training...
  try {
    (void)model.fit(train, fc::Epochs{1}, fc::Verbose{0});
    FAIL("an empty pipeline must fail");
  } catch (const fc::data_error& e) {
    CHECK(e.problem().find("the pipeline produced no samples") == 0);
    CHECK(e.problem().find("a filter may reject every sample") != std::string::npos);
    CHECK(e.problem().find("[B6]") != std::string::npos);
  }
  // ...and fit itself when the scan is off.
  try {
    (void)model.fit(train, fc::Epochs{1}, fc::Verbose{0}, fc::Preflight{.level = fc::check::off});
    FAIL("an empty pipeline must fail");
  } catch (const fc::data_error& e) {
    CHECK(e.problem().find("fit: the pipeline produced no batches in epoch 1 [B6]") == 0);
  }
}

TEST_CASE("fit: B6: repeat() then a filter that keeps nothing is an error, not a hang") {
  auto train = two_blobs(40) | fd::repeat() | fd::filter([](const auto&) { return false; }) |
               fd::batch<10>();
  Model model;
  for (const auto level : {fc::check::warn, fc::check::off}) {
    const std::string what = fc::test::message_of<fc::data_error>([&] {
      (void)model.fit(train, 1, fc::StepsPerEpoch{4}, fc::Verbose{0}, fc::Preflight{.level = level});
    });
    CHECK(fc::test::contains(what, "filter: rejected 1048576 samples in a row after repeat(), at "
                                   "least two whole passes of the 40 samples before it"));
    CHECK(fc::test::contains(what, "[B6]"));
    CHECK(fc::test::contains(what, "Fix: check the filter's predicate"));
  }
  // A filter that keeps a few samples per pass is not one that keeps nothing.
  auto rare = two_blobs(40) | fd::repeat() |
              fd::filter([](const auto& e) { return e.x[0] > 0.5f; }) | fd::batch<2>();
  CHECK_NOTHROW((void)model.fit(rare, 1, fc::StepsPerEpoch{3}, fc::Verbose{0}));
}

TEST_CASE("fit: static steps and epochs pass when the static data holds enough batches") {
  xt::xtensor_fixed<float, xt::xshape<40, 2>> x;
  xt::xtensor_fixed<int, xt::xshape<40>> y;
  for (std::size_t i = 0; i < 40; ++i) {
    x(i, 0) = float(i % 7) - 3;
    x(i, 1) = 1;
    y(i) = x(i, 0) > 0;
  }
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<10>();
  Model model;
  const auto h = model.fit(train, fc::epochs<2>, fc::steps_per_epoch<2>, fc::Verbose{0});
  CHECK(h.epochs() == 2);
}

TEST_CASE("predict: one row of outputs per sample, probabilities after Sigmoid") {
  auto data = two_blobs(25) | fd::batch<10>();
  Model model;
  const auto p = model.predict(data);
  REQUIRE(p.shape()[0] == 25);
  REQUIRE(p.shape()[1] == 1);
  for (float v : p) CHECK((v > 0.0f && v < 1.0f));
}

TEST_CASE("predict: a tensor of samples, as Keras' model.predict(x), equals the pipeline's") {
  Model model(fc::optim::Adam{}, fc::Seed{7});
  xt::xtensor<float, 2> x = xt::zeros<float>({std::size_t{25}, std::size_t{2}});
  for (std::size_t i = 0; i < 25; ++i) {
    x(i, 0) = 0.1f * float(i) - 1.0f;
    x(i, 1) = 0.5f - 0.05f * float(i);
  }
  xt::xtensor<int, 1> y = xt::zeros<int>({std::size_t{25}});
  auto pipeline = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<8>();
  const auto want = model.predict(pipeline);
  // The same batches give the same bits; other batch sizes may round the last bit differently
  // (another summation order in the GEMM's tiles).
  CHECK(model.predict(x, 8) == want);
  const auto got = model.predict(x);  // batches of 32
  REQUIRE(got.shape() == want.shape());
  CHECK(xt::allclose(got, want, 1e-6, 1e-7));
  CHECK(xt::allclose(model.predict(x, 3), want, 1e-6, 1e-7));
  // Any expression in row-major order: an adapted std::vector, a computed expression.
  std::vector<float> flat(x.begin(), x.end());
  const std::array<std::size_t, 2> shape{25, 2};
  CHECK(model.predict(xt::adapt(flat, shape), 8) == want);
  CHECK(model.predict(x * 1.0f, 8) == want);
  // The wrong shape names both.
  xt::xtensor<float, 2> wide = xt::zeros<float>({std::size_t{4}, std::size_t{3}});
  const std::string what = fc::test::message_of<fc::shape_error>([&] { (void)model.predict(wide); });
  CHECK(what.find("predict: the input has shape (4, 3), but the model takes (4, 2) (samples "
                  "first)") == 0);
}

TEST_CASE("fit: callbacks see every hook and can stop training") {
  struct Stopper {
    std::vector<std::string> seen;
    void on_train_begin(fc::TrainingState&) { seen.push_back("train_begin"); }
    void on_epoch_begin(fc::TrainingState& s) { seen.push_back("epoch_begin " + std::to_string(s.epoch)); }
    void on_epoch_end(fc::TrainingState& s, fc::Logs& logs) {
      seen.push_back("epoch_end " + std::to_string(s.epoch) + (logs.get("loss") ? " loss" : ""));
      if (s.epoch == 1) s.stop_training = true;
    }
    void on_train_end(fc::TrainingState&) { seen.push_back("train_end"); }
  } stopper;
  auto train = two_blobs(20) | fd::batch<10>();
  Model model;
  const auto h = model.fit(train, fc::Epochs{10}, fc::Verbose{0}, stopper);
  CHECK(h.epochs() == 2);
  CHECK(stopper.seen == std::vector<std::string>{"train_begin", "epoch_begin 0", "epoch_end 0 loss",
                                                 "epoch_begin 1", "epoch_end 1 loss", "train_end"});
}

TEST_CASE("Model: training is bit-for-bit deterministic, on one thread or two") {
  // Batches of 256 through a 64-256 layer: products large enough for the kernels to split them
  // across threads when two are allowed.
  constexpr std::size_t n = 1024;
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{64}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  fc::Rng rng(11);
  for (auto& v : x) v = 2 * rng.uniform_float() - 1;
  for (auto& v : y) v = int(rng.below(10));
  using Net = fc::Sequential<fc::Input<64>, fc::Dense<256>, fc::ReLU, fc::Dense<10>, fc::Softmax>;
  auto train_on = [&](unsigned threads) {
    fc::kernels::set_max_threads(threads);
    auto data = fd::from_tensor_slices<fc::Features<64>, fc::ClassLabel<10>>(x, y) |
                fd::shuffle(n, fc::Seed{3}) | fd::batch<256>();
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{}, fc::Seed{5});
    (void)model.fit(data, fc::Epochs{3}, fc::Verbose{0});
    auto p = model.parameters();
    return std::vector<float>(p.begin(), p.end());
  };
  const unsigned before = fc::kernels::max_threads();
  const auto once = train_on(1);
  const auto again = train_on(1);
  const auto two = train_on(2);
  fc::kernels::set_max_threads(before);
  CHECK(once == again);
  CHECK(once == two);
}

}  // namespace train_model_test
