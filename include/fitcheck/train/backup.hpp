// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/io/training_state.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/backup_and_restore.hpp>
#include <fitcheck/train/guards.hpp>
#include <fitcheck/train/logs.hpp>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

// What BackupAndRestore keeps, and how fit resumes from it (docs/training.md, "Resuming an
// interrupted run"). A resumed run equals the uninterrupted one bit for bit because everything
// a step depends on is either in the backup or replayed:
//
//   in the backup   parameters, layer state, the optimizer's slots (the gradient accumulator
//                   among them), update count, accumulated steps and learning rate, the layers' random streams (Dropout), the numeric guards' memory, the
//                   history, and the memory of every callback that keeps state (keeps_state)
//   replayed        the pipelines: fit draws, without training, the batches the interrupted
//                   run drew (training and validation), so every shuffle, augmentation and
//                   generator stands where it stood. This costs one pass of the data per
//                   finished epoch, without the model; fitcheck's stages are deterministic
//                   given their seeds, a user's map or generator must be too.
//
// Everything is checked against this fit before anything changes: another architecture, another
// optimizer, another batch size or steps per epoch, other callbacks, or a pipeline that yields
// fewer batches than the interrupted run drew, is a data_error naming the backup and the fix.

namespace fitcheck::detail {

/// How far the interrupted run got.
struct run_position {
  std::size_t epochs = 0;            ///< finished epochs
  std::size_t total_batches = 0;     ///< training batches drawn
  std::size_t last_epoch_steps = 0;  ///< steps of the last finished epoch
  std::size_t steps_in_epoch = 0;    ///< steps of the running epoch (a backup within an epoch)
  double loss_sum = 0;               ///< the running epoch's batch losses, summed
};

/// What must agree between the interrupted run and this fit, besides the model.
struct run_shape {
  std::uint64_t steps_per_epoch = 0;  ///< 0: each epoch is one pass of the pipeline
  std::uint64_t batch_capacity = 0;
  std::uint64_t metric_values = 0;  ///< what the model's metrics count, as numbers
  std::vector<float> class_weights;  ///< the fit's ClassWeights, empty for none
};

/// The batches one pass of `data` yields as evaluate draws them (stopping at `limit`), without
/// the model.
template <class P>
std::size_t replay_pass(P& data, std::optional<std::size_t> limit) {
  std::size_t batches = 0;
  for (auto it = data.begin(); it != data.end(); ++it)
    if (++batches == limit) break;
  return batches;
}

template <class Net, class Engine>
class training_backup {
 public:
  /// Writes the state after `pos.epochs` finished epochs and `pos.steps_in_epoch` steps of the
  /// next to `path` (b.file(), or b.pending_file() in a group); `metrics` is what the model's
  /// metrics counted in that epoch. `each_callback(f)` calls f on every callback of the fit.
  template <class EachCallback>
  static void save(const callbacks::BackupAndRestore& b, const std::string& path, const Net& net,
                   const Engine& engine, const optim::Optimizer& opt,
                   const numeric_guard<Net>& guard, const History& history, run_position pos,
                   run_shape shape, std::span<const double> metrics, EachCallback&& each_callback) {
    make_directory(b);
    io::state_writer w(path);
    const std::array<std::uint64_t, run_size> run = {pos.epochs,
                                                     pos.total_batches,
                                                     pos.last_epoch_steps,
                                                     shape.steps_per_epoch,
                                                     shape.batch_capacity,
                                                     Net::param_count,
                                                     opt.settings().index(),
                                                     opt.iterations(),
                                                     opt.has_schedule() ? 0u : 1u,
                                                     pos.steps_in_epoch};
    w.add("run", std::span<const std::uint64_t>(run));
    const std::array<double, 3> rates = {double(opt.learning_rate()), opt.last_gradient_norm(),
                                         pos.loss_sum};
    w.add("run.rates", std::span<const double>(rates));
    const std::array<std::uint64_t, 2> accumulation = {accumulation_steps(opt),
                                                       opt.accumulated_steps()};
    w.add("run.accumulation", std::span<const std::uint64_t>(accumulation));
    w.add("metrics", metrics);
    w.add("class_weights", std::span<const float>(shape.class_weights));
    w.add_text("layout", layout_text());
    w.add("parameters", engine.parameters());
    std::vector<double> state(Net::state_count);
    net.save_state(state);
    w.add("layer_state", std::span<const double>(state));
    for (std::size_t i = 0; i < optim::slot_count; ++i) {
      const std::vector<float> slot = engine.optimizer_slot(i);
      w.add("slot." + std::to_string(i), std::span<const float>(slot));
    }
    std::vector<std::uint64_t> streams(4 * Net::random_stream_count);
    net.save_random_streams(streams);
    w.add("random_streams", std::span<const std::uint64_t>(streams));
    const std::vector<double> g = guard.backup_state();
    w.add("guards", std::span<const double>(g));
    std::string names;
    for (const auto& [name, values] : history.all()) {
      names += name + '\n';
      w.add("history." + name, std::span<const double>(values));
    }
    w.add_text("history", names);
    const std::array<std::uint64_t, 1> epochs = {history.epochs()};
    w.add("history.epochs", std::span<const std::uint64_t>(epochs));
    std::uint64_t kept = 0;
    each_callback([&](const auto& c) {
      if constexpr (keeps_state<std::remove_cvref_t<decltype(c)>>) {
        const std::vector<double> v = c.backup_state();
        w.add("callback." + std::to_string(kept++), std::span<const double>(v));
      }
    });
    const std::array<std::uint64_t, 1> count = {kept};
    w.add("callbacks", std::span<const std::uint64_t>(count));
    w.commit();
  }

