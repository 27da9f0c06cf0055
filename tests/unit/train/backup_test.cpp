// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// BackupAndRestore: a run interrupted after some epochs and resumed by a fresh process (a new
// model with other initial weights, a new pipeline, new callbacks) ends exactly as the run that
// was never interrupted: the same parameters, history and CSV log, bit for bit. And every way the
// resumed fit can differ from the interrupted one is refused before anything changes.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/callbacks.hpp>
#include <fstream>
#include <iterator>
#include <ratio>
#include <span>
#include <stdexcept>
#include <string>
#include <support/errors.hpp>
#include <support/files.hpp>
#include <vector>

namespace train_backup_test {

namespace fc = fitcheck;
namespace fcb = fitcheck::callbacks;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
using fitcheck::test::text_of;

namespace {

// Dropout draws from a stream the backup must carry; Adam has slots and a bias correction that
// depends on the update count; accuracy is a metric computed from the held labels.
using Net =
    fc::nn::Sequential<fc::nn::Input<4>, fc::nn::Dense<16>, fc::nn::ReLU,
                       fc::nn::Dropout<std::ratio<1, 4>>, fc::nn::Dense<3>, fc::nn::Softmax>;
using Model =
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

// 120 samples of 4 features, 3 classes that depend on the features (so the loss moves).
struct data_set {
  std::vector<float> x;
  std::vector<int> y;
  explicit data_set(std::size_t n, std::uint64_t seed) {
    fc::Rng rng(seed);
    for (std::size_t i = 0; i < n; ++i) {
      float s = 0;
      for (int j = 0; j < 4; ++j) {
        x.push_back(rng.uniform_float() * 2 - 1);
        s += x.back() * float(j + 1);
      }
      y.push_back(s < -0.7f ? 0 : s < 0.7f ? 1 : 2);
    }
  }
};
const data_set train_data(120, 1), val_data(48, 2);

auto samples(const data_set& d) {
  return fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(std::span<const float>(d.x),
                                                                    std::span<const int>(d.y));
}
// One pass an epoch.
auto epoch_pipeline(const data_set& d = train_data) {
  return samples(d) | fd::shuffle(64, fc::Seed{3}) | fd::batch<16>();
}
// One endless pass that epochs of StepsPerEpoch cut across (120 / 16: 8 batches a pass, 5 steps
// an epoch, so epochs end mid-pass).
auto endless_pipeline() {
  return samples(train_data) | fd::shuffle(120, fc::Seed{4}) | fd::repeat() | fd::batch<16>();
}
auto validation_pipeline() {
  return samples(val_data) | fd::shuffle(48, fc::Seed{5}) | fd::batch<8>();
}
fc::optim::Optimizer adam() {
  return fc::optim::Adam{.learning_rate = fc::optim::ExponentialDecay{
                             .initial_learning_rate = 0.05f, .decay_steps = 4, .decay_rate = 0.9f}};
}

// Throws out of fit at the end of epoch `at` (0-based), after the callbacks before it ran: what
// a crash does to the process, short of killing it.
struct crash {
  std::size_t at = 1000;     // the epoch whose end throws
  std::size_t at_batch = 0;  // or the training batch of the run (1-based) whose end throws
  std::size_t seen = 0;
  void on_epoch_end(fc::TrainingState& s, fc::Logs&) const {
    if (s.epoch == at) throw std::runtime_error("simulated crash");
  }
  void on_train_batch_end(fc::TrainingState&, double) {
    if (++seen == at_batch) throw std::runtime_error("simulated crash");
  }
};

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](float u, float v) {
           return std::bit_cast<std::uint32_t>(u) == std::bit_cast<std::uint32_t>(v);
         });
}

// What one fit leaves behind, to compare runs by.
struct outcome {
  std::vector<float> params;
  fc::History history;
  std::string csv;
  std::size_t reductions = 0;
  std::optional<double> best;
};

