// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// DataParallel over MPI, run by ctest under mpiexec with 2 and 3 processes. Every process runs
// every case; the cases make their collective calls alike in all processes, so a failed check
// cannot leave one process waiting for another (ctest's timeout is the backstop).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/mpi.hpp>
#include <ratio>
#include <span>
#include <stdexcept>
#include <string>
#include <support/counting_new.hpp>
#include <vector>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

const fc::mpi::World& world() {
  static const fc::mpi::World w;
  return w;
}

using Net = fc::Sequential<fc::Input<3>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Classifier = fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

struct Data {
  std::vector<float> x;
  std::vector<int> y;
};
// n samples of a noisy linear rule: the same in every process (seeded).
Data make_data(std::size_t n, unsigned seed) {
  Data d;
  fc::Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (int j = 0; j < 3; ++j) {
      const float v = 2 * rng.uniform_float() - 1;
      d.x.push_back(v);
      s += v * float(j + 1);
    }
    d.y.push_back(s + 0.6f * rng.uniform_float() - 0.3f > 0 ? 1 : 0);
  }
  return d;
}
auto slices(const Data& d) {
  return fd::from_tensor_slices<fc::Features<3>, fc::BinaryLabel>(std::span<const float>(d.x),
                                                                  std::span<const int>(d.y));
}

// Whether `v` holds the same values in every process.
bool same_everywhere(std::span<const float> v) {
  std::vector<double> hi(v.begin(), v.end()), lo(v.size());
  std::transform(v.begin(), v.end(), lo.begin(), [](float f) { return -double(f); });
  world().all_reduce_max(std::span<double>(hi));
  world().all_reduce_max(std::span<double>(lo));
  for (std::size_t i = 0; i < v.size(); ++i)
    if (hi[i] != double(v[i]) || -lo[i] != double(v[i])) return false;
  return true;
}

// Sets stop_training in one process only, after a given step of a given epoch.
struct StopInOneProcess {
  std::size_t rank, epoch, step;
  void on_train_batch_end(fc::TrainingState& s, double) {
    if (s.rank == rank && s.epoch == epoch && s.step == step) s.stop_training = true;
  }
};

}  // namespace

// The exactness claim of docs/distributed.md: N processes with batches of b train as one process
// whose batches are the N processes' batches together (N b samples, shard order).
template <class Network>
void check_group_trains_as_one() {
  using Classifier =
      fc::Model<Network, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;
  const std::size_t n = world().size();
  // 32 n + 1 samples: rank 0 holds 33, the others 32, so in the last step of each epoch only
  // rank 0 has a batch (of one sample); the others join it with none.
  const Data train = make_data(32 * n + 1, 7);
  const Data val = make_data(10 * n + 3, 8);

  Classifier group(fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{3});
  auto t = slices(train) | fd::shard(world()) | fd::batch<16>();
  auto v = slices(val) | fd::shard(world()) | fd::batch<8>();
  const fc::History h =
      group.fit(t, 4, fc::DataParallel{world()}, fc::Validation{v}, fc::Verbose{0});

  Classifier one(fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{3});
  // The group's step is its processes' batches together: 16 samples of each, interleaved as
  // shard deals them, which is the order of the data.
  auto t1 = slices(train) | fd::batch(16 * n);
  auto v1 = slices(val) | fd::batch<16>();
  const fc::History h1 = one.fit(t1, 4, fc::Validation{v1}, fc::Verbose{0});

  const auto p = group.parameters(), p1 = one.parameters();
  REQUIRE(p.size() == p1.size());
  for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i] == doctest::Approx(p1[i]).epsilon(2e-5));
  for (const char* key : {"loss", "accuracy", "val_loss", "val_accuracy"}) {
    CAPTURE(key);
    REQUIRE(h[key].size() == 4);
    for (std::size_t e = 0; e < 4; ++e)
      CHECK(h[key][e] == doctest::Approx(h1[key][e]).epsilon(2e-5));
  }
  // Every process ends with the same parameters, bit for bit.
  CHECK(same_everywhere(p));
}

TEST_CASE("data parallel: N processes with batch b train as one process with batch N b") {
  check_group_trains_as_one<Net>();
}

