// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// fit on fc::cuda_t overlaps step i's kernels with making and staging batch i + 1, and reads
// step i's loss and norm only after that. On Thrust's CPU system everything is synchronous, so
// fit must give the very bits of the loop it replaced: one synchronous train_step per batch, the
// pipeline advanced after the step's callbacks. Each test runs that loop by hand and compares
// step by step, exactly; and fit on the CPU backend to 1e-4.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <ratio>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <fitcheck/fitcheck.hpp>

#include "gpu_test_support.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
constexpr std::size_t samples = 40;
const std::vector<float> features = fc::test::random_values<float>(samples * 6, 51);
const std::vector<int> labels = [] {
  std::vector<int> y(samples);
  for (std::size_t i = 0; i < samples; ++i)
    y[i] = int(std::size_t(std::abs(features[i * 6 + 2] * 1000.0f)) % 3);
  return y;
}();

using Net = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Logits = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::Tanh, fc::Dense<3>>;
using SCCE = fc::loss::SparseCategoricalCrossentropy;
using Acc = fc::Metrics<fc::metrics::Accuracy>;
const fc::Preflight no_scan{.level = fc::check::off};

auto slices(const std::vector<float>& x = features) {
  return fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                    std::span<const int>(labels));
}

// What fit shows its callbacks after every batch.
struct batch_log {
  std::vector<double> mean_losses;  // fit's running mean of the epoch's batch losses
  std::vector<double> norms;        // the gradient norm before clipping, reported after the fact
  std::vector<std::uint64_t> iterations;
  std::vector<std::pair<std::size_t, std::size_t>> where;  // (epoch, step)
  std::size_t stop_after = 0;                              // batches; 0: never stop
  void on_train_batch_end(fc::TrainingState& s, double mean_loss) {
    mean_losses.push_back(mean_loss);
    norms.push_back(s.optimizer->last_gradient_norm());
    iterations.push_back(s.optimizer->iterations());
    where.emplace_back(s.epoch, s.step);
    if (mean_losses.size() == stop_after) s.stop_training = true;
  }
};

// The loop fit replaced, one synchronous train_step at a time; `each_batch` sees every batch
// before its step (for the expected metrics).
struct step_loop {
  batch_log log;
  std::vector<double> epoch_losses;
  double sum = 0;
  std::size_t step = 0;
  void begin_epoch() {
    sum = 0;
    step = 0;
  }
  template <class M, class B>
  void train(M& model, const B& batch, std::size_t epoch) {
    sum += model.train_step(batch);
    ++step;
    log.mean_losses.push_back(sum / double(step));
    log.norms.push_back(model.optimizer().last_gradient_norm());
    log.iterations.push_back(model.optimizer().iterations());
    log.where.emplace_back(epoch, step);
  }
  void end_epoch() { epoch_losses.push_back(sum / double(step)); }
};

void check_same(const batch_log& got, const batch_log& want) {
  REQUIRE(got.mean_losses.size() == want.mean_losses.size());
  for (std::size_t i = 0; i < got.mean_losses.size(); ++i) {
    CAPTURE(i);
    CHECK(got.mean_losses[i] == want.mean_losses[i]);
    CHECK(got.norms[i] == want.norms[i]);
    CHECK(got.iterations[i] == want.iterations[i]);
    CHECK(got.where[i] == want.where[i]);
  }
}

template <class A, class B>
void check_same_parameters(A& a, B& b) {
  const auto pa = a.parameters();
  const auto pb = b.parameters();
  CHECK(std::vector<float>(pa.begin(), pa.end()) == std::vector<float>(pb.begin(), pb.end()));
}