// The callbacks of every run below: each kind that keeps state across epochs, a CSV log, and a
// crash that `crash_at` arms.
template <class Pipeline, class... Extra>
outcome run(Pipeline&& train, std::size_t epochs, const std::string& dir, crash boom, fc::Seed init,
            fcb::BackupAndRestore* backup, Extra... extra) {
  Model model(adam(), init);
  auto val = validation_pipeline();
  fcb::EarlyStopping<"val_loss"> early{.patience = 100, .restore_best_weights = true};
  fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.02};
  fcb::CSVLogger csv{.filename = dir + "/log.csv"};
  outcome out;
  try {
    if (backup != nullptr)
      out.history = model.fit(train, fc::Epochs{epochs}, fc::Verbose{0}, fc::Validation{val},
                              fc::ValidationSteps{4}, early, plateau, csv, boom, *backup, extra...);
    else
      out.history = model.fit(train, fc::Epochs{epochs}, fc::Verbose{0}, fc::Validation{val},
                              fc::ValidationSteps{4}, early, plateau, csv, boom, extra...);
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()) != "simulated crash") throw;
  }
  const auto p = model.parameters();
  out.params.assign(p.begin(), p.end());
  out.csv = text_of(dir + "/log.csv");
  out.reductions = plateau.reductions();
  out.best = early.best();
  return out;
}

// A user's metric without backup_state / restore_state.
struct Mystery {
  static constexpr const char* name = "mystery";
  void reset() noexcept {}
  template <fc::label_kind L, class Y>
  void update(const float*, const Y*, std::size_t, std::size_t) noexcept {}
  [[nodiscard]] double result() const noexcept { return 0; }
};

void check_same(const outcome& resumed, const outcome& whole) {
  CHECK(same_bits(resumed.params, whole.params));
  CHECK(resumed.history.epochs() == whole.history.epochs());
  CHECK(resumed.history.all() == whole.history.all());
  CHECK(resumed.csv == whole.csv);
  CHECK(resumed.reductions == whole.reductions);
  CHECK(resumed.best == whole.best);
}

}  // namespace

TEST_CASE("backup: a run resumed after a crash ends as the uninterrupted run, bit for bit") {
  const temp_dir whole_dir("backup_whole"), dir("backup_resumed");
  const outcome whole =
      run(epoch_pipeline(), 6, whole_dir.path.string(), crash{}, fc::Seed{7}, nullptr);
  REQUIRE(whole.history.epochs() == 6);
  REQUIRE(whole.reductions > 0);  // the learning rate changed, so it must come back changed

  fcb::BackupAndRestore backup{.backup_dir = dir.file("backup")};
  const outcome crashed =
      run(epoch_pipeline(), 6, dir.path.string(), crash{3}, fc::Seed{7}, &backup);
  CHECK(backup.saves() == 3);  // epochs 1 to 3 finished; epoch 4 crashed
  CHECK_FALSE(backup.resumed_at().has_value());
  REQUIRE(fs::exists(backup.file()));  // kept: fit did not end normally
  CHECK_FALSE(same_bits(crashed.params, whole.params));

  // A new process: other initial weights, a fresh pipeline and callbacks, the same backup.
  const outcome resumed =
      run(epoch_pipeline(), 6, dir.path.string(), crash{}, fc::Seed{99}, &backup);
  CHECK(backup.resumed_at() == 3u);
  CHECK(backup.saves() == 3);  // epochs 4 to 6
  check_same(resumed, whole);
  CHECK_FALSE(fs::exists(backup.file()));  // a run that ended normally leaves no backup
  CHECK_FALSE(fs::exists(backup.backup_dir));
}

TEST_CASE("backup: epochs of StepsPerEpoch that cut across one endless pass resume mid-pass") {
  const temp_dir whole_dir("backup_whole"), dir("backup_resumed");
  const outcome whole = run(endless_pipeline(), 7, whole_dir.path.string(), crash{}, fc::Seed{7},
                            nullptr, fc::StepsPerEpoch{5});
  fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
  (void)run(endless_pipeline(), 7, dir.path.string(), crash{4}, fc::Seed{7}, &backup,
            fc::StepsPerEpoch{5});
  const outcome resumed = run(endless_pipeline(), 7, dir.path.string(), crash{}, fc::Seed{1},
                              &backup, fc::StepsPerEpoch{5});
  CHECK(backup.resumed_at() == 4u);
  check_same(resumed, whole);
}