// Weight penalties join the group's gradients once per step, after the processes' are averaged
// (the last step's absent processes included).
TEST_CASE("data parallel: weight penalties train as in one process") {
  using Penalised =
      fc::Sequential<fc::Input<3>, fc::Regularized<fc::Dense<8>, fc::L2<std::ratio<1, 20>>>,
                     fc::ReLU, fc::Regularized<fc::Dense<1>, fc::L1<>, fc::bias_regularizer<fc::L2<>>>,
                     fc::Sigmoid>;
  check_group_trains_as_one<Penalised>();
}

namespace {
// Throws a data_error in one process, at one hook: the others must stop with it, not wait.
struct FailInOneProcess {
  std::size_t rank;
  std::string hook;  // "train_begin", "batch_end", "epoch_end" or "train_end"
  void fail(const fc::TrainingState& s, const std::string& at) const {
    if (s.rank == rank && hook == at)
      throw fc::data_error("sample 41 of the shard is damaged (" + at + ")", "mend the file");
  }
  void on_train_begin(fc::TrainingState& s) { fail(s, "train_begin"); }
  void on_train_batch_end(fc::TrainingState& s, double) {
    if (s.epoch == 1 && s.step == 2) fail(s, "batch_end");
  }
  void on_epoch_end(fc::TrainingState& s, fc::Logs&) {
    if (s.epoch == 0) fail(s, "epoch_end");
  }
  void on_train_end(fc::TrainingState& s) { fail(s, "train_end"); }
};

// A fit that must work after a failed one: the group's meetings are still in step.
void group_still_trains() {
  const Data d = make_data(24 * world().size(), 5);
  Classifier model(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{1});
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  const fc::History h = model.fit(t, 2, fc::DataParallel{world()}, fc::Verbose{0});
  CHECK(h["loss"].size() == 2);
  CHECK(same_everywhere(model.parameters()));
}

template <class Error, class Fit>
std::string error_of(Fit&& fit) {
  try {
    fit();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("another exception type: ") + e.what();
  }
  return "no exception";
}
}  // namespace

TEST_CASE("data parallel: a process that fails stops the group with its error, at every hook") {
  const std::size_t n = world().size(), last = n - 1;
  const Data d = make_data(24 * n, 9);
  for (const std::string hook : {"train_begin", "batch_end", "epoch_end", "train_end"}) {
    CAPTURE(hook);
    Classifier model(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{1});
    auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
    FailInOneProcess failing{last, hook};
    const std::string what = error_of<fc::data_error>(
        [&] { (void)model.fit(t, 3, fc::DataParallel{world()}, failing, fc::Verbose{0}); });
    CHECK(what.find("sample 41 of the shard is damaged (" + hook + ")") != std::string::npos);
    CHECK(what.find("Fix: mend the file") != std::string::npos);
    // The others say whose error it is.
    const std::string whose = "rank " + std::to_string(last) + " of " + std::to_string(n) + ": ";
    CHECK((world().rank() == last) == (what.find(whose) == std::string::npos));
    group_still_trains();
  }
}

TEST_CASE("data parallel: a process whose data runs out under StepsPerEpoch stops the group") {
  const std::size_t n = world().size();
  // 12 n + 1 samples: rank 0 holds 13 (4 batches of 4), the others 12 (3 batches).
  const Data d = make_data(12 * n + 1, 4);
  const std::string rank1 = "rank 1 of " + std::to_string(n) + ": ";
  SUBCASE("known before the first step") {
    Classifier model(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{1});
    auto t = slices(d) | fd::shard(world()) | fd::batch<4>();
    const std::string what = error_of<fc::data_error>([&] {
      (void)model.fit(t, 1, fc::StepsPerEpoch{4}, fc::DataParallel{world()}, fc::Verbose{0});
    });
    CHECK(what.find("4 steps x 1 epochs need 4 batches, but the pipeline holds 3") !=
          std::string::npos);
    if (world().rank() == 0) CHECK(what.find(rank1) == 0);
  }
  SUBCASE("found when it ends (a filter hides the count)") {
    Classifier model(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{1});
    auto t = slices(d) | fd::shard(world()) | fd::filter([](const auto&) { return true; }) |
             fd::batch<4>();
    const std::string what = error_of<fc::data_error>([&] {
      (void)model.fit(t, 1, fc::StepsPerEpoch{4}, fc::DataParallel{world()}, fc::Verbose{0});
    });
    CHECK(what.find("the pipeline ended after 3 batches, in epoch 1 after 3 of its 4 steps") !=
          std::string::npos);
    if (world().rank() == 0) CHECK(what.find(rank1) == 0);
  }
  group_still_trains();
}