// The model's argmax hits on one batch, predicted before its training step (the outputs the
// step's metrics read: Dense, Tanh, ReLU and Softmax compute the same in both modes).
template <class M, class B>
std::size_t hits(M& model, const B& batch) {
  const std::size_t n = batch.size();
  auto one = fd::from_tensor_slices<fc::Features<6>, fc::ClassLabel<3>>(
                 std::span<const float>(batch.x_data(), n * 6),
                 std::span<const int>(batch.y_data(), n)) |
             fd::batch(n);
  const auto out = model.predict(one);
  std::size_t h = 0;
  for (std::size_t r = 0; r < n; ++r) {
    std::size_t best = 0;
    for (std::size_t j = 1; j < 3; ++j)
      if (out(r, j) > out(r, best)) best = j;
    h += best == std::size_t(batch.y_data()[r]);
  }
  return h;
}

// `epochs` passes of the step loop over `data`; returns each epoch's accuracy (the hits of each
// batch predicted before its step, as fit's metrics count them).
template <class M, class D>
std::vector<double> loop_epochs(M& model, D& data, std::size_t epochs, step_loop& loop) {
  std::vector<double> accuracy;
  for (std::size_t e = 0; e < epochs; ++e) {
    loop.begin_epoch();
    std::size_t hit = 0, seen = 0;
    for (const auto& batch : data) {
      hit += hits(model, batch);
      seen += batch.size();
      loop.train(model, batch, e);
    }
    loop.end_epoch();
    accuracy.push_back(double(hit) / double(seen));
  }
  return accuracy;
}

// fit with metrics and a per-batch callback on fc::cuda_t against the step loop (exactly) and
// against fit on the CPU backend (to 1e-4).
template <class N, class L>
void check_fit_with_metrics(const fc::optim::Optimizer& opt) {
  auto make = [] { return slices() | fd::shuffle(40, fc::Seed{5}) | fd::batch<7>(); };
  auto data_fit = make(), data_loop = make(), data_cpu = make();
  fc::Model<N, L, Acc, fc::cuda_t> gpu(opt, fc::Seed{3});
  fc::Model<N, L, Acc, fc::cuda_t> loop_model(opt, fc::Seed{3});
  fc::Model<N, L, Acc> cpu(opt, fc::Seed{3});
  batch_log log, cpu_log;
  const auto h = gpu.fit(data_fit, fc::Epochs{3}, fc::Verbose{0}, log);
  const auto hc = cpu.fit(data_cpu, fc::Epochs{3}, fc::Verbose{0}, cpu_log);

  step_loop loop;
  const std::vector<double> accuracy = loop_epochs(loop_model, data_loop, 3, loop);
  check_same(log, loop.log);
  CHECK(log.mean_losses.size() == 18);  // 6 batches (the last one of 5 samples) x 3 epochs
  CHECK(h["loss"] == loop.epoch_losses);
  CHECK(h["accuracy"] == accuracy);
  check_same_parameters(gpu, loop_model);

  REQUIRE(cpu_log.mean_losses.size() == log.mean_losses.size());
  for (std::size_t i = 0; i < log.mean_losses.size(); ++i) {
    CHECK(std::abs(log.mean_losses[i] - cpu_log.mean_losses[i]) <= 1e-4);
    CHECK(std::abs(log.norms[i] - cpu_log.norms[i]) <= 1e-4 * std::max(1.0, cpu_log.norms[i]));
  }
  CHECK(h["accuracy"] == hc["accuracy"]);
}

// A callback that throws at the end of training batch `at` (1-based): a crash to resume from.
struct crash {
  std::size_t at, seen = 0;
  void on_train_batch_end(fc::TrainingState&, double) {
    if (++seen == at) throw std::runtime_error("simulated crash");
  }
};

// A source that counts how often the pipeline pulls from it (once per sample, and once more for
// the end of each pass).
struct counted_source {
  std::shared_ptr<std::size_t> pulls = std::make_shared<std::size_t>(0);
  auto make() const {
    return fd::from_generator<fc::Features<6>, fc::ClassLabel<3>>([pulls = pulls] {
      return [pulls, i = std::size_t(0)]() mutable
                 -> std::optional<std::pair<std::array<float, 6>, int>> {
        ++*pulls;
        if (i == samples) return std::nullopt;
        std::pair<std::array<float, 6>, int> row{{}, labels[i]};
        for (std::size_t j = 0; j < 6; ++j) row.first[j] = features[i * 6 + j];
        ++i;
        return row;
      };
    });
  }
};
}  // namespace

