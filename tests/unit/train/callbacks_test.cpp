// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The Keras callbacks, each driven by hand through a TrainingState and a sequence of Logs
// (Keras' patience / min_delta / mode / cooldown / restore rules, epoch by epoch), then through
// Model::fit.
#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <unistd.h>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/train/callbacks.hpp>

namespace train_callbacks_test {

namespace fc = fitcheck;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
using fitcheck::test::text_of;
namespace fcb = fitcheck::callbacks;
namespace fd = fitcheck::data;
namespace fio = fitcheck::io;
namespace fs = std::filesystem;

// Which callbacks make fit demand Validation{...}.
static_assert(fcb::EarlyStopping<>::needs_validation);
static_assert(fcb::EarlyStopping<"val_accuracy">::needs_validation);
static_assert(!fcb::EarlyStopping<"loss">::needs_validation);
static_assert(!fcb::EarlyStopping<"accuracy">::needs_validation);
static_assert(fcb::ModelCheckpoint<>::needs_validation);
static_assert(!fcb::ModelCheckpoint<"loss">::needs_validation);
static_assert(fcb::ReduceLROnPlateau<"val_loss">::needs_validation);
static_assert(!fcb::ReduceLROnPlateau<"loss">::needs_validation);
static_assert(!fc::detail::needs_validation<fcb::CSVLogger>());
static_assert(!fc::detail::needs_validation<fcb::TerminateOnNaN>());
static_assert(fc::callback<fcb::EarlyStopping<>> && fc::callback<fcb::ModelCheckpoint<>> &&
              fc::callback<fcb::ReduceLROnPlateau<>> && fc::callback<fcb::CSVLogger> &&
              fc::callback<fcb::TerminateOnNaN>);
// Keras' auto mode.
static_assert(fcb::auto_mode("loss") == fcb::Mode::min);
static_assert(fcb::auto_mode("val_loss") == fcb::Mode::min);
static_assert(fcb::auto_mode("mean_absolute_error") == fcb::Mode::min);
static_assert(fcb::auto_mode("val_accuracy") == fcb::Mode::max);
static_assert(fcb::auto_mode("binary_accuracy") == fcb::Mode::max);
static_assert(fcb::auto_mode("val_auc") == fcb::Mode::max);
static_assert(fcb::auto_mode("precision") == fcb::Mode::max);
static_assert(fcb::auto_mode("val_recall") == fcb::Mode::max);

namespace {

/// A TrainingState as fit builds it, with an optimizer and a parameter buffer of its own.
struct fake_run {
  fc::optim::Optimizer optimizer{fc::optim::SGD{.learning_rate = 0.1f}};
  std::vector<float> params = std::vector<float>(3, 0.0f);
  fc::TrainingState state;
  explicit fake_run(std::size_t epochs = 100) {
    state.epochs = epochs;
    state.optimizer = &optimizer;
    state.parameters = params;
  }
};

/// Runs epochs with `name` taking `values` in turn, as fit would (train begin, then per epoch:
/// begin, end; stop when asked), with params[0] = epoch so restores can be told apart. Returns
/// the epochs run.
template <class C>
std::size_t drive(C& cb, fake_run& run, const std::string& name, const std::vector<double>& values,
                  bool end = true) {
  auto& s = run.state;
  fc::detail::call_train_begin(cb, s);
  std::size_t e = 0;
  for (; e < values.size() && !s.stop_training; ++e) {
    s.epoch = e;
    run.params[0] = float(e);
    fc::detail::call_epoch_begin(cb, s);
    fc::Logs logs;
    logs.set(name, values[e]);
    fc::detail::call_epoch_end(cb, s, logs);
  }
  if (end) fc::detail::call_train_end(cb, s);
  return e;
}

using Net = fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy>;

// Eight points of two features with labels unrelated to them, twice (train and validation).
const std::vector<float> xs = {0,    0,    0,    1,    1,    0,    1,    1,
                               0.5f, 0.5f, 0.2f, 0.8f, 0.8f, 0.2f, 0.3f, 0.3f};
const std::vector<int> ys = {0, 1, 1, 0, 1, 0, 0, 1};
auto pipeline() {
  return fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(xs),
                                                                  std::span<const int>(ys)) |
         fd::batch<4>();
}

}  // namespace

// ---- EarlyStopping -----------------------------------------------------------------------------

TEST_CASE("callbacks: EarlyStopping stops after `patience` epochs without improvement") {
  fake_run run;
  SUBCASE("patience 0 stops at the first epoch that does not improve") {
    fcb::EarlyStopping<"val_loss"> es{};
    CHECK(drive(es, run, "val_loss", {1.0, 0.9, 0.95, 0.1}) == 3);
    CHECK(es.stopped_epoch() == 2u);
    CHECK(es.best() == 0.9);
    CHECK(es.best_epoch() == 1);
  }
  SUBCASE("patience 2: two epochs without improvement, counting from the best") {
    fcb::EarlyStopping<"val_loss"> es{.patience = 2};
    CHECK(drive(es, run, "val_loss", {1.0, 1.1, 0.8, 0.9, 0.85, 0.1}) == 5);
    CHECK(es.stopped_epoch() == 4u);
    CHECK(es.best() == 0.8);
  }
  SUBCASE("an equal value is no improvement") {
    fcb::EarlyStopping<"loss"> es{.patience = 1};
    CHECK(drive(es, run, "loss", {1.0, 1.0, 0.5}) == 2);
  }
  SUBCASE("a run that keeps improving is never stopped") {
    fcb::EarlyStopping<"loss"> es{};
    CHECK(drive(es, run, "loss", {5, 4, 3, 2, 1}) == 5);
    CHECK_FALSE(es.stopped_epoch().has_value());
    CHECK_FALSE(run.state.stop_training);
  }
}

TEST_CASE("callbacks: EarlyStopping's min_delta is strict and its sign ignored") {
  fake_run run;
  SUBCASE("an improvement of exactly min_delta does not count") {
    fcb::EarlyStopping<"loss"> es{.patience = 1, .min_delta = 0.25};
    CHECK(drive(es, run, "loss", {1.0, 0.75, 0.0}) == 2);
    CHECK(es.best() == 1.0);
  }
  SUBCASE("an improvement of more than min_delta counts") {
    fcb::EarlyStopping<"loss"> es{.patience = 1, .min_delta = 0.25};
    CHECK(drive(es, run, "loss", {1.0, 0.5, 0.375}) == 3);
    CHECK(es.best() == 0.5);
  }
  SUBCASE("a negative min_delta acts as its absolute value") {
    fcb::EarlyStopping<"loss"> es{.patience = 1, .min_delta = -0.25};
    CHECK(drive(es, run, "loss", {1.0, 0.75, 0.0}) == 2);
  }
  SUBCASE("in max mode the value must rise by more than min_delta") {
    fcb::EarlyStopping<"val_accuracy"> es{.patience = 1, .min_delta = 0.25};
    CHECK(drive(es, run, "val_accuracy", {0.25, 0.5, 1.0}) == 2);
    CHECK(es.best() == 0.25);
  }
}