TEST_CASE("data parallel: a shard that is not the process's own is refused in every process [H1]") {
  const std::size_t n = world().size();
  const Data d = make_data(16 * n, 2);
  Classifier model;
  auto t = slices(d) | fd::shard(n, 0) | fd::batch<8>();  // every process reads shard 0
  const std::string what = error_of<fc::argument_error>(
      [&] { (void)model.fit(t, 1, fc::DataParallel{world()}, fc::Verbose{0}); });
  // Each process but rank 0 refuses its own shard; rank 0 reports rank 1's refusal.
  const std::size_t about = world().rank() == 0 ? 1 : world().rank();
  const std::string own = "reads shard(" + std::to_string(n) + ", 0), not its own shard(" +
                          std::to_string(n) + ", " + std::to_string(about) + ")";
  CHECK(what.find(own) != std::string::npos);
  CHECK(what.find("[H1]. Fix: write shard(world)") != std::string::npos);
  if (world().rank() == 0) CHECK(what.find("rank 1 of ") == 0);
  group_still_trains();
}

TEST_CASE("data parallel: a validation shard that is not the process's own is refused [H1]") {
  const std::size_t n = world().size();
  const Data d = make_data(16 * n, 2), val = make_data(8 * n, 3);
  Classifier model;
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  auto v = slices(val) | fd::shard(n, 0) | fd::batch<8>();
  const std::string what = error_of<fc::argument_error>(
      [&] { (void)model.fit(t, 1, fc::DataParallel{world()}, fc::Validation{v}, fc::Verbose{0}); });
  const std::size_t about = world().rank() == 0 ? 1 : world().rank();
  CHECK(what.find("the validation pipeline of rank " + std::to_string(about) + " of " +
                  std::to_string(n) + " reads shard(" + std::to_string(n) + ", 0)") !=
        std::string::npos);
  group_still_trains();
}

TEST_CASE("data parallel: an exception that is not fitcheck's reaches the others as fc::error") {
  const std::size_t n = world().size(), last = n - 1;
  const Data d = make_data(16 * n, 4);
  Classifier model;
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  struct Throws {
    std::size_t rank;
    void on_epoch_begin(fc::TrainingState& s) {
      if (s.rank == rank) throw std::runtime_error("the user's own callback broke");
    }
  } throws{last};
  std::string what = "no exception", type = "none";
  try {
    (void)model.fit(t, 1, fc::DataParallel{world()}, throws, fc::Verbose{0});
  } catch (const fc::error& e) {
    what = e.what();
    type = "fc::error";
  } catch (const std::runtime_error& e) {
    what = e.what();
    type = "std::runtime_error";
  }
  // The failed process keeps its own exception; the others get its text, and whose it is.
  CHECK(type == (world().rank() == last ? "std::runtime_error" : "fc::error"));
  CHECK(what.find("the user's own callback broke") != std::string::npos);
  if (world().rank() != last)
    CHECK(what.find("rank " + std::to_string(last) + " of " + std::to_string(n) + ": ") == 0);
  group_still_trains();
}

TEST_CASE("data parallel: processes that disagree on the run are refused before any step") {
  const std::size_t n = world().size();
  const Data d = make_data(16 * n, 2);
  Classifier model;
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  const std::size_t epochs = world().rank() == 0 ? 2 : 3;
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  const std::string what = error_of<fc::argument_error>(
      [&] { (void)model.fit(t, epochs, fc::DataParallel{world()}, fc::Verbose{0}); });
  CHECK(what.find("the processes disagree on the epoch count (2 in some, 3 in others") !=
        std::string::npos);
  CHECK(std::equal(before.begin(), before.end(), model.parameters().begin()));
  group_still_trains();
}