TEST_CASE("gpu fit: with metrics and a batch callback, step by step the synchronous loop") {
  check_fit_with_metrics<Net, SCCE>(fc::optim::Adam{.learning_rate = 1e-2f});
  // Clipping by the global norm on the device, from the device-side norm.
  check_fit_with_metrics<Net, SCCE>(
      fc::optim::SGD{.learning_rate = 0.5f, .momentum = 0.9f, .global_clipnorm = 0.05f});
  // Logits: metrics apply the loss's activation to the outputs read back.
  check_fit_with_metrics<Logits, fc::loss::FromLogits<SCCE>>(
      fc::optim::RMSprop{.learning_rate = 1e-2f, .clipvalue = 0.1f});
}

TEST_CASE("gpu fit: StepsPerEpoch continues one pass across epochs, with validation") {
  auto make = [] { return slices() | fd::repeat() | fd::batch<8>(); };
  auto train_fit = make(), train_loop = make(), train_cpu = make();
  auto val = slices() | fd::batch<16>();
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 1e-2f};
  fc::Model<Net, SCCE, Acc, fc::cuda_t> gpu(opt), loop_model(opt);
  fc::Model<Net, SCCE, Acc> cpu(opt);
  batch_log log, cpu_log;
  // 3 steps an epoch, 5 batches a pass: epochs end mid-pass and passes end mid-epoch.
  const auto h = gpu.fit(train_fit, fc::Epochs{4}, fc::StepsPerEpoch{3}, fc::Validation{val},
                         fc::Verbose{0}, log);
  const auto hc = cpu.fit(train_cpu, fc::Epochs{4}, fc::StepsPerEpoch{3}, fc::Validation{val},
                          fc::Verbose{0}, cpu_log);

  step_loop loop;
  std::vector<double> val_loss, val_accuracy;
  auto it = train_loop.begin();
  for (std::size_t e = 0; e < 4; ++e) {
    loop.begin_epoch();
    for (int s = 0; s < 3; ++s, ++it) loop.train(loop_model, *it, e);
    loop.end_epoch();
    const auto v = loop_model.evaluate(val);
    val_loss.push_back(v.at("loss"));
    val_accuracy.push_back(v.at("accuracy"));
  }
  check_same(log, loop.log);
  CHECK(log.mean_losses.size() == 12);
  CHECK(h["loss"] == loop.epoch_losses);
  CHECK(h["val_loss"] == val_loss);
  CHECK(h["val_accuracy"] == val_accuracy);
  check_same_parameters(gpu, loop_model);
  for (std::size_t e = 0; e < 4; ++e)
    CHECK(std::abs(h["val_loss"][e] - hc["val_loss"][e]) <= 1e-4);
}