TEST_CASE("callbacks: EarlyStopping picks min or max from the name, or from .mode") {
  fake_run run;
  SUBCASE("accuracy: larger is better") {
    fcb::EarlyStopping<"val_accuracy"> es{};
    CHECK(drive(es, run, "val_accuracy", {0.5, 0.6, 0.55, 0.9}) == 3);
    CHECK(es.best() == 0.6);
  }
  SUBCASE(".mode = max overrides a loss-like name") {
    fcb::EarlyStopping<"loss"> es{.mode = fcb::Mode::max};
    CHECK(drive(es, run, "loss", {0.5, 0.6, 0.55}) == 3);
    CHECK(es.best() == 0.6);
  }
  SUBCASE(".mode = min overrides an accuracy-like name") {
    fcb::EarlyStopping<"accuracy"> es{.mode = fcb::Mode::min};
    CHECK(drive(es, run, "accuracy", {0.5, 0.4, 0.45}) == 3);
    CHECK(es.best() == 0.4);
  }
}

TEST_CASE("callbacks: EarlyStopping restores the best epoch's weights when training ends") {
  fake_run run;
  SUBCASE("when it stopped training") {
    fcb::EarlyStopping<"val_loss"> es{.patience = 2, .restore_best_weights = true};
    CHECK(drive(es, run, "val_loss", {1.0, 0.5, 0.7, 0.8, 0.1}) == 4);
    CHECK(run.params[0] == 1.0f);  // the weights at the end of epoch 1
  }
  SUBCASE("when training ran to the end (current Keras)") {
    fcb::EarlyStopping<"val_loss"> es{.patience = 5, .restore_best_weights = true};
    CHECK(drive(es, run, "val_loss", {1.0, 0.5, 0.7}) == 3);
    CHECK_FALSE(es.stopped_epoch().has_value());
    CHECK(run.params[0] == 1.0f);
  }
  SUBCASE("not without restore_best_weights") {
    fcb::EarlyStopping<"val_loss"> es{.patience = 2};
    drive(es, run, "val_loss", {1.0, 0.5, 0.7, 0.8});
    CHECK(run.params[0] == 3.0f);
  }
  SUBCASE("the first watched epoch counts as best until something improves") {
    // NaN never improves, so nothing beats epoch 0's weights.
    fcb::EarlyStopping<"loss"> es{.patience = 1, .restore_best_weights = true};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(drive(es, run, "loss", {nan, nan, nan}) == 2);
    CHECK_FALSE(es.best().has_value());
    CHECK(run.params[0] == 0.0f);
  }
  SUBCASE("a run reused for a second fit starts over") {
    fcb::EarlyStopping<"val_loss"> es{.restore_best_weights = true};
    drive(es, run, "val_loss", {1.0, 0.5, 0.7});
    REQUIRE(es.stopped_epoch().has_value());
    fake_run second;
    CHECK(drive(es, second, "val_loss", {9.0, 8.0, 7.0}) == 3);
    CHECK_FALSE(es.stopped_epoch().has_value());
    CHECK(es.best() == 7.0);
    CHECK(second.params[0] == 2.0f);
  }
}

TEST_CASE("callbacks: EarlyStopping's baseline and start_from_epoch") {
  fake_run run;
  SUBCASE("until the baseline is beaten, improvements do not restart patience") {
    fcb::EarlyStopping<"loss"> with{.patience = 3, .baseline = 0.5};
    CHECK(drive(with, run, "loss", {0.9, 0.8, 0.85, 0.1}) == 3);
    fake_run again;
    fcb::EarlyStopping<"loss"> without{.patience = 3};
    CHECK(drive(without, again, "loss", {0.9, 0.8, 0.85, 0.1}) == 4);
  }
  SUBCASE("beating the baseline restarts patience") {
    fcb::EarlyStopping<"loss"> es{.patience = 2, .baseline = 0.5};
    CHECK(drive(es, run, "loss", {0.9, 0.4, 0.45, 0.3, 0.1}) == 5);
  }
  SUBCASE("epochs before start_from_epoch are not watched") {
    fcb::EarlyStopping<"loss"> es{.start_from_epoch = 2};
    CHECK(drive(es, run, "loss", {1.0, 2.0, 3.0, 4.0, 0.0}) == 4);
    CHECK(es.best() == 3.0);
    CHECK(es.best_epoch() == 2);
  }
  SUBCASE("epoch 0 never stops training") {
    fcb::EarlyStopping<"loss"> es{};
    CHECK(drive(es, run, "loss", {std::numeric_limits<double>::quiet_NaN(), 1.0, 2.0}) == 3);
  }
}

TEST_CASE("callbacks: EarlyStopping on a name that was not logged lists the names there are") {
  fake_run run;
  fcb::EarlyStopping<"val_acc"> es{};
  fc::detail::call_train_begin(es, run.state);
  fc::Logs logs;
  logs.set("loss", 1.0);
  logs.set("accuracy", 0.5);
  logs.set("val_loss", 1.0);
  logs.set("val_accuracy", 0.5);
  const auto msg = message_of<fc::argument_error>([&] { es.on_epoch_end(run.state, logs); });
  CHECK(msg.find("EarlyStopping: monitors \"val_acc\", which is not among this epoch's logs "
                 "(loss, accuracy, val_loss, val_accuracy)") == 0);
  CHECK(msg.find("Fix: monitor one of the logged names") != std::string::npos);
}

// ---- ModelCheckpoint ---------------------------------------------------------------------------

TEST_CASE("callbacks: ModelCheckpoint file names substitute {epoch} and logged values") {
  fc::Logs logs;
  logs.set("loss", 0.25);
  logs.set("val_loss", 0.123456);
  using fcb::detail::format_checkpoint_path;
  CHECK(format_checkpoint_path("ckpt-{epoch:02d}.fcw", 3, logs) == "ckpt-03.fcw");
  CHECK(format_checkpoint_path("ckpt-{epoch}.fcw", 12, logs) == "ckpt-12.fcw");
  CHECK(format_checkpoint_path("e{epoch:4d}", 7, logs) == "e   7");
  CHECK(format_checkpoint_path("e{epoch:03}", 7, logs) == "e007");
  CHECK(format_checkpoint_path("m-{val_loss:.3f}", 1, logs) == "m-0.123");
  CHECK(format_checkpoint_path("m-{loss}", 1, logs) == "m-0.25");
  CHECK(format_checkpoint_path("m-{loss:08.3f}", 1, logs) == "m-0000.250");
  CHECK(format_checkpoint_path("{{epoch}}-{epoch}", 5, logs) == "{epoch}-5");
  CHECK(format_checkpoint_path("plain.fcw", 5, logs) == "plain.fcw");

  const auto unknown = message_of<fc::argument_error>(
      [&] { (void)format_checkpoint_path("m-{val_acc:.2f}", 1, logs); });
  CHECK(unknown.find("names {val_acc}, which is not among this epoch's logs (epoch, loss, "
                     "val_loss)") != std::string::npos);
  const auto open = message_of<fc::argument_error>(
      [&] { (void)format_checkpoint_path("ckpt-{epoch", 1, logs); });
  CHECK(open.find("\"ckpt-{epoch\" has a '{' that is never closed") != std::string::npos);
  const auto d =
      message_of<fc::argument_error>([&] { (void)format_checkpoint_path("{loss:02d}", 1, logs); });
  CHECK(d.find("formats \"loss\", a real number, with 'd'") != std::string::npos);
  const auto spec =
      message_of<fc::argument_error>([&] { (void)format_checkpoint_path("{epoch:>5}", 1, logs); });
  CHECK(spec.find("has the format spec \">5\", which is not supported") != std::string::npos);
}