TEST_CASE("backup: a sampled pipeline and Keras' other optimizers resume bit for bit") {
  // Each class its own endless pipeline, drawn 1 : 1 (sample_from_datasets: a random stage whose
  // order the backup's replay must draw again), trained with Lion, Adagrad and Nadam.
  const auto sampled = [] {
    return fd::sample_from_datasets(
               {0.5, 0.5}, fc::Seed{9},
               samples(train_data) | fd::filter([](const auto& e) { return e.y[0] == 0; }) |
                   fd::repeat(),
               samples(train_data) | fd::filter([](const auto& e) { return e.y[0] != 0; }) |
                   fd::shuffle(64, fc::Seed{2}) | fd::repeat()) |
           fd::batch<16>();
  };
  for (const fc::optim::Optimizer& opt :
       {fc::optim::Optimizer(fc::optim::Lion{.learning_rate = 5e-3f, .weight_decay = 0.1f}),
        fc::optim::Optimizer(fc::optim::Adagrad{.learning_rate = 0.05f}),
        // Nadam's running product of its momentum schedule is recomputed after the restore.
        fc::optim::Optimizer(fc::optim::Nadam{.learning_rate = 0.01f}),
        // The weights' moving average is a slot too; fit ends with it.
        fc::optim::Optimizer(fc::optim::Adam{
            .learning_rate = 0.02f, .use_ema = true, .ema_momentum = 0.9f,
            .ema_overwrite_frequency = 7})}) {
    CAPTURE(opt.name());
    const temp_dir dir("backup_sampled");
    const auto fit = [&](fc::Seed init, crash boom, fcb::BackupAndRestore* backup) {
      Model model(opt, init);
      auto train = sampled();
      try {
        if (backup)
          (void)model.fit(train, fc::Epochs{5}, fc::StepsPerEpoch{4}, fc::Verbose{0}, boom,
                          *backup);
        else
          (void)model.fit(train, fc::Epochs{5}, fc::StepsPerEpoch{4}, fc::Verbose{0}, boom);
      } catch (const std::runtime_error& e) {
        if (std::string(e.what()) != "simulated crash") throw;
      }
      const auto p = model.parameters();
      return std::vector<float>(p.begin(), p.end());
    };
    const auto whole = fit(fc::Seed{7}, crash{}, nullptr);
    fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
    const auto crashed = fit(fc::Seed{7}, crash{2}, &backup);
    CHECK_FALSE(same_bits(crashed, whole));
    const auto resumed = fit(fc::Seed{1}, crash{}, &backup);
    CHECK(backup.resumed_at() == 2u);
    CHECK(same_bits(resumed, whole));
  }
}

TEST_CASE("backup: with save_freq a crash within an epoch resumes at the next step, bit for bit") {
  // 8 batches an epoch. A backup every 3 batches: the crash at batch 19 (epoch 3, step 3) finds
  // the one of batch 18; the metrics, the epoch's running loss and the guards continue from it.
  const temp_dir whole_dir("backup_whole"), dir("backup_resumed");
  const outcome whole =
      run(epoch_pipeline(), 5, whole_dir.path.string(), crash{}, fc::Seed{7}, nullptr);
  fcb::BackupAndRestore backup{.backup_dir = dir.file("b"), .save_freq = 3};
  (void)run(epoch_pipeline(), 5, dir.path.string(), crash{.at_batch = 19}, fc::Seed{7}, &backup);
  CHECK(backup.saves() == 6 + 2);  // batches 3, 6, ..., 18 and the ends of epochs 1 and 2
  const outcome resumed =
      run(epoch_pipeline(), 5, dir.path.string(), crash{}, fc::Seed{5}, &backup);
  CHECK(backup.resumed_at() == 2u);
  check_same(resumed, whole);

  SUBCASE("and across one endless pass (StepsPerEpoch)") {
    const temp_dir whole2("backup_whole"), dir2("backup_resumed");
    const outcome w = run(endless_pipeline(), 4, whole2.path.string(), crash{}, fc::Seed{7},
                          nullptr, fc::StepsPerEpoch{5});
    fcb::BackupAndRestore b{.backup_dir = dir2.file("b"), .save_freq = 2};
    (void)run(endless_pipeline(), 4, dir2.path.string(), crash{.at_batch = 13}, fc::Seed{7}, &b,
              fc::StepsPerEpoch{5});
    const outcome r = run(endless_pipeline(), 4, dir2.path.string(), crash{}, fc::Seed{3}, &b,
                          fc::StepsPerEpoch{5});
    CHECK(b.resumed_at() == 2u);
    check_same(r, w);
  }
}