TEST_CASE("data parallel: processes with other ClassWeights are refused before any step") {
  const std::size_t n = world().size();
  const Data d = make_data(16 * n, 2);
  Classifier model;
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  const fc::ClassWeights weights{1.0, world().rank() == 0 ? 2.0 : 3.0};
  const std::string what = error_of<fc::argument_error>([&] {
    (void)model.fit(t, 2, weights, fc::DataParallel{world()}, fc::Verbose{0});
  });
  CHECK(what.find("the processes disagree on the ClassWeights (compared by a checksum of their "
                  "values)") != std::string::npos);
  // The same weights everywhere train, and the group agrees on the weighted loss.
  const auto h = model.fit(t, 2, fc::ClassWeights{1.0, 2.0}, fc::DataParallel{world()},
                           fc::Verbose{0});
  const std::vector<float> losses = {float(h["loss"][0]), float(h["loss"][1])};
  CHECK(same_everywhere(losses));
  CHECK(same_everywhere(model.parameters()));
  group_still_trains();
}

TEST_CASE("data parallel: one process's callback stopping training stops the group together") {
  const std::size_t n = world().size();
  const Data d = make_data(40 * n, 6);  // 5 steps of 8 per epoch
  Classifier model(fc::optim::SGD{.learning_rate = 0.1f}, fc::Seed{2});
  auto t = slices(d) | fd::shard(world()) | fd::batch<8>();
  StopInOneProcess stop{n - 1, 1, 2};  // after step 2 of epoch 2, in the last process only
  const fc::History h = model.fit(t, 4, fc::DataParallel{world()}, stop, fc::Verbose{0});
  CHECK(h["loss"].size() == 2);  // epoch 2 ends early, in every process
  CHECK(same_everywhere(model.parameters()));
  std::vector<float> losses(h["loss"].begin(), h["loss"].end());
  CHECK(same_everywhere(losses));
}

TEST_CASE("data parallel: layer state is rank 0's everywhere; rank 0 alone writes files") {
  using BnNet = fc::Sequential<fc::Input<3>, fc::Dense<8>, fc::nn::BatchNormalization<>, fc::ReLU,
                               fc::Dense<1>, fc::Sigmoid>;
  const std::size_t n = world().size();
  const Data d = make_data(32 * n + 5, 3);
  fc::Model<BnNet, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{}, fc::Seed{4});
  auto t = slices(d) | fd::shard(world()) | fd::shuffle(64, fc::Seed{1}) | fd::batch<8>();
  const std::string dir = "data_parallel_files_" + std::to_string(n);
  std::filesystem::create_directories(dir);
  fc::callbacks::CSVLogger log{.filename = dir + "/log.csv"};
  fc::callbacks::ModelCheckpoint<"loss"> checkpoint{.filepath = dir + "/ckpt-{epoch}.fcw"};
  (void)model.fit(t, 3, fc::DataParallel{world()}, log, checkpoint, fc::Verbose{0});
  std::vector<double> state(BnNet::state_count);
  model.network_layers().save_state(state);
  const std::vector<float> as_float(state.begin(), state.end());
  CHECK(same_everywhere(as_float));
  CHECK(same_everywhere(model.parameters()));
  // One header and one row per epoch: not a line from a second writer.
  const std::string csv = [&] {
    std::FILE* f = std::fopen((dir + "/log.csv").c_str(), "r");
    std::string text;
    if (f == nullptr) return text;
    for (int c; (c = std::fgetc(f)) != EOF;) text += char(c);
    std::fclose(f);
    return text;
  }();
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
  CHECK(csv.rfind("epoch,loss\n0,", 0) == 0);
  CHECK(std::filesystem::exists(dir + "/ckpt-3.fcw"));
  CHECK(checkpoint.saves() == (world().rank() == 0 ? 3u : 0u));
}

namespace {
// The allocations counted at the end of each step of the second epoch.
struct AllocationsPerStep {
  std::vector<std::size_t> seen;
  void on_epoch_begin(fc::TrainingState& s) {
    if (s.epoch == 1) seen.reserve(64);
  }
  void on_train_batch_end(fc::TrainingState& s, double) {
    if (s.epoch == 1 && seen.size() < seen.capacity()) seen.push_back(allocations.load());
  }
};
}  // namespace