TEST_CASE("gpu fit: stop_training from a callback stops after that step, the pulls are the CPU's") {
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.2f};
  counted_source src_gpu, src_cpu;
  auto data_gpu = src_gpu.make() | fd::batch<8>();
  auto data_cpu = src_cpu.make() | fd::batch<8>();
  fc::Model<Net, SCCE, Acc, fc::cuda_t> gpu(opt), loop_model(opt);
  fc::Model<Net, SCCE, Acc> cpu(opt);
  batch_log log, cpu_log;
  log.stop_after = cpu_log.stop_after = 7;  // epoch 2, step 2 (5 batches an epoch)
  const auto h = gpu.fit(data_gpu, fc::Epochs{5}, fc::Verbose{0}, no_scan, log);
  const auto hc = cpu.fit(data_cpu, fc::Epochs{5}, fc::Verbose{0}, no_scan, cpu_log);
  CHECK(h["loss"].size() == 2);
  CHECK(hc["loss"].size() == 2);

  auto data_loop = slices() | fd::batch<8>();
  step_loop loop;
  for (std::size_t e = 0; e < 2; ++e) {
    loop.begin_epoch();
    for (const auto& batch : data_loop) {
      loop.train(loop_model, batch, e);
      if (loop.log.mean_losses.size() == 7) break;
    }
    loop.end_epoch();
  }
  check_same(log, loop.log);
  CHECK(h["loss"] == loop.epoch_losses);
  // The staged batch 8 was never trained on.
  check_same_parameters(gpu, loop_model);
  CHECK(gpu.optimizer().iterations() == 7);
  // The CPU loop asks the pipeline for the next batch even after the stopping step; so does the
  // overlapped one (it only asks earlier): 41 pulls for epoch 1, 3 batches of 8 in epoch 2.
  CHECK(*src_gpu.pulls == *src_cpu.pulls);
  CHECK(*src_gpu.pulls == 41 + 24);
}

TEST_CASE("gpu fit: the pipeline is pulled exactly as often as by the CPU loop") {
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.2f};
  {
    counted_source src_gpu, src_cpu;
    auto data_gpu = src_gpu.make() | fd::batch<8>();
    auto data_cpu = src_cpu.make() | fd::batch<8>();
    fc::Model<Net, SCCE, fc::cuda_t> gpu(opt);
    fc::Model<Net, SCCE> cpu(opt);
    (void)gpu.fit(data_gpu, fc::Epochs{3}, fc::Verbose{0}, no_scan);
    (void)cpu.fit(data_cpu, fc::Epochs{3}, fc::Verbose{0}, no_scan);
    CHECK(*src_gpu.pulls == 3 * 41);
    CHECK(*src_cpu.pulls == 3 * 41);
  }
  {
    counted_source src_gpu, src_cpu;
    auto data_gpu = src_gpu.make() | fd::repeat() | fd::batch<8>();
    auto data_cpu = src_cpu.make() | fd::repeat() | fd::batch<8>();
    fc::Model<Net, SCCE, fc::cuda_t> gpu(opt);
    fc::Model<Net, SCCE> cpu(opt);
    (void)gpu.fit(data_gpu, fc::Epochs{4}, fc::StepsPerEpoch{3}, fc::Verbose{0}, no_scan);
    (void)cpu.fit(data_cpu, fc::Epochs{4}, fc::StepsPerEpoch{3}, fc::Verbose{0}, no_scan);
    CHECK(*src_gpu.pulls == *src_cpu.pulls);
    CHECK(*src_gpu.pulls >= 13 * 8);  // 12 steps' batches and the one after them
  }
}

TEST_CASE("gpu fit: a callback's evaluate between steps drops the staged batch, not the data") {
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 1e-2f};
  fc::Model<Net, SCCE, fc::cuda_t> gpu(opt), loop_model(opt);
  auto val = slices() | fd::batch<16>();
  using Val = decltype(val);
  struct evaluating {
    fc::Model<Net, SCCE, fc::cuda_t>* model;
    Val* data;
    std::vector<double> val_losses;
    void on_train_batch_end(fc::TrainingState&, double) {
      val_losses.push_back(model->evaluate(*data).at("loss"));
    }
  } cb{&gpu, &val, {}};
  auto data_fit = slices() | fd::batch<8>();
  batch_log log;
  (void)gpu.fit(data_fit, fc::Epochs{2}, fc::Verbose{0}, cb, log);

  auto data_loop = slices() | fd::batch<8>();
  step_loop loop;
  std::vector<double> val_losses;
  for (std::size_t e = 0; e < 2; ++e) {
    loop.begin_epoch();
    for (const auto& batch : data_loop) {
      loop.train(loop_model, batch, e);
      val_losses.push_back(loop_model.evaluate(val).at("loss"));
    }
  }
  check_same(log, loop.log);
  CHECK(cb.val_losses == val_losses);
  check_same_parameters(gpu, loop_model);
}