TEST_CASE("backup: save_freq with a metric that cannot say what it counted is refused") {
  const temp_dir dir("backup_metric");
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<Mystery>> model(adam());
  auto train = epoch_pipeline();
  fcb::BackupAndRestore every{.backup_dir = dir.file("b"), .save_freq = 4};
  const std::string m =
      message_of<fc::argument_error>([&] { model.fit(train, 2, fc::Verbose{0}, every); });
  CHECK(m.find("save_freq backs up within epochs, but a metric of this model cannot say what it "
               "has counted") != std::string::npos);
  fcb::BackupAndRestore at_epochs{.backup_dir = dir.file("b")};
  CHECK(model.fit(train, 2, fc::Verbose{0}, at_epochs).epochs() == 2);  // epoch ends only: fine
}

TEST_CASE("backup: a crash in the first epoch starts over, a finished backup trains no more") {
  const temp_dir whole_dir("backup_whole"), dir("backup_resumed");
  const outcome whole =
      run(epoch_pipeline(), 3, whole_dir.path.string(), crash{}, fc::Seed{7}, nullptr);

  SUBCASE("nothing to resume: the run starts afresh and equals the uninterrupted one") {
    fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
    (void)run(epoch_pipeline(), 3, dir.path.string(), crash{0}, fc::Seed{7}, &backup);
    CHECK(backup.saves() == 0);
    CHECK_FALSE(fs::exists(backup.file()));
    const outcome again =
        run(epoch_pipeline(), 3, dir.path.string(), crash{}, fc::Seed{7}, &backup);
    CHECK_FALSE(backup.resumed_at().has_value());
    check_same(again, whole);
  }
  SUBCASE("kept with delete_checkpoint = false, a second fit of as many epochs restores only") {
    fcb::BackupAndRestore backup{.backup_dir = dir.file("b"), .delete_checkpoint = false};
    (void)run(epoch_pipeline(), 3, dir.path.string(), crash{}, fc::Seed{7}, &backup);
    REQUIRE(fs::exists(backup.file()));
    const outcome again =
        run(epoch_pipeline(), 3, dir.path.string(), crash{}, fc::Seed{8}, &backup);
    CHECK(backup.resumed_at() == 3u);
    CHECK(backup.saves() == 0);
    CHECK(same_bits(again.params, whole.params));
    CHECK(again.history.all() == whole.history.all());
  }
}