TEST_CASE("data parallel: a step allocates nothing in fitcheck, uneven shards included") {
  const std::size_t n = world().size();
  const Data d = make_data(16 * 6 * n + 1, 12);  // 7 steps; rank 0 alone has the last batch
  Classifier model(fc::optim::Adam{}, fc::Seed{5});
  auto t = slices(d) | fd::shard(world()) | fd::batch<16>();
  AllocationsPerStep counter;
  (void)model.fit(t, 2, fc::DataParallel{world()}, counter, fc::Verbose{0},
                  fc::Preflight{.level = fc::check::off});
  REQUIRE(counter.seen.size() == 7);
  // Open MPI allocates through malloc, not operator new: what is counted is fitcheck's.
  CHECK(counter.seen.front() == counter.seen.back());
}

namespace {
using DropNet = fc::Sequential<fc::Input<3>, fc::Dense<16>, fc::ReLU, fc::Dropout<std::ratio<1, 4>>,
                               fc::Dense<1>, fc::Sigmoid>;
using DropModel =
    fc::Model<DropNet, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

// Stops the run with an error after the given epoch in one process, as a crash would.
struct CrashAfterEpoch {
  std::size_t rank, epoch;
  void on_epoch_end(fc::TrainingState& s, fc::Logs&) {
    if (s.rank == rank && s.epoch == epoch)
      throw fc::resource_error("the machine of this process went away", "start it again");
  }
};

std::string backup_dir(const std::string& name) {
  const std::string dir = "data_parallel_backup_" + name + "_" + std::to_string(world().size());
  if (world().rank() == 0) std::filesystem::remove_all(dir);
  std::array<double, 1> sync{0};
  world().all_reduce_max(sync);  // the directory is gone before any process looks
  return dir;
}

// A group run of `epochs` epochs (fresh model, same seeds), with the callbacks given.
template <class... C>
std::vector<float> group_run(std::size_t epochs, const Data& d, C&... callbacks) {
  DropModel model(fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{11});
  auto t = slices(d) | fd::shard(world()) | fd::shuffle(64, fc::Seed{3}) | fd::batch<8>();
  (void)model.fit(t, epochs, fc::DataParallel{world()}, fc::Verbose{0}, callbacks...);
  return {model.parameters().begin(), model.parameters().end()};
}
}  // namespace

TEST_CASE("data parallel: BackupAndRestore resumes a group after a process fails, bit for bit") {
  const Data d = make_data(40 * world().size() + 3, 21);  // uneven shards: absent steps
  const std::vector<float> whole = group_run(4, d);
  const std::string dir = backup_dir("crash");
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir};
  CrashAfterEpoch crash{world().size() - 1, 1};  // the last process fails after epoch 2
  const std::string what =
      error_of<fc::resource_error>([&] { (void)group_run(4, d, backup, crash); });
  CHECK(what.find("the machine of this process went away") != std::string::npos);
  CHECK(std::filesystem::exists(backup.file()));  // each process's own backup stays
  CHECK(backup.file() != dir + "/training_state.fcs");
  const std::vector<float> resumed = group_run(4, d, backup);
  // The failure came in epoch 2's callbacks, before its backup: the run continues after epoch 1.
  REQUIRE(backup.resumed_at().has_value());
  CHECK(*backup.resumed_at() == 1);
  CHECK(resumed == whole);
  CHECK(!std::filesystem::exists(backup.file()));  // deleted after the finished run
}

TEST_CASE("data parallel: a crash between processes' backups resumes from the newest all have") {
  const std::size_t n = world().size(), r = world().rank();
  const Data d = make_data(40 * n + 3, 22);
  const std::vector<float> three = group_run(3, d);
  const std::string dir = backup_dir("window");
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir, .delete_checkpoint = false};
  (void)group_run(1, d, backup);  // backups after epoch 1 (kept)
  std::filesystem::copy_file(backup.file(), backup.file() + ".epoch1");
  (void)group_run(2, d, backup);  // resumes, backs up after epoch 2
  // Rank 0 committed its epoch-2 backup; the others crashed after writing theirs, before the
  // commit: their epoch-2 backup is still pending, their committed one is epoch 1's.
  if (r != 0) {
    std::filesystem::rename(backup.file(), backup.pending_file());
    std::filesystem::copy_file(backup.file() + ".epoch1", backup.file());
  }
  SUBCASE("every process has epoch 2's backup: the group resumes there") {
    CHECK(group_run(3, d, backup) == three);
    CHECK(*backup.resumed_at() == 2);
    CHECK(!std::filesystem::exists(backup.pending_file()));
  }
  SUBCASE("rank 0 lacks it: the group resumes from epoch 1's") {
    if (r == 0)
      std::filesystem::copy_file(backup.file() + ".epoch1", backup.file(),
                                 std::filesystem::copy_options::overwrite_existing);
    CHECK(group_run(3, d, backup) == three);
    CHECK(*backup.resumed_at() == 1);
  }
}