TEST_CASE("callbacks: ModelCheckpoint saves every epoch, atomically, in loadable files") {
  const temp_dir dir("callbacks_test");
  fake_run run;
  const fio::Layout layout{"three", {3}};
  fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("sub/ckpt-{epoch:02d}.fcw"),
                                    .layout = layout};
  CHECK(drive(ckpt, run, "loss", {1.0, 2.0, 3.0}) == 3);
  CHECK(ckpt.saves() == 3);
  CHECK(ckpt.last_saved() == dir.file("sub/ckpt-03.fcw"));
  for (int e = 1; e <= 3; ++e) {
    std::vector<float> back(3, -1.0f);
    fio::load_weights(dir.file("sub/ckpt-0" + std::to_string(e) + ".fcw"), back, layout);
    CHECK(back[0] == float(e - 1));  // the weights at the end of that epoch
  }
  for (const auto& f : fs::directory_iterator(dir.path / "sub"))
    CHECK(f.path().filename().string().find(".tmp.") == std::string::npos);
}

TEST_CASE("callbacks: ModelCheckpoint with save_best_only saves only improvements") {
  const temp_dir dir("callbacks_test");
  fake_run run;
  const fio::Layout layout{"three", {3}};
  SUBCASE("min mode, one file per improving epoch") {
    fcb::ModelCheckpoint<"val_loss"> ckpt{
        .filepath = dir.file("ckpt-{epoch}.fcw"), .save_best_only = true, .layout = layout};
    drive(ckpt, run, "val_loss", {1.0, 0.8, 0.8, 0.9, 0.7});
    CHECK(ckpt.saves() == 3);
    CHECK(ckpt.best() == 0.7);
    CHECK(fs::exists(dir.file("ckpt-1.fcw")));
    CHECK(fs::exists(dir.file("ckpt-2.fcw")));
    CHECK_FALSE(fs::exists(dir.file("ckpt-3.fcw")));
    CHECK_FALSE(fs::exists(dir.file("ckpt-4.fcw")));
    CHECK(fs::exists(dir.file("ckpt-5.fcw")));
  }
  SUBCASE("one fixed name keeps the best epoch's weights") {
    fcb::ModelCheckpoint<"val_accuracy"> ckpt{
        .filepath = dir.file("best.fcw"), .save_best_only = true, .layout = layout};
    drive(ckpt, run, "val_accuracy", {0.5, 0.9, 0.7, 0.8});
    std::vector<float> back(3);
    fio::load_weights(dir.file("best.fcw"), back, layout);
    CHECK(back[0] == 1.0f);
    CHECK(ckpt.saves() == 2);
  }
  SUBCASE("initial_value_threshold must be beaten first") {
    fcb::ModelCheckpoint<"val_loss"> ckpt{.filepath = dir.file("best.fcw"),
                                          .save_best_only = true,
                                          .initial_value_threshold = 0.75,
                                          .layout = layout};
    drive(ckpt, run, "val_loss", {1.0, 0.8, 0.7, 0.75});
    CHECK(ckpt.saves() == 1);
    std::vector<float> back(3);
    fio::load_weights(dir.file("best.fcw"), back, layout);
    CHECK(back[0] == 2.0f);
  }
}

TEST_CASE("callbacks: ModelCheckpoint's configuration mistakes are argument_errors") {
  const temp_dir dir("callbacks_test");
  fake_run run;
  SUBCASE("no layout") {
    fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("x.fcw")};
    const auto msg = message_of<fc::argument_error>([&] { ckpt.on_train_begin(run.state); });
    CHECK(msg.find("ModelCheckpoint: no .layout") == 0);
    CHECK(msg.find(".layout = fitcheck::io::layout_of(model)") != std::string::npos);
  }
  SUBCASE("a layout of another size") {
    fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("x.fcw"), .layout = {"seven", {7}}};
    const auto msg = message_of<fc::argument_error>([&] { ckpt.on_train_begin(run.state); });
    CHECK(msg.find(".layout counts 7 parameters, but the model trained has 3") !=
          std::string::npos);
  }
  SUBCASE("a malformed pattern fails before training") {
    fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("x-}.fcw"), .layout = {"three", {3}}};
    const auto msg = message_of<fc::argument_error>([&] { ckpt.on_train_begin(run.state); });
    CHECK(msg.find("has a '}' with no '{' before it") != std::string::npos);
  }
  SUBCASE("save_best_only on a name that is not logged") {
    fcb::ModelCheckpoint<"val_loss"> ckpt{
        .filepath = dir.file("x.fcw"), .save_best_only = true, .layout = {"three", {3}}};
    const auto msg = message_of<fc::argument_error>([&] { drive(ckpt, run, "loss", {1.0}); });
    CHECK(msg.find("ModelCheckpoint: monitors \"val_loss\", which is not among this epoch's logs "
                   "(loss)") == 0);
  }
  SUBCASE("an unwritable location is a resource_error") {
    std::ofstream(dir.file("plain")) << "x";
    fcb::ModelCheckpoint<"loss"> ckpt{.filepath = dir.file("plain/ckpt.fcw"),
                                      .layout = {"three", {3}}};
    const auto msg = message_of<fc::resource_error>([&] { drive(ckpt, run, "loss", {1.0}); });
    CHECK(msg.find(dir.file("plain/ckpt.fcw") + ": cannot create the directory") == 0);
  }
}

// ---- LearningRateScheduler ---------------------------------------------------------------------

TEST_CASE("callbacks: LearningRateScheduler sets schedule(epoch, lr) at each epoch's start") {
  fake_run run;
  std::vector<std::pair<std::size_t, float>> calls;
  fcb::LearningRateScheduler sched{[&](std::size_t epoch, float lr) {
    calls.emplace_back(epoch, lr);
    return epoch < 2 ? lr : lr * 0.5f;
  }};
  auto& s = run.state;
  std::vector<double> logged;
  for (std::size_t e = 0; e < 4; ++e) {
    s.epoch = e;
    sched.on_epoch_begin(s);
    fc::Logs logs;
    sched.on_epoch_end(s, logs);
    logged.push_back(logs.at("learning_rate"));
  }
  REQUIRE(calls.size() == 4);
  CHECK(calls[0] == std::pair<std::size_t, float>{0, 0.1f});
  CHECK(calls[2] == std::pair<std::size_t, float>{2, 0.1f});
  CHECK(calls[3] == std::pair<std::size_t, float>{3, 0.05f});
  CHECK(run.optimizer.learning_rate() == 0.025f);
  CHECK(logged == std::vector<double>{double(0.1f), double(0.1f), double(0.05f), double(0.025f)});
}