  /// The backup found in `b.backup_dir`, read and checked against this fit (the model, its
  /// optimizer, the run's shape and callbacks); none when there is none, and then the directory
  /// is made now, so that an unwritable one fails before the first epoch, not after it. Changes
  /// nothing else.
  template <class EachCallback>
  static std::optional<training_backup> find(const callbacks::BackupAndRestore& b,
                                             const optim::Optimizer& opt, run_shape shape,
                                             EachCallback&& each_callback) {
    make_directory(b);
    std::error_code ec;
    if (!std::filesystem::exists(b.file(), ec)) return std::nullopt;
    training_backup t(io::state_reader(b.file()));
    t.check(opt, shape, each_callback);
    return t;
  }

  /// The same in data-parallel training, where each process has its own backup and the group
  /// must resume from one point of the run: each process offers its committed backup and its
  /// pending one (written, not committed: the processes wrote theirs, and a crash came before
  /// every process had renamed its own), and the group takes the newest point every process
  /// holds, by the optimizer's update count (the same in every process at the same point). A
  /// process without a backup while others have theirs is a data_error in every process.
  template <class Lock, class EachCallback>
  static std::optional<training_backup> find_in_group(Lock& lock,
                                                      const callbacks::BackupAndRestore& b,
                                                      const optim::Optimizer& opt, run_shape shape,
                                                      EachCallback&& each_callback) {
    make_directory(b);
    const auto updates_of = [](const std::string& path) -> std::optional<std::uint64_t> {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) return std::nullopt;
      const io::state_reader in(path);
      const auto run = in.words("run");
      if (run.size() != run_size)
        in.fail("is inconsistent: its run record has " + std::to_string(run.size()) +
                    " values, not " + std::to_string(run_size),
                "delete it to start the run over");
      return run[7];
    };
    const std::optional<std::uint64_t> committed = updates_of(b.file());
    const std::optional<std::uint64_t> pending = updates_of(b.pending_file());
    const bool has = committed || pending;
    const std::uint64_t newest = std::max(committed.value_or(0), pending.value_or(0));
    lock.agree(false, false);
    const double size = double(lock.size()), me = size - double(lock.rank());
    std::array<double, 3> said = {has ? 1.0 : 0.0, has ? 0.0 : me, -double(newest)};
    lock.max(said);
    if (said[0] == 0) return std::nullopt;  // a new run in every process
    if (said[1] > 0)
      lock.refuse(b.backup_dir + ": rank " + std::to_string(std::size_t(size - said[1])) + " of " +
                      std::to_string(lock.size()) +
                      " has no backup here, while other processes have theirs, so the group "
                      "cannot resume",
                  "give backup_dir a directory every process sees (each writes its own file "
                  "there), or delete the processes' backups to start the run over");
    const auto target = static_cast<std::uint64_t>(-said[2]);
    const bool holds = committed == target || pending == target;
    std::array<double, 1> lacking = {holds ? 0.0 : me};
    lock.max(lacking);
    if (lacking[0] > 0)
      lock.refuse(b.backup_dir +
                      ": the processes' backups are of different points of the run: "
                      "rank " +
                      std::to_string(std::size_t(size - lacking[0])) + " has none after " +
                      std::to_string(target) + " updates, the newest point the others all have",
                  "delete the processes' backups to start the run over");
    // The point chosen becomes this process's committed backup; a newer pending one goes.
    std::error_code ec;
    if (committed != target)
      std::filesystem::rename(b.pending_file(), b.file(), ec);
    else if (pending)
      std::filesystem::remove(b.pending_file(), ec);
    if (ec)
      throw resource_error(b.pending_file() + ": cannot be committed or removed: " + ec.message(),
                           "give BackupAndRestore a writable backup_dir");
    training_backup t(io::state_reader(b.file()));
    t.check(opt, shape, each_callback);
    return t;
  }