TEST_CASE("data parallel: a process without its backup stops the group before any step") {
  const Data d = make_data(24 * world().size(), 23);
  const std::string dir = backup_dir("missing");
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir, .delete_checkpoint = false};
  (void)group_run(1, d, backup);
  if (world().rank() == 1) std::filesystem::remove(backup.file());
  const std::string what = error_of<fc::data_error>([&] { (void)group_run(2, d, backup); });
  CHECK(what.find("rank 1 of " + std::to_string(world().size()) + " has no backup") !=
        std::string::npos);
  CHECK(what.find("a directory every process sees") != std::string::npos);
}

TEST_CASE("data parallel: processes reading their own data (sharded_by_user) train as shard's") {
  const std::size_t n = world().size(), r = world().rank();
  const Data d = make_data(32 * n + 1, 31);
  // This process's samples as shard deals them (r, r + n, ...), as if read from its own file.
  Data own;
  for (std::size_t i = r; i < d.y.size(); i += n) {
    own.x.insert(own.x.end(), d.x.begin() + std::ptrdiff_t(3 * i),
                 d.x.begin() + std::ptrdiff_t(3 * i + 3));
    own.y.push_back(d.y[i]);
  }
  Classifier sharded(fc::optim::Adam{}, fc::Seed{8}), by_user(fc::optim::Adam{}, fc::Seed{8});
  auto a = slices(d) | fd::shard(world()) | fd::batch<8>();
  auto b = slices(own) | fd::batch<8>();
  (void)sharded.fit(a, 2, fc::DataParallel{world()}, fc::Verbose{0});
  (void)by_user.fit(b, 2, fc::DataParallel{world(), fc::sharded_by_user}, fc::Verbose{0});
  CHECK(std::equal(sharded.parameters().begin(), sharded.parameters().end(),
                   by_user.parameters().begin(), by_user.parameters().end()));
}

TEST_CASE("data parallel: backups of different points, or within an epoch, are refused") {
  const Data d = make_data(24 * world().size(), 24);
  SUBCASE("no point every process holds") {
    const std::string dir = backup_dir("points");
    fc::callbacks::BackupAndRestore backup{.backup_dir = dir, .delete_checkpoint = false};
    (void)group_run(1, d, backup);
    std::filesystem::copy_file(backup.file(), backup.file() + ".epoch1");
    (void)group_run(2, d, backup);
    // Rank 0 holds only epoch 2's backup, the others only epoch 1's.
    if (world().rank() != 0)
      std::filesystem::copy_file(backup.file() + ".epoch1", backup.file(),
                                 std::filesystem::copy_options::overwrite_existing);
    const std::string what = error_of<fc::data_error>([&] { (void)group_run(3, d, backup); });
    CHECK(what.find("the processes' backups are of different points of the run: rank 0 has "
                    "none after ") != std::string::npos);
    CHECK(what.find("Fix: delete the processes' backups to start the run over") !=
          std::string::npos);
  }
  SUBCASE("save_freq") {
    fc::callbacks::BackupAndRestore backup{.backup_dir = backup_dir("freq"), .save_freq = 2};
    const std::string what = error_of<fc::argument_error>([&] { (void)group_run(1, d, backup); });
    CHECK(what.find("BackupAndRestore: save_freq with DataParallel") != std::string::npos);
  }
  group_still_trains();
}

TEST_CASE("mpi: a second Environment is refused") {
  int argc = 1;
  char name[] = "fitcheck_mpi_tests";
  char* args[] = {name, nullptr};
  char** argv = args;
  const std::string what =
      error_of<fc::argument_error>([&] { fc::mpi::Environment again(argc, argv); });
  CHECK(what.find("fc::mpi::Environment: MPI is initialised already") != std::string::npos);
}

int main(int argc, char** argv) {
  fc::mpi::Environment mpi(argc, argv);
  doctest::Context context(argc, argv);
  return context.run();
}