TEST_CASE("callbacks: LearningRateScheduler rejects a rate that is not finite or negative") {
  fake_run run;
  run.state.epoch = 4;
  fcb::LearningRateScheduler nan{[](std::size_t, float) { return std::nan(""); }};
  const auto msg = message_of<fc::argument_error>([&] { nan.on_epoch_begin(run.state); });
  CHECK(msg.find("LearningRateScheduler: the schedule returned nan for epoch 4") == 0);
  fcb::LearningRateScheduler neg{[](std::size_t, float) { return -1.0; }};
  const auto negative = message_of<fc::argument_error>([&] { neg.on_epoch_begin(run.state); });
  CHECK(negative.find("returned -1.0 for epoch 4") != std::string::npos);
  CHECK(run.optimizer.learning_rate() == 0.1f);
  fc::TrainingState bare;
  const auto none = message_of<fc::argument_error>([&] { neg.on_epoch_begin(bare); });
  CHECK(none.find("LearningRateScheduler: the training state has no optimizer") == 0);
}

// ---- ReduceLROnPlateau -------------------------------------------------------------------------

namespace {
/// The learning rate logged at each epoch (the one the epoch trained with), and the rate after.
template <class C>
std::vector<double> plateau_rates(C& cb, fake_run& run, const std::string& name,
                                  const std::vector<double>& values) {
  std::vector<double> rates;
  auto& s = run.state;
  cb.on_train_begin(s);
  for (std::size_t e = 0; e < values.size(); ++e) {
    s.epoch = e;
    fc::Logs logs;
    logs.set(name, values[e]);
    cb.on_epoch_end(s, logs);
    rates.push_back(logs.at("learning_rate"));
  }
  rates.push_back(run.optimizer.learning_rate());
  return rates;
}
const double lr0 = double(0.1f), lr1 = double(0.05f), lr2 = double(0.025f);
}  // namespace

TEST_CASE("callbacks: ReduceLROnPlateau reduces after `patience` epochs on a plateau") {
  fake_run run;
  fcb::ReduceLROnPlateau<"val_loss"> r{.factor = 0.5, .patience = 2};
  CHECK(plateau_rates(r, run, "val_loss", {1.0, 1.0, 1.0, 1.0, 1.0}) ==
        std::vector<double>{lr0, lr0, lr0, lr1, lr1, lr2});
  CHECK(r.reductions() == 2);
}

TEST_CASE("callbacks: ReduceLROnPlateau's min_delta, mode, cooldown and min_lr") {
  fake_run run;
  SUBCASE("an improvement of less than min_delta (1e-4 by default) is a plateau") {
    fcb::ReduceLROnPlateau<"loss"> r{.factor = 0.5, .patience = 1};
    CHECK(plateau_rates(r, run, "loss", {1.0, 0.99995, 0.5}) ==
          std::vector<double>{lr0, lr0, lr1, lr1});
    CHECK(r.best() == 0.5);
  }
  SUBCASE("accuracy-like names improve upwards") {
    fcb::ReduceLROnPlateau<"val_accuracy"> r{.factor = 0.5, .patience = 1};
    CHECK(plateau_rates(r, run, "val_accuracy", {0.5, 0.6, 0.55, 0.7}) ==
          std::vector<double>{lr0, lr0, lr0, lr1, lr1});
  }
  SUBCASE("cooldown: the counter runs down at the start of the next epochs") {
    fcb::ReduceLROnPlateau<"loss"> r{.factor = 0.5, .patience = 1, .cooldown = 2};
    const auto rates = plateau_rates(r, run, "loss", {1, 1, 1, 1, 1, 1});
    // Reductions after epochs 1, 3 and 5: each cooldown of 2 skips one epoch's watch.
    CHECK(rates == std::vector<double>{lr0, lr0, lr1, lr1, lr2, lr2, double(0.0125f)});
    CHECK(r.reductions() == 3);
  }
  SUBCASE("cooldown 1 skips nothing (Keras)") {
    fcb::ReduceLROnPlateau<"loss"> r{.factor = 0.5, .patience = 1, .cooldown = 1};
    plateau_rates(r, run, "loss", {1, 1, 1});
    CHECK(r.reductions() == 2);
  }
  SUBCASE("never below min_lr, and no reduction once there") {
    fcb::ReduceLROnPlateau<"loss"> r{.patience = 0, .min_lr = 0.005};
    plateau_rates(r, run, "loss", {1, 1, 1, 1, 1});
    CHECK(run.optimizer.learning_rate() == 0.005f);
    CHECK(r.reductions() == 2);
  }
}

TEST_CASE("callbacks: ReduceLROnPlateau's mistakes are argument_errors") {
  fake_run run;
  fcb::ReduceLROnPlateau<"loss"> up{.factor = 1.0};
  const auto msg = message_of<fc::argument_error>([&] { up.on_train_begin(run.state); });
  CHECK(msg.find("ReduceLROnPlateau: factor 1.0 would not reduce the learning rate") == 0);
  fcb::ReduceLROnPlateau<"val_loss"> missing{};
  const auto absent =
      message_of<fc::argument_error>([&] { plateau_rates(missing, run, "loss", {1.0}); });
  CHECK(absent.find("ReduceLROnPlateau: monitors \"val_loss\", which is not among this epoch's "
                    "logs (loss, learning_rate)") == 0);
}

// ---- TerminateOnNaN ----------------------------------------------------------------------------

TEST_CASE("callbacks: TerminateOnNaN stops at the first non-finite loss and warns once (D3)") {
  fc::warning_capture warnings;
  fake_run run;
  fcb::TerminateOnNaN t;
  auto& s = run.state;
  t.on_train_begin(s);
  s.epoch = 1;
  const double inf = std::numeric_limits<double>::infinity();
  for (double loss : {0.5, 0.4, std::nan(""), inf}) {
    ++s.step;
    t.on_train_batch_end(s, loss);
    CHECK(s.stop_training == (s.step >= 3));
  }
  CHECK(t.triggered());
  CHECK(t.epoch() == 1);
  CHECK(t.step() == 3);
  CHECK(std::isnan(t.loss()));
  REQUIRE(warnings.count("D3") == 1);
  CHECK(warnings.warnings()[0].problem ==
        "TerminateOnNaN: the loss is nan at epoch 2, step 3 (learning rate 0.1); training stops");
  CHECK(warnings.warnings()[0].fix.find("lower the learning rate") == 0);
  CHECK(t.reason() == warnings.warnings()[0].problem);

  fake_run fresh;
  t.on_train_begin(fresh.state);
  CHECK_FALSE(t.triggered());
  CHECK(t.reason().empty());
  fresh.state.step = 1;
  t.on_train_batch_end(fresh.state, -inf);
  CHECK(fresh.state.stop_training);
  CHECK(warnings.warnings().back().problem.find("the loss is -inf at epoch 1, step 1") !=
        std::string::npos);
}