  /// In a group, after every process has written its pending backup: it becomes the committed
  /// one.
  static void commit(const callbacks::BackupAndRestore& b) {
    std::error_code ec;
    std::filesystem::rename(b.pending_file(), b.file(), ec);
    if (ec)
      throw resource_error(
          b.pending_file() + ": cannot be renamed to " + b.file() + ": " + ec.message(),
          "give BackupAndRestore a writable backup_dir");
  }

  /// Where the interrupted run stood.
  [[nodiscard]] run_position position() const noexcept { return pos_; }
  /// What the model's metrics had counted in the running epoch (a backup within an epoch).
  [[nodiscard]] std::vector<double> metrics() const { return in_.doubles("metrics"); }

  /// Sets the model, its optimizer, the guards and the history to the backup's.
  void restore_model(Net& net, Engine& engine, optim::Optimizer& opt, numeric_guard<Net>& guard,
                     History& history) const {
    std::vector<double> state = in_.doubles("layer_state");
    try {
      net.load_state(state);
    } catch (const data_error& e) {
      in_.fail("holds layer state this model refuses: " + e.problem(), e.fix());
    }
    const std::vector<float> params = in_.floats("parameters");
    std::ranges::copy(params, engine.parameters().begin());
    for (std::size_t i = 0; i < optim::slot_count; ++i) {
      const std::vector<float> slot = in_.floats("slot." + std::to_string(i));
      if (!slot.empty()) engine.load_optimizer_slot(i, slot);
    }
    const auto run = in_.words("run");
    const auto rates = in_.doubles("run.rates");
    opt.restore(run[7], rates[1], recorded_accumulation()[1]);
    if (run[8] != 0) opt.set_learning_rate(static_cast<float>(rates[0]));
    net.load_random_streams(in_.words("random_streams"));
    guard.restore_state(in_.doubles("guards"));
    std::map<std::string, std::vector<double>> values;
    const std::string names = in_.text("history");
    for (std::size_t at = 0, end; (end = names.find('\n', at)) != std::string::npos; at = end + 1) {
      const std::string name = names.substr(at, end - at);
      values[name] = in_.doubles("history." + name);
    }
    history.assign(std::move(values), in_.words("history.epochs").at(0));
  }

  /// Gives every callback that keeps state its memory back. After on_train_begin, which sizes
  /// what a callback keeps (EarlyStopping's best weights): each record must have that size, all
  /// checked before any is restored.
  template <class EachCallback>
  void restore_callbacks(EachCallback&& each_callback) const {
    std::size_t k = 0;
    each_callback([&](const auto& c) {
      if constexpr (keeps_state<std::remove_cvref_t<decltype(c)>>) {
        if (in_.count("callback." + std::to_string(k)) != c.backup_state().size())
          in_.fail("holds, for callback " + std::to_string(k + 1) +
                       " of those that keep state, a record of another size than this fit's "
                       "callback keeps: the callbacks differ from the interrupted run's",
                   "pass fit the callbacks the run was started with, in the same order, or "
                   "delete " +
                       in_.path() + " to start the run over");
        ++k;
      }
    });
    k = 0;
    each_callback([&](auto& c) {
      if constexpr (keeps_state<std::remove_cvref_t<decltype(c)>>)
        c.restore_state(in_.doubles("callback." + std::to_string(k++)));
    });
  }