TEST_CASE(
    "backup: a resumed fit that differs from the interrupted run is refused, nothing changed") {
  const temp_dir dir("backup_refused");
  fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
  (void)run(epoch_pipeline(), 4, dir.path.string(), crash{2}, fc::Seed{7}, &backup);
  REQUIRE(fs::exists(backup.file()));
  auto val = validation_pipeline();

  SUBCASE("another architecture") {
    using Wider = fc::nn::Sequential<fc::nn::Input<4>, fc::nn::Dense<8>, fc::nn::ReLU,
                                     fc::nn::Dense<3>, fc::nn::Softmax>;
    fc::Model<Wider, fc::loss::SparseCategoricalCrossentropy> model(adam());
    const std::vector<float> before(model.parameters().begin(), model.parameters().end());
    auto train = epoch_pipeline();
    const std::string m =
        message_of<fc::data_error>([&] { model.fit(train, 4, fc::Verbose{0}, backup); });
    CHECK(m.find(backup.file()) != std::string::npos);
    CHECK(m.find("Dense(16)") != std::string::npos);
    CHECK(m.find("this model is Input(4) -> Dense(8)") != std::string::npos);
    CHECK(m.find("delete " + backup.file()) != std::string::npos);
    CHECK(same_bits(model.parameters(), before));
  }
  SUBCASE("another optimizer") {
    Model model(fc::optim::SGD{.learning_rate = 0.1f});
    auto train = epoch_pipeline();
    const std::string m = message_of<fc::data_error>([&] {
      fcb::EarlyStopping<"val_loss"> early{.patience = 100, .restore_best_weights = true};
      fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.02};
      model.fit(train, 4, fc::Verbose{0}, fc::Validation{val}, early, plateau, backup);
    });
    CHECK(m.find("training with Adam, this model trains with SGD") != std::string::npos);
  }
  SUBCASE("another batch size") {
    Model model(adam());
    auto train = samples(train_data) | fd::shuffle(64, fc::Seed{3}) | fd::batch<20>();
    const std::string m =
        message_of<fc::data_error>([&] { model.fit(train, 4, fc::Verbose{0}, backup); });
    CHECK(m.find("a run of batches of 16, one pass of the pipeline an epoch; this fit takes "
                 "batches of 20") != std::string::npos);
  }
  SUBCASE("other callbacks") {
    Model model(adam());
    const std::vector<float> before(model.parameters().begin(), model.parameters().end());
    auto train = epoch_pipeline();
    const std::string m =
        message_of<fc::data_error>([&] { model.fit(train, 4, fc::Verbose{0}, backup); });
    CHECK(m.find("holds the state of 2 callbacks") != std::string::npos);
    CHECK(m.find("this fit has 0") != std::string::npos);
    CHECK(same_bits(model.parameters(), before));
  }
  SUBCASE("a pipeline that yields fewer batches than the run drew") {
    const data_set fewer(40, 1);  // 3 batches a pass, where the run drew 8 in each of 2 epochs
    std::string m;
    {
      Model model(adam());
      const std::vector<float> before(model.parameters().begin(), model.parameters().end());
      m = message_of<fc::data_error>([&] {
        auto train = epoch_pipeline(fewer);
        fcb::EarlyStopping<"val_loss"> early{.patience = 100, .restore_best_weights = true};
        fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.02};
        fcb::CSVLogger csv{.filename = dir.file("log.csv")};
        model.fit(train, 4, fc::Verbose{0}, fc::Validation{val}, fc::ValidationSteps{4}, early,
                  plateau, csv, backup);
      });
      CHECK(same_bits(model.parameters(), before));
    }
    INFO(m);
    CHECK(m.find("yielded 6 batches where the interrupted run drew 16 in its 2 epochs") !=
          std::string::npos);
  }
  SUBCASE("other metrics, within an epoch") {
    const temp_dir mid("backup_mid");
    fcb::BackupAndRestore every{.backup_dir = mid.file("b"), .save_freq = 5};
    (void)run(epoch_pipeline(), 4, mid.path.string(), crash{.at_batch = 7}, fc::Seed{7}, &every);
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy,
              fc::Metrics<fc::metrics::Accuracy, fc::metrics::SparseCategoricalAccuracy>>
        model(adam());
    auto train = epoch_pipeline();
    const std::string m = message_of<fc::data_error>([&] {
      fcb::EarlyStopping<"val_loss"> early{.patience = 100, .restore_best_weights = true};
      fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.02};
      model.fit(train, 4, fc::Verbose{0}, fc::Validation{val}, early, plateau, every);
    });
    CHECK(m.find("was written within an epoch by a model whose metrics counted 2 values, this "
                 "model's count 4: the metrics differ") != std::string::npos);
  }
  SUBCASE("class weights the run did not have") {
    Model model(adam());
    const std::vector<float> before(model.parameters().begin(), model.parameters().end());
    auto train = epoch_pipeline();
    const std::string m = message_of<fc::data_error>([&] {
      fcb::EarlyStopping<"val_loss"> early{.patience = 100, .restore_best_weights = true};
      fcb::ReduceLROnPlateau<"loss"> plateau{.factor = 0.5, .patience = 1, .min_delta = 0.02};
      model.fit(train, 4, fc::Verbose{0}, fc::Validation{val}, fc::ClassWeights{1.0, 2.0, 0.5},
                early, plateau, backup);
    });
    CHECK(m.find("was written by a run trained with no ClassWeights, this fit has "
                 "ClassWeights{1, 2, 0.5}, so it would not continue that run") !=
          std::string::npos);
    CHECK(m.find("Fix: resume with the ClassWeights the run was started with") !=
          std::string::npos);
    CHECK(same_bits(model.parameters(), before));
  }
  SUBCASE("a damaged file") {
    std::string bytes = text_of(backup.file());
    bytes[bytes.size() / 2] ^= 0x40;
    std::ofstream(backup.file(), std::ios::binary) << bytes;
    Model model(adam());
    auto train = epoch_pipeline();
    const std::string m =
        message_of<fc::data_error>([&] { model.fit(train, 4, fc::Verbose{0}, backup); });
    CHECK(m.find(backup.file() + ": is corrupt: checksum mismatch") != std::string::npos);
  }
  CHECK(fs::exists(backup.file()));  // a refusal deletes nothing
}