TEST_CASE("callbacks: TerminateOnNaN stops when a NaN input turns weights NaN behind a ReLU [D3]") {
  // ReLU's max drops the NaN, so the loss stays finite; the first layer's gradient does not.
  // With the data scan and the numeric guards off, TerminateOnNaN is what is left to notice.
  const std::vector<float> x = {0.5f, -0.5f, std::nanf(""), 0.25f, 1.0f, 0.0f, -1.0f, 0.5f};
  const std::vector<int> y = {1, 0, 1, 0};
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(x),
                                                                       std::span<const int>(y)) |
              fd::batch<2>();
  using ReluNet = fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<4>, fc::nn::ReLU,
                                     fc::nn::Dense<1>, fc::nn::Sigmoid>;
  fc::Model<ReluNet, fc::loss::BinaryCrossentropy> model(fc::optim::SGD{.learning_rate = 0.1f});
  fc::warning_capture warnings;
  fcb::TerminateOnNaN nan;
  const auto history = model.fit(data, 5, fc::Verbose{0}, fc::NumericGuards{.enabled = false},
                                 fc::Preflight{.level = fc::check::off}, nan);
  REQUIRE(nan.triggered());
  CHECK(nan.epoch() == 0);
  CHECK(nan.step() == 1);
  CHECK(std::isfinite(nan.loss()));
  CHECK(history.epochs() == 1);
  REQUIRE(warnings.count("D3") == 1);
  CHECK(warnings.warnings()[0].problem.find(
            "TerminateOnNaN: the gradients are not finite (global norm nan), so the weights are "
            "no longer finite, though the loss is ") == 0);
  CHECK(fc::test::contains(warnings.warnings()[0].problem, "at epoch 1, step 1"));
}

// ---- CSVLogger ---------------------------------------------------------------------------------

TEST_CASE("callbacks: CSVLogger writes a header and one flushed row per epoch") {
  const temp_dir dir("callbacks_test");
  const std::string path = dir.file("log.csv");
  fake_run run;
  fcb::CSVLogger csv{.filename = path};
  auto& s = run.state;
  csv.on_train_begin(s);
  const std::vector<std::vector<double>> rows = {{0.5, 0.25, 0.75}, {0.625, 0.125, 1e-05}};
  for (std::size_t e = 0; e < rows.size(); ++e) {
    s.epoch = e;
    fc::Logs logs;  // not in sorted order: the file sorts the names
    logs.set("loss", rows[e][0]);
    logs.set("accuracy", rows[e][1]);
    logs.set("val_loss", rows[e][2]);
    csv.on_epoch_end(s, logs);
  }
  // Before on_train_end: each row is already on disk [E2].
  CHECK(text_of(path) == "epoch,accuracy,loss,val_loss\n0,0.25,0.5,0.75\n1,0.125,0.625,1e-05\n");
  csv.on_train_end(s);

  SUBCASE("a second run without append starts the file over") {
    fcb::CSVLogger again{.filename = path, .separator = ';'};
    fc::Logs logs;
    logs.set("loss", 2.0);
    again.on_train_begin(s);
    s.epoch = 0;
    again.on_epoch_end(s, logs);
    again.on_train_end(s);
    CHECK(text_of(path) == "epoch;loss\n0;2.0\n");
  }
  SUBCASE("with append, rows go after the old ones and the header is not repeated") {
    fcb::CSVLogger more{.filename = path, .append = true};
    more.on_train_begin(s);
    s.epoch = 0;
    fc::Logs logs;
    logs.set("val_loss", 0.5);
    logs.set("loss", 3.0);
    logs.set("accuracy", 1.0);
    more.on_epoch_end(s, logs);
    more.on_train_end(s);
    CHECK(text_of(path) ==
          "epoch,accuracy,loss,val_loss\n0,0.25,0.5,0.75\n1,0.125,0.625,1e-05\n"
          "0,1.0,3.0,0.5\n");
  }
}

TEST_CASE("callbacks: CSVLogger appending to an empty or new file writes the header") {
  const temp_dir dir("callbacks_test");
  const std::string path = dir.file("new.csv");
  fake_run run;
  fcb::CSVLogger csv{.filename = path, .append = true};
  csv.on_train_begin(run.state);
  fc::Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", 0.75);
  csv.on_epoch_end(run.state, logs);
  run.state.epoch = 1;
  fc::Logs partial;
  partial.set("loss", 0.25);
  csv.on_epoch_end(run.state, partial);
  csv.on_train_end(run.state);
  CHECK(text_of(path) == "epoch,loss,val_loss\n0,0.5,0.75\n1,0.25,NA\n");

  // A row after on_train_end (outside fit) is appended: what was written stays.
  run.state.epoch = 2;
  csv.on_epoch_end(run.state, partial);
  csv.on_train_end(run.state);
  CHECK(text_of(path) == "epoch,loss,val_loss\n0,0.5,0.75\n1,0.25,NA\n2,0.25,NA\n");
}

TEST_CASE("callbacks: CSVLogger quotes a name holding the separator or a quote") {
  const temp_dir dir("callbacks_test");
  const std::string path = dir.file("q.csv");
  fake_run run;
  fcb::CSVLogger csv{.filename = path};
  csv.on_train_begin(run.state);
  fc::Logs logs;
  logs.set("a,b", 1.0);
  logs.set("say \"hi\"", 2.0);
  csv.on_epoch_end(run.state, logs);
  csv.on_train_end(run.state);
  CHECK(text_of(path) == "epoch,\"a,b\",\"say \"\"hi\"\"\"\n0,1.0,2.0\n");
}

TEST_CASE("callbacks: CSVLogger on an unwritable path is a resource_error") {
  const temp_dir dir("callbacks_test");
  const std::string path = dir.file("missing/log.csv");
  fake_run run;
  fcb::CSVLogger csv{.filename = path};
  const auto msg = message_of<fc::resource_error>([&] { csv.on_train_begin(run.state); });
  CHECK(msg == path + ": cannot be opened for writing: " + std::strerror(ENOENT) +
                   ". Fix: check that the directory exists and is writable, and that the disk "
                   "is not full");
}

// ---- through Model::fit ------------------------------------------------------------------------