TEST_CASE("gpu fit: the numeric guard (D3) names the step where the loss became NaN") {
  auto x = features;
  x[(3 * 8 + 5) * 6 + 1] = std::numeric_limits<float>::quiet_NaN();  // batch 4's sixth sample
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.1f};
  using L = fc::loss::FromLogits<SCCE>;  // NaN logits: a NaN loss (probabilities are clipped)
  auto message = [&](auto& model, auto&& data, auto... args) {
    try {
      (void)model.fit(data, fc::Epochs{3}, fc::Verbose{0}, no_scan, args...);
    } catch (const fc::numeric_error& e) {
      return std::string(e.what());
    }
    return std::string("no numeric_error");
  };
  auto check_names = [](const std::string& m, const std::string& where) {
    CAPTURE(m);
    CHECK(m.find("training diverged: the loss is NaN") == 0);
    CHECK(m.find(" at " + where + ", with learning rate") != std::string::npos);
  };
  {
    fc::Model<Logits, L, fc::cuda_t> gpu(opt);
    fc::Model<Logits, L> cpu(opt);
    check_names(message(gpu, slices(x) | fd::batch<8>()), "epoch 1, step 4");
    check_names(message(cpu, slices(x) | fd::batch<8>()), "epoch 1, step 4");
    CHECK(gpu.optimizer().iterations() == 4);
  }
  {
    // With 3 steps an epoch, batch 4 of the pass is epoch 2's first step: not staged (the epoch
    // boundary), uploaded by the step itself.
    fc::Model<Logits, L, fc::cuda_t> gpu(opt);
    fc::Model<Logits, L> cpu(opt);
    const fc::StepsPerEpoch three{3};
    check_names(message(gpu, slices(x) | fd::repeat() | fd::batch<8>(), three), "epoch 2, step 1");
    check_names(message(cpu, slices(x) | fd::repeat() | fd::batch<8>(), three), "epoch 2, step 1");
    CHECK(gpu.optimizer().iterations() == 4);
  }
}

TEST_CASE("gpu fit: train_step and parameters() between fits see every queued step") {
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.2f};
  fc::Model<Net, SCCE, fc::cuda_t> gpu(opt), loop_model(opt);
  auto data = slices() | fd::batch<8>();
  (void)gpu.fit(data, fc::Epochs{1}, fc::Verbose{0});
  for (const auto& batch : data) (void)loop_model.train_step(batch);
  check_same_parameters(gpu, loop_model);
  // Parameters written on the host between fits reach the device; a new fit stages afresh.
  for (float& p : gpu.parameters()) p *= 0.5f;
  for (float& p : loop_model.parameters()) p *= 0.5f;
  (void)gpu.fit(data, fc::Epochs{1}, fc::Verbose{0});
  for (const auto& batch : data) (void)loop_model.train_step(batch);
  check_same_parameters(gpu, loop_model);
  CHECK(gpu.evaluate(data).at("loss") == loop_model.evaluate(data).at("loss"));
}