TEST_CASE("backup: the training-state file round-trips its records and refuses what is not one") {
  const temp_dir dir("backup_file");
  const std::string path = dir.file("s.fcs");
  fc::io::state_writer w(path);
  const std::vector<float> f = {1.5f, -0.0f, 3e-38f};
  const std::vector<double> d = {0.1, -2.0};
  const std::vector<std::uint64_t> u = {0, ~std::uint64_t{0}};
  w.add("f", std::span<const float>(f));
  w.add("d", std::span<const double>(d));
  w.add("u", std::span<const std::uint64_t>(u));
  w.add_text("t", "a\nb");
  w.add("empty", std::span<const float>());
  w.commit();
  const fc::io::state_reader r(path);
  CHECK(same_bits(r.floats("f"), f));
  CHECK(r.doubles("d") == d);
  CHECK(r.words("u") == u);
  CHECK(r.text("t") == "a\nb");
  CHECK(r.floats("empty").empty());
  CHECK(r.count("d") == 2);
  CHECK(r.count("missing") == 0);
  CHECK(message_of<fc::data_error>([&] {
          (void)r.floats("missing");
        }).find("has no record 'missing'") != std::string::npos);
  CHECK(message_of<fc::data_error>([&] {
          (void)r.floats("d");
        }).find("holds record 'd' as float64, not float32") != std::string::npos);

  const std::string bytes = text_of(path);
  const auto refused = [&](const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    return message_of<fc::data_error>([&] { fc::io::state_reader{path}; });
  };
  CHECK(refused("not a backup at all").find("wrong magic bytes") != std::string::npos);
  CHECK(refused(bytes.substr(0, 14)).find("is truncated: 14 bytes") != std::string::npos);
  CHECK(refused(bytes.substr(0, bytes.size() - 9) + bytes.substr(bytes.size() - 4))
            .find("checksum mismatch") != std::string::npos);
  CHECK(refused(bytes.substr(0, bytes.size() - 1)).find("checksum mismatch") != std::string::npos);
  // A record that claims more values than the file holds, behind a valid checksum (a faulty
  // writer): refused without reading past the buffer.
  std::string lying = bytes.substr(0, bytes.size() - 4);
  lying[12 + 4 + 1 + 1 + 7] = '\x7f';  // record "f": the top byte of its count
  const auto crc = fc::io::detail::crc32(0, std::as_bytes(std::span(lying.data(), lying.size())));
  for (int i = 0; i < 4; ++i) lying += char((crc >> (8 * i)) & 0xFF);
  CHECK(refused(lying).find("a record runs past the end") != std::string::npos);
  std::string v2 = bytes;
  v2[8] = 2;
  CHECK(refused(v2).find("has format version 2, this fitcheck reads version 1") !=
        std::string::npos);
}

TEST_CASE("backup: a crash within a gradient accumulation cycle resumes bit for bit") {
  // 8 batches an epoch, an update every 3: the backup of epoch 1 (the crash comes at the end of
  // epoch 2, before its backup) holds two batches' gradients in the accumulator, which the
  // resumed run carries into its next update.
  const auto fit = [](fc::Seed init, crash boom, fcb::BackupAndRestore* backup, std::size_t k) {
    Model model(fc::optim::Adam{.learning_rate = 0.02f, .gradient_accumulation_steps = k}, init);
    auto train = epoch_pipeline();
    try {
      if (backup)
        (void)model.fit(train, fc::Epochs{4}, fc::Verbose{0}, boom, *backup);
      else
        (void)model.fit(train, fc::Epochs{4}, fc::Verbose{0}, boom);
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()) != "simulated crash") throw;
    }
    CHECK(model.optimizer().iterations() ==
          (boom.at == 1 ? 16 : 32) / k);  // updates, not steps
    const auto p = model.parameters();
    return std::vector<float>(p.begin(), p.end());
  };
  const temp_dir dir("backup_accumulation");
  const auto whole = fit(fc::Seed{7}, crash{}, nullptr, 3);
  fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
  const auto crashed = fit(fc::Seed{7}, crash{1}, &backup, 3);
  CHECK_FALSE(same_bits(crashed, whole));
  // Another accumulation would not continue that run.
  Model other(fc::optim::Adam{.learning_rate = 0.02f, .gradient_accumulation_steps = 2});
  auto train = epoch_pipeline();
  const std::string m = message_of<fc::data_error>(
      [&] { (void)other.fit(train, fc::Epochs{4}, fc::Verbose{0}, backup); });
  CHECK(m.find("was written by a run updating every 3 steps (gradient_accumulation_steps), this "
               "optimizer updates every 2") != std::string::npos);
  CHECK(m.find("Fix: resume with the gradient_accumulation_steps the run was started with") !=
        std::string::npos);
  const auto resumed = fit(fc::Seed{1}, crash{}, &backup, 3);
  CHECK(backup.resumed_at() == 1u);
  CHECK(same_bits(resumed, whole));
}