TEST_CASE("callbacks: through fit, EarlyStopping stops a model that cannot improve") {
  const temp_dir dir("callbacks_test");
  auto train = pipeline();
  auto val = pipeline();
  // A learning rate of 0: the loss never moves, so every epoch after the first is a plateau.
  Model model(fc::optim::SGD{.learning_rate = 0.0f});
  fcb::EarlyStopping<"val_loss"> early{.patience = 2, .restore_best_weights = true};
  fcb::CSVLogger csv{.filename = dir.file("fit.csv")};
  fcb::ModelCheckpoint<"val_loss"> ckpt{.filepath = dir.file("ckpt-{epoch:02d}.fcw"),
                                        .layout = fio::layout_of(model)};
  fcb::TerminateOnNaN nan;
  const auto history =
      model.fit(train, fc::Epochs{50}, fc::Verbose{0}, fc::Validation{val}, early, csv, ckpt, nan);
  CHECK(history.epochs() == 3);
  CHECK(early.stopped_epoch() == 2u);
  CHECK(early.best_epoch() == 0);
  CHECK_FALSE(nan.triggered());

  // The CSV: a header with the sorted names and three rows of the same losses.
  std::istringstream lines(text_of(dir.file("fit.csv")));
  std::string line;
  std::vector<std::string> all;
  while (std::getline(lines, line)) all.push_back(line);
  REQUIRE(all.size() == 4);
  CHECK(all[0] == "epoch,loss,val_loss");
  const std::string loss = fc::format_python(history["loss"][0]);
  const std::string val_loss = fc::format_python(history["val_loss"][0]);
  CHECK(all[1] == "0," + loss + "," + val_loss);
  CHECK(all[2] == "1," + loss + "," + val_loss);
  CHECK(all[3] == "2," + loss + "," + val_loss);

  // A checkpoint per epoch, each loadable into a fresh model of the same architecture.
  CHECK(ckpt.saves() == 3);
  Model other(fc::optim::SGD{}, fc::Seed{99});
  fio::load_weights(other, dir.file("ckpt-03.fcw"));
  CHECK(
      std::equal(other.parameters().begin(), other.parameters().end(), model.parameters().begin()));
}

TEST_CASE("callbacks: through fit, EarlyStopping without patience left restores the best weights") {
  auto train = pipeline();
  Model model(fc::optim::SGD{.learning_rate = 0.5f});
  // "loss" needs no validation data. min_delta so large nothing counts as an improvement: the
  // first epoch's weights are the best and come back at the end.
  fcb::EarlyStopping<"loss"> early{.patience = 1, .min_delta = 1e9, .restore_best_weights = true};
  struct snapshot {
    std::vector<float> after_first;
    void on_epoch_end(fc::TrainingState& s, fc::Logs&) {
      if (s.epoch == 0) after_first.assign(s.parameters.begin(), s.parameters.end());
    }
  } snap;
  const auto history = model.fit(train, fc::Epochs{10}, fc::Verbose{0}, snap, early);
  CHECK(history.epochs() == 2);
  REQUIRE(snap.after_first.size() == model.parameters().size());
  CHECK(std::equal(snap.after_first.begin(), snap.after_first.end(), model.parameters().begin()));
}

TEST_CASE("callbacks: through fit, the learning-rate callbacks set and log the rate") {
  auto train = pipeline();
  Model model(fc::optim::SGD{.learning_rate = 0.0f});
  fcb::LearningRateScheduler sched{
      [](std::size_t epoch, float) { return 0.1 / double(epoch + 1); }};
  const auto history = model.fit(train, fc::Epochs{3}, fc::Verbose{0}, sched);
  REQUIRE(history.contains("learning_rate"));
  CHECK(history["learning_rate"] ==
        std::vector<double>{double(0.1f), double(float(0.1 / 2)), double(float(0.1 / 3))});

  // So small a rate the loss moves by far less than min_delta: a plateau from epoch 1 on.
  Model flat(fc::optim::SGD{.learning_rate = 1e-6f});
  fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1};
  const auto h = flat.fit(train, fc::Epochs{3}, fc::Verbose{0}, plateau);
  CHECK(h["learning_rate"] == std::vector<double>{double(1e-6f), double(1e-6f), double(1e-6f) / 2});
  CHECK(plateau.reductions() == 2);
  CHECK(flat.optimizer().learning_rate() == 1e-6f / 4);
}


// ---- evaluate and predict: their hooks ---------------------------------------------------------

namespace {
// Every hook of evaluate and predict, as lines: "test_begin", "test_batch 1/2 0.6931",
// "test_end 0.6931" (the loss in the logs), "predict_batch 1/2 4" (the outputs' count), ...
struct pass_recorder {
  std::vector<std::string> events;
  std::vector<double> running;   // on_test_batch_end's losses
  std::vector<float> outputs;    // on_predict_batch_end's, concatenated
  std::vector<fc::Logs> ended;   // on_test_end's logs
  std::vector<std::size_t> steps_at_test_end;  // the training step then (fit's own count)
  static std::string of(const fc::TrainingState& s) {
    return std::to_string(s.test_step) + "/" +
           (s.test_steps ? std::to_string(*s.test_steps) : std::string("?"));
  }
  void on_test_begin(fc::TrainingState&) { events.push_back("test_begin"); }
  void on_test_batch_begin(fc::TrainingState& s) {
    events.push_back("test_batch_begin " + std::to_string(s.batch));
  }
  void on_test_batch_end(fc::TrainingState& s, double loss) {
    events.push_back("test_batch " + of(s));
    running.push_back(loss);
  }
  void on_test_end(fc::TrainingState& s, const fc::Logs& logs) {
    events.push_back("test_end");
    ended.push_back(logs);
    steps_at_test_end.push_back(s.step);
  }
  void on_predict_begin(fc::TrainingState&) { events.push_back("predict_begin"); }
  void on_predict_batch_begin(fc::TrainingState& s) {
    events.push_back("predict_batch_begin " + std::to_string(s.batch));
  }
  void on_predict_batch_end(fc::TrainingState& s, std::span<const float> out) {
    events.push_back("predict_batch " + of(s) + " " + std::to_string(out.size()));
    outputs.insert(outputs.end(), out.begin(), out.end());
  }
  void on_predict_end(fc::TrainingState&) { events.push_back("predict_end"); }
};

// A model whose two batches score differently (trained a little on labels unrelated to the
// points), so a running mean that was not one shows.
Model trained_model() {
  Model model(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{3});
  auto train = pipeline();
  (void)model.fit(train, fc::Epochs{3}, fc::Verbose{0});
  return model;
}

// What `f` writes to stdout (evaluate's and predict's Verbose print there, as fit's does).
template <class F>
std::string stdout_of(F&& f) {
  std::fflush(stdout);
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  const int saved = dup(fileno(stdout));
  dup2(fileno(file), fileno(stdout));
  try {
    f();
  } catch (...) {
    std::fflush(stdout);
    dup2(saved, fileno(stdout));
    close(saved);
    std::fclose(file);
    throw;
  }
  std::fflush(stdout);
  dup2(saved, fileno(stdout));
  close(saved);
  std::rewind(file);
  std::string text;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += char(c);
  std::fclose(file);
  return text;
}
}  // namespace

static_assert(fc::callback<pass_recorder> && fc::callback<fc::ProgressBar>);

TEST_CASE("callbacks: evaluate calls the test hooks with the running mean loss and its results") {
  Model model = trained_model();
  auto first = pipeline() | fd::take(1);
  auto all = pipeline();
  const double first_loss = model.evaluate(first).at("loss");
  const double whole = model.evaluate(all).at("loss");
  REQUIRE(std::abs(first_loss - whole) > 1e-4);  // the batches differ
  pass_recorder rec;
  const fc::Logs logs = model.evaluate(all, rec);
  CHECK(rec.events == std::vector<std::string>{"test_begin", "test_batch_begin 0",
                                               "test_batch 1/2", "test_batch_begin 1",
                                               "test_batch 2/2", "test_end"});
  REQUIRE(rec.running.size() == 2);
  CHECK(rec.running[0] == doctest::Approx(first_loss).epsilon(1e-12));
  CHECK(rec.running[1] == doctest::Approx(whole).epsilon(1e-12));
  REQUIRE(rec.ended.size() == 1);
  CHECK(rec.ended[0].entries() == logs.entries());
  CHECK(logs.at("loss") == doctest::Approx(whole).epsilon(1e-12));

  // ValidationSteps{1}: one batch, and the hooks know it.
  pass_recorder one;
  const fc::Logs part = model.evaluate(all, one, fc::ValidationSteps{1});
  CHECK(one.events == std::vector<std::string>{"test_begin", "test_batch_begin 0",
                                               "test_batch 1/1", "test_end"});
  CHECK(part.at("loss") == doctest::Approx(first_loss).epsilon(1e-12));
}