TEST_CASE("gpu fit: a run BackupAndRestore resumes ends as the uninterrupted run, bit for bit") {
  // Dropout draws its device masks from a host stream; Adam's slots live in device memory; the
  // learning rate is a schedule evaluated at the update count. All must come back.
  using Dropped = fc::Sequential<fc::Input<6>, fc::Dense<8>, fc::ReLU,
                                 fc::Dropout<std::ratio<1, 4>>, fc::Dense<3>, fc::Softmax>;
  using Model = fc::Model<Dropped, SCCE, Acc, fc::cuda_t>;
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = fc::optim::ExponentialDecay{
                                       .initial_learning_rate = 2e-2f, .decay_steps = 2,
                                       .decay_rate = 0.9f}};
  auto make = [] { return slices() | fd::shuffle(40, fc::Seed{6}) | fd::repeat() | fd::batch<8>(); };
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("fitcheck_gpu_backup_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);

  Model whole(opt, fc::Seed{3});
  auto train_whole = make();
  const fc::History h = whole.fit(train_whole, fc::Epochs{5}, fc::StepsPerEpoch{3},
                                  fc::Verbose{0}, crash{100});

  // A backup every 2 batches: the crash at batch 5 (epoch 2, step 2) resumes from batch 4's.
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir, .save_freq = 2};
  {
    Model crashed(opt, fc::Seed{3});
    auto train = make();
    CHECK_THROWS_AS(crashed.fit(train, fc::Epochs{5}, fc::StepsPerEpoch{3}, fc::Verbose{0},
                                crash{5}, backup),
                    std::runtime_error);
  }
  Model resumed(opt, fc::Seed{11});
  auto train = make();
  const fc::History hr = resumed.fit(train, fc::Epochs{5}, fc::StepsPerEpoch{3}, fc::Verbose{0},
                                     crash{100}, backup);
  CHECK(backup.resumed_at() == 1u);
  CHECK(hr.all() == h.all());
  check_same_parameters(resumed, whole);
  CHECK_FALSE(std::filesystem::exists(dir));
}

// StepsPerExecution{k}: fit queues up to k steps before it reads the first one's results. Thrust's
// CPU system runs each queued step at once, so the optimizer's update count, which a callback
// reads, shows how far fit has queued; everything reported per step must still be the one-step
// loop's, bit for bit.
TEST_CASE("gpu fit: StepsPerExecution queues steps ahead and reports each as the one-step loop") {
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 1e-2f};
  auto make = [] { return slices() | fd::shuffle(40, fc::Seed{5}) | fd::batch<7>(); };
  auto data_fit = make(), data_loop = make(), data_cpu = make(), data_unguarded = make();
  fc::Model<Net, SCCE, Acc, fc::cuda_t> gpu(opt, fc::Seed{3}), loop_model(opt, fc::Seed{3});
  fc::Model<Net, SCCE, Acc, fc::cuda_t> unguarded(opt, fc::Seed{3});
  fc::Model<Net, SCCE, Acc> cpu(opt, fc::Seed{3});
  batch_log log, cpu_log, unguarded_log;
  const fc::StepsPerExecution four{4};
  const auto h = gpu.fit(data_fit, fc::Epochs{3}, four, fc::Verbose{0}, log);
  (void)cpu.fit(data_cpu, fc::Epochs{3}, four, fc::Verbose{0}, cpu_log);
  (void)unguarded.fit(data_unguarded, fc::Epochs{3}, four, fc::Verbose{0},
                      fc::NumericGuards{.enabled = false}, unguarded_log);

  step_loop loop;
  const std::vector<double> accuracy = loop_epochs(loop_model, data_loop, 3, loop);
  // Losses, norms, metrics, History and weights: the one-step loop's. (The loop's log counts
  // updates as they happen; fit's runs ahead, checked below.)
  auto same_reports = [&](batch_log got) {
    got.iterations = loop.log.iterations;
    check_same(got, loop.log);
  };
  same_reports(log);
  same_reports(unguarded_log);
  CHECK(h["loss"] == loop.epoch_losses);
  CHECK(h["accuracy"] == accuracy);
  check_same_parameters(gpu, loop_model);
  check_same_parameters(unguarded, loop_model);
  // 6 steps an epoch. Step j's callback sees the updates queued by then: with the guards on,
  // the epoch's first step alone (the guards read its gradients, D5), then four in flight; with
  // them off, four from the start; on the CPU backend, which finishes each step, none ahead.
  REQUIRE(log.iterations.size() == 18);
  for (std::size_t i = 0; i < 18; ++i) {
    CAPTURE(i);
    const std::uint64_t base = 6 * (i / 6), j = i % 6;
    CHECK(log.iterations[i] == base + (j == 0 ? 1 : std::min<std::uint64_t>(j + 4, 6)));
    CHECK(unguarded_log.iterations[i] == base + std::min<std::uint64_t>(j + 4, 6));
    CHECK(cpu_log.iterations[i] == i + 1);
  }
}