TEST_CASE("backup: momentum switched off, or a backup_dir that cannot be made, is refused") {
  const temp_dir dir("backup_momentum");
  fcb::BackupAndRestore backup{.backup_dir = dir.file("b")};
  {
    Model model(fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.9f});
    auto train = epoch_pipeline();
    CHECK_THROWS_AS(model.fit(train, 3, fc::Verbose{0}, crash{1}, backup), std::runtime_error);
  }
  REQUIRE(fs::exists(backup.file()));  // epoch 1's
  Model plain(fc::optim::SGD{.learning_rate = 0.05f});
  auto train = epoch_pipeline();
  CHECK(message_of<fc::data_error>([&] { plain.fit(train, 3, fc::Verbose{0}, crash{}, backup); })
            .find("holds optimizer slots of another configuration than this SGD (momentum, "
                  "centered, amsgrad or use_ema on or off)") != std::string::npos);

  // Made when fit starts, so that an unwritable place fails before the first epoch.
  const std::string file = dir.write("not_a_dir", "x");
  fcb::BackupAndRestore nowhere{.backup_dir = file + "/backup"};
  const std::string m =
      message_of<fc::resource_error>([&] { plain.fit(train, 3, fc::Verbose{0}, nowhere); });
  CHECK(m.find(file + "/backup: cannot create the backup directory") != std::string::npos);
  CHECK(plain.optimizer().iterations() == 0);  // no step was taken
}

TEST_CASE("backup: a resumed CSVLogger drops only the rows written after the backup") {
  const temp_dir dir("backup_csv");
  const std::string path = dir.file("log.csv");
  // An earlier run appended epochs 0-2; the interrupted one wrote 0-3, its backup holds 0-1.
  const std::string earlier = "epoch,loss\n0,0.9\n1,0.8\n2,0.7\n";
  std::ofstream(path, std::ios::binary) << earlier << "0,0.5\n1,0.4\n2,0.3\n3,0.2\n";
  fcb::CSVLogger log{.filename = path, .append = true};
  fc::TrainingState s;
  s.initial_epoch = 2;
  log.on_train_begin(s);
  fc::Logs logs;
  logs.set("loss", 0.25);
  s.epoch = 2;
  log.on_epoch_end(s, logs);
  log.on_train_end(s);
  CHECK(text_of(path) == earlier + "0,0.5\n1,0.4\n2,0.25\n");
}

TEST_CASE("backup: SwapEMAWeights with swap_on_epoch resumes training the weights themselves") {
  // Its backup is written after the epoch's callbacks, with the average swapped into the weights:
  // the resumed run must swap the trained weights back before its first step.
  auto go = [](crash boom, fc::Seed init, fcb::BackupAndRestore* backup) {
    Model model(fc::optim::Adam{.learning_rate = 0.05f, .use_ema = true, .ema_momentum = 0.5f},
                init);
    auto train = epoch_pipeline();
    auto val = validation_pipeline();
    fcb::SwapEMAWeights swap{.swap_on_epoch = true};
    try {
      if (backup != nullptr)
        (void)model.fit(train, fc::Epochs{5}, fc::Verbose{0}, fc::Validation{val}, swap, boom,
                        *backup);
      else
        (void)model.fit(train, fc::Epochs{5}, fc::Verbose{0}, fc::Validation{val}, swap, boom);
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()) != "simulated crash") throw;
    }
    const auto p = model.parameters();
    return std::vector<float>(p.begin(), p.end());
  };
  const std::vector<float> whole = go(crash{}, fc::Seed{7}, nullptr);
  const temp_dir dir("backup_swap_ema");
  fcb::BackupAndRestore backup{.backup_dir = dir.file("backup")};
  const std::vector<float> crashed = go(crash{3}, fc::Seed{7}, &backup);
  CHECK_FALSE(same_bits(crashed, whole));
  const std::vector<float> resumed = go(crash{}, fc::Seed{99}, &backup);
  CHECK(backup.resumed_at() == 3u);
  CHECK(same_bits(resumed, whole));
}

}  // namespace train_backup_test