TEST_CASE("callbacks: fit's validation calls the test hooks each epoch, fit's step left as it was") {
  Model model(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{3});
  auto train = pipeline();
  auto val = pipeline();
  pass_recorder rec;
  const fc::History h = model.fit(train, fc::Epochs{2}, fc::Validation{val}, rec, fc::Verbose{0});
  const std::vector<std::string> epoch = {"test_begin", "test_batch_begin 0", "test_batch 1/2",
                                          "test_batch_begin 1", "test_batch 2/2", "test_end"};
  std::vector<std::string> want = epoch;
  want.insert(want.end(), epoch.begin(), epoch.end());
  CHECK(rec.events == want);
  REQUIRE(rec.ended.size() == 2);
  for (std::size_t e = 0; e < 2; ++e) {
    CAPTURE(e);
    // The pass's own names (Keras gives on_test_end the unprefixed logs too).
    CHECK(rec.ended[e].at("loss") == h["val_loss"][e]);
    CHECK(rec.running[2 * e + 1] == doctest::Approx(h["val_loss"][e]).epsilon(1e-12));
    CHECK(rec.steps_at_test_end[e] == 2u);
  }
}

TEST_CASE("callbacks: on_train_batch_begin comes before each step, whose rate it may set") {
  struct begins {
    std::vector<std::string> events;
    void on_train_batch_begin(fc::TrainingState& s) {
      events.push_back("begin " + std::to_string(s.epoch) + "." + std::to_string(s.batch));
      // A warm-up by hand: the first batch of each epoch trains at rate 0, the others at 0.5.
      s.optimizer->set_learning_rate(s.batch == 0 ? 0.0f : 0.5f);
    }
    void on_train_batch_end(fc::TrainingState& s, double) {
      events.push_back("end " + std::to_string(s.epoch) + "." + std::to_string(s.step));
    }
  } rec;
  auto params = [](Model& m) {
    const auto p = m.parameters();
    return std::vector<float>(p.begin(), p.end());
  };
  Model model(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{3});
  auto train = pipeline();
  (void)model.fit(train, fc::Epochs{2}, fc::Verbose{0}, rec);
  CHECK(rec.events == std::vector<std::string>{"begin 0.0", "end 0.1", "begin 0.1", "end 0.2",
                                               "begin 1.0", "end 1.1", "begin 1.1", "end 1.2"});
  // The same by train_step: each epoch's first step at rate 0 changes nothing.
  Model by_hand(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{3});
  auto again = pipeline();
  for (int e = 0; e < 2; ++e) {
    std::size_t b = 0;
    for (const auto& batch : again) {
      by_hand.optimizer().set_learning_rate(b++ == 0 ? 0.0f : 0.5f);
      (void)by_hand.train_step(batch);
    }
  }
  CHECK(params(model) == params(by_hand));
  Model untouched(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{3});
  auto plain = pipeline();
  (void)untouched.fit(plain, fc::Epochs{2}, fc::Verbose{0});
  CHECK(params(model) != params(untouched));
}

TEST_CASE("callbacks: predict calls the predict hooks with each batch's outputs") {
  Model model = trained_model();
  auto all = pipeline();
  pass_recorder rec;
  const auto out = model.predict(all, rec);
  CHECK(rec.events == std::vector<std::string>{"predict_begin", "predict_batch_begin 0",
                                               "predict_batch 1/2 4", "predict_batch_begin 1",
                                               "predict_batch 2/2 4", "predict_end"});
  REQUIRE(out.size() == 8);
  CHECK(std::equal(rec.outputs.begin(), rec.outputs.end(), out.begin(), out.end()));

  // From a tensor, in batches of 3: 3, 3 and 2 samples.
  pass_recorder from_tensor;
  const auto x = xt::adapt(xs, std::vector<std::size_t>{8, 2});
  const auto same = model.predict(x, 3, from_tensor);
  CHECK(from_tensor.events ==
        std::vector<std::string>{"predict_begin", "predict_batch_begin 0", "predict_batch 1/3 3",
                                 "predict_batch_begin 1", "predict_batch 2/3 3",
                                 "predict_batch_begin 2", "predict_batch 3/3 2", "predict_end"});
  CHECK(std::equal(from_tensor.outputs.begin(), from_tensor.outputs.end(), out.begin(),
                   out.end()));
  CHECK(std::equal(same.begin(), same.end(), out.begin(), out.end()));
}

TEST_CASE("callbacks: evaluate and predict print a line with Verbose, nothing without") {
  Model model = trained_model();
  auto all = pipeline();
  fc::Logs logs;
  CHECK(stdout_of([&] { logs = model.evaluate(all); }).empty());
  CHECK(stdout_of([&] { (void)model.predict(all); }).empty());
  const std::string eval_line = stdout_of([&] { (void)model.evaluate(all, fc::Verbose{2}); });
  char loss[32];
  std::snprintf(loss, sizeof loss, " - loss: %.4f\n", logs.at("loss"));
  CHECK(eval_line.starts_with("2/2 - "));
  CHECK(eval_line.ends_with(loss));
  CHECK(std::count(eval_line.begin(), eval_line.end(), '\n') == 1);
  const std::string predict_line = stdout_of([&] { (void)model.predict(all, fc::Verbose{2}); });
  CHECK(predict_line.starts_with("2/2 - "));
  CHECK(predict_line.ends_with(" steps/s\n"));
}

TEST_CASE("callbacks: ProgressBar's live bar shows the running mean loss fit gives it") {
  // Driven as fit drives it, at level 1 (a live bar), into a file.
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  fc::ProgressBar bar(fc::Verbose{1}, file);
  fake_run run(2);
  auto& s = run.state;
  s.steps_per_epoch = 2;
  bar.on_epoch_begin(s);
  s.step = 1;
  bar.on_train_batch_end(s, 0.5);    // the first batch's loss
  s.step = 2;
  bar.on_train_batch_end(s, 0.25);   // the mean of its loss (0) and the first's
  fc::Logs logs;
  logs.set("loss", 0.25);
  bar.on_epoch_end(s, logs);
  std::rewind(file);
  std::string text;
  for (int c = std::fgetc(file); c != EOF; c = std::fgetc(file)) text += char(c);
  std::fclose(file);
  CHECK(text.starts_with("Epoch 1/2\n\r1/2 - "));
  CHECK(text.find(" - loss: 0.5000   \r2/2 - ") != std::string::npos);
  // The running mean as given (the bar once averaged the running means: 0.3750).
  CHECK(text.find(" - loss: 0.2500   \r2/2 - ") != std::string::npos);
  CHECK(text.ends_with(" steps/s - loss: 0.2500\n"));
}