TEST_CASE("gpu fit: with StepsPerExecution on_train_batch_begin runs as each step is queued") {
  // Each begin comes before its step is queued (the update count is the steps queued before
  // it), so up to four begins precede a step's end; a rate set there is that step's.
  struct order {
    std::vector<std::string> events;
    void on_train_batch_begin(fc::TrainingState& s) {
      events.push_back("begin " + std::to_string(s.batch) + " after " +
                       std::to_string(s.optimizer->iterations()));
      s.optimizer->set_learning_rate(s.batch % 2 == 0 ? 0.0f : 0.2f);
    }
    void on_train_batch_end(fc::TrainingState& s, double) {
      events.push_back("end " + std::to_string(s.step));
    }
  } rec;
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.2f};
  fc::Model<Net, SCCE, Acc, fc::cuda_t> gpu(opt, fc::Seed{3}), loop_model(opt, fc::Seed{3});
  auto data = slices() | fd::batch<8>();  // 5 batches an epoch
  (void)gpu.fit(data, fc::Epochs{1}, fc::StepsPerExecution{4}, fc::Verbose{0},
                fc::NumericGuards{.enabled = false}, rec);
  CHECK(rec.events == std::vector<std::string>{"begin 0 after 0", "begin 1 after 1",
                                               "begin 2 after 2", "begin 3 after 3", "end 1",
                                               "begin 4 after 4", "end 2", "end 3", "end 4",
                                               "end 5"});
  std::size_t b = 0;
  for (const auto& batch : data) {
    loop_model.optimizer().set_learning_rate(b++ % 2 == 0 ? 0.0f : 0.2f);
    (void)loop_model.train_step(batch);
  }
  check_same_parameters(gpu, loop_model);
}

TEST_CASE("gpu fit: with StepsPerExecution a stop takes effect once the queued steps report") {
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.2f};
  fc::Model<Net, SCCE, Acc, fc::cuda_t> gpu(opt), loop_model(opt);
  auto data = slices() | fd::batch<8>();  // 5 batches an epoch
  batch_log log;
  log.stop_after = 7;  // epoch 2, step 2: steps 3 to 5 are in flight by then
  const auto h = gpu.fit(data, fc::Epochs{5}, fc::StepsPerExecution{4}, fc::Verbose{0}, no_scan,
                         log);
  CHECK(h["loss"].size() == 2);
  step_loop loop;
  for (std::size_t e = 0; e < 2; ++e) {
    loop.begin_epoch();
    for (const auto& batch : data) loop.train(loop_model, batch, e);
    loop.end_epoch();
  }
  // Every step that trained the model reported: all of epoch 2's, none after it.
  log.iterations = loop.log.iterations;
  check_same(log, loop.log);
  CHECK(h["loss"] == loop.epoch_losses);
  CHECK(gpu.optimizer().iterations() == 10);
  check_same_parameters(gpu, loop_model);
}