  /// Draws, without training, the training batches the interrupted run drew (`it` is fit's pass
  /// when epochs continue one pass, StepsPerEpoch). In a group (`in_group`) a process's pass may
  /// end before the group's steps did (its shard is shorter: [H3]).
  template <class P>
  void replay(P& train, std::optional<data::epoch_iterator<P>>& it, bool continuous,
              bool in_group = false) const {
    std::size_t drawn = 0;
    const auto ran_short = [&] {
      in_.fail("the training pipeline yielded " + std::to_string(drawn) +
                   " batches where the "
                   "interrupted run drew " +
                   std::to_string(pos_.total_batches) + " in its " + std::to_string(pos_.epochs) +
                   " epochs: this is not the pipeline the run was started with, so it cannot "
                   "continue it",
               "resume with the pipeline (data, stages, seeds) the run was started with, or "
               "delete " +
                   in_.path() + " to start over");
    };
    if (continuous) {
      it.emplace(train);
      for (; drawn < pos_.total_batches; ++drawn) {
        if (*it == std::default_sentinel) ran_short();
        ++*it;
      }
    } else {
      // As fit's loop: a pass an epoch, pulled after each step; the last epoch may have been cut
      // short (a callback stopped training), so it stops after as many steps as it had.
      for (std::size_t e = 0; e < pos_.epochs; ++e) {
        const bool last = e + 1 == pos_.epochs;
        std::size_t steps = 0;
        for (data::epoch_iterator<P> pass(train);
             pass != std::default_sentinel && !(last && steps == pos_.last_epoch_steps); ++pass)
          ++steps;
        drawn += steps;
        if (last && steps < pos_.last_epoch_steps && !in_group) ran_short();
      }
      // A backup within an epoch: the running epoch's pass, at the batch its next step takes.
      if (pos_.steps_in_epoch > 0) {
        it.emplace(train);
        for (std::size_t k = 0; k < pos_.steps_in_epoch; ++k, ++drawn) {
          if (*it == std::default_sentinel) ran_short();
          ++*it;
        }
      }
      if (drawn != pos_.total_batches) ran_short();
    }
  }
  /// Draws the validation passes of the finished epochs, as evaluate did (`steps` batches each).
  template <class V>
  void replay_validation(V& validation, std::optional<std::size_t> steps) const {
    for (std::size_t e = 0; e < pos_.epochs; ++e) replay_pass(validation, steps);
  }

 private:
  static constexpr std::size_t run_size = 10;

  explicit training_backup(io::state_reader in) : in_(std::move(in)) {}

  static std::uint64_t accumulation_steps(const optim::Optimizer& opt) {
    return std::visit([](const auto& o) { return std::uint64_t(o.gradient_accumulation_steps); },
                      opt.settings());
  }
  // {gradient_accumulation_steps, steps accumulated}; a backup from before gradient
  // accumulation holds no record: a run updating every step.
  std::array<std::uint64_t, 2> recorded_accumulation() const {
    if (!in_.contains("run.accumulation")) return {1, 0};
    const auto v = in_.words("run.accumulation");
    if (v.size() != 2 || v[0] == 0 || v[1] >= v[0])
      in_.fail("is inconsistent with its own layout",
               "delete " + in_.path() + " to start the run over");
    return {v[0], v[1]};
  }

  static std::string layout_text() {
    static const io::Layout layout = io::network_layout<Net>();
    return io::detail::describe(layout);
  }

  static void make_directory(const callbacks::BackupAndRestore& b) {
    std::error_code ec;
    std::filesystem::create_directories(b.backup_dir, ec);
    if (ec)
      throw resource_error(b.backup_dir + ": cannot create the backup directory: " + ec.message(),
                           "give BackupAndRestore a writable backup_dir");
  }