// ---- SwapEMAWeights ----------------------------------------------------------------------------

namespace {
fc::optim::Optimizer ema_sgd() {
  return fc::optim::SGD{.learning_rate = 0.5f, .use_ema = true, .ema_momentum = 0.5f};
}
std::vector<float> copy_of(std::span<const float> p) { return {p.begin(), p.end()}; }
float largest_gap(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  float gap = 0;
  for (std::size_t i = 0; i < a.size(); ++i) gap = std::max(gap, std::abs(a[i] - b[i]));
  return gap;
}

// What fit with SwapEMAWeights must give, from a loop of train_step calls: each epoch's
// validation loss of the average and of the weights, the average at each epoch's end, and the
// average after the last.
struct swap_expected {
  std::vector<double> average_loss, weights_loss;
  std::vector<std::vector<float>> average_at_end;
  std::vector<float> final_average;
};
swap_expected train_by_steps(std::size_t epochs) {
  Model m(ema_sgd(), fc::Seed{5});
  auto train = pipeline();
  auto val = pipeline();
  swap_expected out;
  for (std::size_t e = 0; e < epochs; ++e) {
    for (const auto& b : train) (void)m.train_step(b);
    const std::vector<float> weights = copy_of(m.parameters());
    out.weights_loss.push_back(m.evaluate(val).at("loss"));
    m.use_average_weights();
    out.average_loss.push_back(m.evaluate(val).at("loss"));
    out.average_at_end.push_back(copy_of(m.parameters()));
    std::ranges::copy(weights, m.parameters().begin());
  }
  m.use_average_weights();
  out.final_average = copy_of(m.parameters());
  return out;
}

// Records the weights callbacks after SwapEMAWeights see at each epoch's end.
struct weights_probe {
  std::vector<std::vector<float>> at_end;
  void on_epoch_end(fc::TrainingState& s, fc::Logs&) { at_end.push_back(copy_of(s.parameters)); }
};
}  // namespace

static_assert(fc::callback<fcb::SwapEMAWeights> &&
              !fc::detail::needs_validation<fcb::SwapEMAWeights>());

TEST_CASE("callbacks: SwapEMAWeights validates the average and trains on from the weights") {
  const swap_expected want = train_by_steps(3);
  // The average and the weights score differently, so a swap that did not happen would show.
  for (std::size_t e = 0; e < 3; ++e)
    CHECK(std::abs(want.average_loss[e] - want.weights_loss[e]) > 1e-4);
  Model m(ema_sgd(), fc::Seed{5});
  auto train = pipeline();
  auto val = pipeline();
  fcb::SwapEMAWeights swap;
  weights_probe probe;
  const fc::History h =
      m.fit(train, fc::Epochs{3}, fc::Validation{val}, swap, probe, fc::Verbose{0});
  REQUIRE(h["val_loss"].size() == 3);
  for (std::size_t e = 0; e < 3; ++e) {
    CAPTURE(e);
    // Epochs 2 and 3 match only if training went on from the weights, not the average.
    CHECK(h["val_loss"][e] == doctest::Approx(want.average_loss[e]).epsilon(1e-12));
    // Without swap_on_epoch, the epoch's other callbacks see the weights being trained.
    CHECK(largest_gap(probe.at_end[e], want.average_at_end[e]) > 1e-4);
  }
  CHECK_FALSE(swap.in_weights_);
  // fit ends with the average in the weights, as use_ema alone does.
  CHECK(largest_gap(copy_of(m.parameters()), want.final_average) == 0.0f);
}

TEST_CASE("callbacks: SwapEMAWeights with swap_on_epoch leaves the average in for the callbacks") {
  const swap_expected want = train_by_steps(3);
  Model m(ema_sgd(), fc::Seed{5});
  auto train = pipeline();
  auto val = pipeline();
  fcb::SwapEMAWeights swap{.swap_on_epoch = true};
  weights_probe probe;
  const fc::History h =
      m.fit(train, fc::Epochs{3}, fc::Validation{val}, swap, probe, fc::Verbose{0});
  REQUIRE(probe.at_end.size() == 3);
  for (std::size_t e = 0; e < 3; ++e) {
    CAPTURE(e);
    // A ModelCheckpoint here would save the average; the next epoch still trains the weights.
    CHECK(largest_gap(probe.at_end[e], want.average_at_end[e]) == 0.0f);
    CHECK(h["val_loss"][e] == doctest::Approx(want.average_loss[e]).epsilon(1e-12));
  }
  // fit ended with the average swapped in: it swapped back before putting the average in the
  // weights, so they are the average, not the weights it stood in for.
  CHECK(largest_gap(copy_of(m.parameters()), want.final_average) == 0.0f);
}

TEST_CASE("callbacks: evaluate with SwapEMAWeights scores the moving average, weights kept") {
  Model m(ema_sgd(), fc::Seed{5});
  Model same(ema_sgd(), fc::Seed{5});
  auto train = pipeline();
  auto val = pipeline();
  for (const auto& b : train) {
    (void)m.train_step(b);
    (void)same.train_step(b);
  }
  const std::vector<float> weights = copy_of(m.parameters());
  same.use_average_weights();
  const double average_loss = same.evaluate(val).at("loss");
  const double weights_loss = m.evaluate(val).at("loss");
  REQUIRE(std::abs(average_loss - weights_loss) > 1e-4);
  fcb::SwapEMAWeights swap;
  CHECK(m.evaluate(val, swap).at("loss") == average_loss);
  CHECK_FALSE(swap.in_weights_);
  CHECK(copy_of(m.parameters()) == weights);

  Model plain(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{5});
  const std::vector<float> before = copy_of(plain.parameters());
  const auto msg = message_of<fc::argument_error>(
      [&] { (void)plain.evaluate(val, fcb::SwapEMAWeights{}); });
  CHECK(msg.find("SwapEMAWeights: the optimizer keeps no moving average of the weights") == 0);
  CHECK(copy_of(plain.parameters()) == before);
}

TEST_CASE("callbacks: SwapEMAWeights without use_ema is refused before the first step") {
  Model m(fc::optim::SGD{.learning_rate = 0.5f}, fc::Seed{5});
  const std::vector<float> before = copy_of(m.parameters());
  auto train = pipeline();
  auto val = pipeline();
  const auto msg = message_of<fc::argument_error>([&] {
    (void)m.fit(train, fc::Epochs{2}, fc::Validation{val}, fcb::SwapEMAWeights{},
                fc::Verbose{0});
  });
  CHECK(msg.find("SwapEMAWeights: the optimizer keeps no moving average of the weights") == 0);
  CHECK(msg.find("set .use_ema = true in the optimizer's options") != std::string::npos);
  CHECK(copy_of(m.parameters()) == before);
}

}  // namespace train_callbacks_test