TEST_CASE("gpu fit: with StepsPerExecution the guard (D3) still names the step whose loss is NaN") {
  auto x = features;
  x[(3 * 8 + 5) * 6 + 1] = std::numeric_limits<float>::quiet_NaN();  // batch 4's sixth sample
  const fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.1f};
  using L = fc::loss::FromLogits<SCCE>;
  fc::Model<Logits, L, fc::cuda_t> gpu(opt);
  std::string m = "no numeric_error";
  try {
    (void)gpu.fit(slices(x) | fd::batch<8>(), fc::Epochs{3}, fc::StepsPerExecution{3},
                  fc::Verbose{0}, no_scan);
  } catch (const fc::numeric_error& e) {
    m = e.what();
  }
  CAPTURE(m);
  CHECK(m.find("training diverged: the loss is NaN and the gradient norm is NaN") == 0);
  CHECK(m.find(" at epoch 1, step 4, with learning rate") != std::string::npos);
  // Step 5 ran before step 4's loss was read, so its gradients replaced step 4's.
  CHECK(m.find("the layer is not named: later steps were in flight") != std::string::npos);
  CHECK(m.find("StepsPerExecution{1} names it") != std::string::npos);
  CHECK(gpu.optimizer().iterations() == 5);
  // fit left step 5 queued and unread: a train_step afterwards reports its own loss, not that one.
  for (float& p : gpu.parameters()) p = 0.01f;
  auto clean = slices() | fd::take(8) | fd::batch<8>();
  const double before = gpu.evaluate(clean).at("loss");
  for (const auto& batch : clean) {
    const double loss = gpu.train_step(batch);
    CHECK(std::isfinite(loss));
    CHECK(std::abs(loss - before) <= 1e-6 * std::max(1.0, std::abs(before)));
  }
}

TEST_CASE("gpu fit: with StepsPerExecution a backup holds its step's weights, resumes exactly") {
  using Model = fc::Model<Net, SCCE, Acc, fc::cuda_t>;
  const fc::optim::Optimizer opt = fc::optim::Adam{.learning_rate = 2e-2f};
  auto make = [] {
    return slices() | fd::shuffle(40, fc::Seed{6}) | fd::repeat() | fd::batch<8>();
  };
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("fitcheck_gpu_backup_spe_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const fc::StepsPerExecution three{3};
  Model whole(opt, fc::Seed{3});
  auto train_whole = make();
  const fc::History h =
      whole.fit(train_whole, fc::Epochs{3}, fc::StepsPerEpoch{5}, fc::Verbose{0}, crash{100});
  // A backup every 2 batches; the crash at batch 8 (epoch 2, step 3), when batches 9 and 10 are
  // already queued, resumes from batch 6's backup, which must hold batch 6's weights.
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir, .save_freq = 2};
  {
    Model crashed(opt, fc::Seed{3});
    auto train = make();
    CHECK_THROWS_AS(crashed.fit(train, fc::Epochs{3}, fc::StepsPerEpoch{5}, three,
                                fc::Verbose{0}, fc::NumericGuards{.enabled = false}, crash{8},
                                backup),
                    std::runtime_error);
  }
  Model resumed(opt, fc::Seed{11});
  auto train = make();
  const fc::History hr = resumed.fit(train, fc::Epochs{3}, fc::StepsPerEpoch{5}, three,
                                     fc::Verbose{0}, crash{100}, backup);
  CHECK(backup.resumed_at() == 1u);
  CHECK(hr.all() == h.all());
  check_same_parameters(resumed, whole);
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("gpu engine: a step queued past its slots is a logic_error, the queued ones intact") {
  // fit never queues more than steps_in_flight(); an engine asked to would overwrite results
  // not yet read, so it refuses, loudly: a bug in fitcheck, not in the user's data.
  typename fc::Model<Net, SCCE, fc::cuda_t>::engine_type engine;
  fc::optim::Optimizer opt = fc::optim::SGD{.learning_rate = 0.1f};
  engine.build(opt, fc::precision::float32);
  engine.steps_in_flight(2);
  Net net;
  auto data = slices() | fd::batch<8>();
  auto it = data.begin();
  const auto& batch = *it;
  engine.enqueue_step(net, batch, opt, false, false);
  engine.enqueue_step(net, batch, opt, false, false);
  CHECK_THROWS_WITH_AS(engine.enqueue_step(net, batch, opt, false, false),
                       "fitcheck: more steps queued than the engine has slots for",
                       std::logic_error);
  // The two queued steps report in order: zero weights give log(3) first (uniform softmax).
  CHECK(engine.finish_step(opt) == doctest::Approx(std::log(3.0)).epsilon(1e-6));
  CHECK(std::isfinite(engine.finish_step(opt)));
  CHECK(opt.iterations() == 2);
}