  template <class EachCallback>
  void check(const optim::Optimizer& opt, run_shape shape, EachCallback& each_callback) {
    const std::string start_over = "or delete " + in_.path() + " to start the run over";
    const auto run = in_.words("run");
    if (run.size() != run_size || in_.count("run.rates") != 3)
      in_.fail("is inconsistent: its run record has " + std::to_string(run.size()) +
                   " values, not " + std::to_string(run_size),
               start_over);
    if (const std::string saved = in_.text("layout"); saved != layout_text())
      in_.fail("is the backup of a run of " + saved + ", this model is " + layout_text(),
               "resume with the model the run was started with, " + start_over);
    if (run[6] != opt.settings().index()) {
      const optim::Optimizer::config kinds[] = {
          optim::SGD{},     optim::Adam{},   optim::AdamW{},    optim::RMSprop{},
          optim::Adagrad{}, optim::Adamax{}, optim::Adadelta{}, optim::Lion{},
          optim::Nadam{}};
      const std::string was =
          run[6] < std::size(kinds) ? optim::Optimizer(kinds[run[6]]).name() : "another";
      in_.fail(
          "was written by a run training with " + was + ", this model trains with " + opt.name(),
          "resume with the optimizer the run was started with, " + start_over);
    }
    const std::array<std::uint64_t, 2> accumulation = recorded_accumulation();
    if (accumulation[0] != accumulation_steps(opt))
      in_.fail("was written by a run updating every " + std::to_string(accumulation[0]) +
                   " steps (gradient_accumulation_steps), this optimizer updates every " +
                   std::to_string(accumulation_steps(opt)),
               "resume with the gradient_accumulation_steps the run was started with, " +
                   start_over);
    const std::array<bool, optim::slot_count> used = opt.slots();
    for (std::size_t i = 0; i < optim::slot_count; ++i)
      if (in_.count("slot." + std::to_string(i)) != (used[i] ? Net::param_count : 0))
        in_.fail("holds optimizer slots of another configuration than this " +
                     std::string(opt.name()) +
                     " (momentum, centered, amsgrad or use_ema on or off)",
                 "resume with the optimizer settings the run was started with, " + start_over);
    if (run[3] != shape.steps_per_epoch || run[4] != shape.batch_capacity) {
      const auto says = [](std::uint64_t steps, std::uint64_t batch) {
        return "batches of " + std::to_string(batch) + ", " +
               (steps == 0 ? std::string("one pass of the pipeline an epoch")
                           : std::to_string(steps) + " steps an epoch");
      };
      in_.fail(
          "was written by a run of " + says(run[3], run[4]) + "; this fit takes " +
              says(shape.steps_per_epoch, shape.batch_capacity) +
              ", so it would not continue that run",
          "resume with the pipeline and StepsPerEpoch the run was started with, " + start_over);
    }
    // A backup from before class weights existed holds no record: a run without them.
    const std::vector<float> weights =
        in_.contains("class_weights") ? in_.floats("class_weights") : std::vector<float>{};
    if (weights != shape.class_weights) {
      const auto says = [](const std::vector<float>& w) {
        if (w.empty()) return std::string("no ClassWeights");
        std::string s = "ClassWeights{";
        for (std::size_t c = 0; c < w.size(); ++c) s += (c ? ", " : "") + format_number(w[c]);
        return s + "}";
      };
      in_.fail("was written by a run trained with " + says(weights) + ", this fit has " +
                   says(shape.class_weights) + ", so it would not continue that run",
               "resume with the ClassWeights the run was started with, " + start_over);
    }
    if (in_.count("random_streams") != 4 * Net::random_stream_count ||
        in_.count("guards") != numeric_guard<Net>::backup_state_size ||
        in_.count("layer_state") != Net::state_count || in_.count("parameters") != Net::param_count)
      in_.fail("is inconsistent with its own layout", start_over);
    // Within an epoch the metrics' counts continue; at an epoch's end they start over anyway.
    if (run[9] > 0 && in_.count("metrics") != shape.metric_values)
      in_.fail("was written within an epoch by a model whose metrics counted " +
                   std::to_string(in_.count("metrics")) + " values, this model's count " +
                   std::to_string(shape.metric_values) + ": the metrics differ",
               "resume with the Metrics<...> the run was started with, " + start_over);
    std::size_t k = 0;
    const std::uint64_t saved = in_.words("callbacks").at(0);
    each_callback([&](const auto& c) { k += keeps_state<std::remove_cvref_t<decltype(c)>>; });
    if (k != saved)
      in_.fail("holds the state of " + std::to_string(saved) +
                   " callbacks (such as EarlyStopping, ReduceLROnPlateau, ModelCheckpoint), this "
                   "fit has " +
                   std::to_string(k),
               "pass fit the callbacks the run was started with, in the same order, " + start_over);
    pos_ = {static_cast<std::size_t>(run[0]), static_cast<std::size_t>(run[1]),
            static_cast<std::size_t>(run[2]), static_cast<std::size_t>(run[9]),
            in_.doubles("run.rates")[2]};
  }

  io::state_reader in_;
  run_position pos_{};
};

}  // namespace fitcheck::detail
