// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/checkpoint_path.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/logs.hpp>

namespace fitcheck::callbacks {

namespace detail {
template <class Owner>
class checkpoint_run {
  friend Owner;
  monitor watch_;
  std::string last_saved_;
  std::size_t saves_ = 0;
};
}  // namespace detail

/// Saves the parameters after every epoch (Keras' ModelCheckpoint with save_weights_only), to
/// `filepath` with {epoch} (1-based) and logged values substituted: "ckpt-{epoch:02d}.fcw",
/// "best-{val_loss:.3f}.fcw". With `save_best_only`, only when `Monitor` improved on the best so
/// far. Writes are atomic (io/weights.hpp): a crash mid-write keeps the previous file.
/// `.layout = io::layout_of(model)` names the architecture in each file.
template <fixed_string Monitor = "val_loss">
struct ModelCheckpoint {
  static_assert(detail::monitor_named<Monitor>());
  /// The monitored log name.
  static constexpr std::string_view monitor = Monitor.view();
  /// True for a "val_" name: fit then requires Validation{...} (a compile error otherwise).
  static constexpr bool needs_validation = monitor.starts_with("val_");

  /// The path pattern: {epoch} (1-based) and logged names, with Python format specs.
  std::string filepath;
  /// Save only when the monitored value improves.
  bool save_best_only = false;
  /// Whether smaller or larger is better; auto_ decides from the name, as Keras does.
  Mode mode = Mode::auto_;
  /// With save_best_only: a first value to beat.
  std::optional<double> initial_value_threshold{};
  /// 1: print each save and each epoch without improvement.
  int verbose = 0;
  /// The architecture to record in each file; fit fills it in when left empty.
  io::Layout layout{};
  /// The run's own state: leave it out of the initializer.
  detail::checkpoint_run<ModelCheckpoint> run_{};

  /// Callback hook: before the first epoch.
  template <class State>
  void on_train_begin(State& s) {
    if (filepath.empty())
      throw argument_error("ModelCheckpoint: no .filepath",
                           "write ModelCheckpoint<...>{.filepath = "
                           "\"ckpt-{epoch:02d}.fcw\", ...}");
    // A future TrainingState may carry the model's layout; then `.layout` is optional.
    if constexpr (requires { s.layout; }) {
      if (layout.empty() && s.layout != nullptr) layout = *s.layout;
    }
    if (layout.empty())
      throw argument_error(
          "ModelCheckpoint: no .layout, so a checkpoint could not record the "
          "architecture it belongs to",
          "write ModelCheckpoint<...>{.filepath = ..., .layout = "
          "fitcheck::io::layout_of(model)}");
    if (layout.parameter_count() != s.parameters.size())
      throw argument_error(
          "ModelCheckpoint: .layout counts " + std::to_string(layout.parameter_count()) +
              " parameters, but the model trained has " + std::to_string(s.parameters.size()),
          "pass the layout of the model being trained: "
          "fitcheck::io::layout_of(model)");
    if constexpr (requires { s.layer_state; }) {
      if (layout.state_count() != s.layer_state.size)
        throw argument_error("ModelCheckpoint: .layout counts " +
                                 std::to_string(layout.state_count()) +
                                 " layer-state values, but the model trained has " +
                                 std::to_string(s.layer_state.size),
                             "pass the layout of the model being trained: "
                             "fitcheck::io::layout_of(model)");
    }
    // Malformed patterns fail now, not after the first epoch's work.
    detail::walk_pattern(
        filepath, [](std::string_view) {}, [](std::string_view, const auto&) {});
    run_ = {};
    run_.watch_.reset(mode, monitor, 0.0, initial_value_threshold);
  }

  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    const std::string path = detail::format_checkpoint_path(filepath, s.epoch + 1, logs);
    if (!save_best_only) {
      save(s, path);
      return;
    }
    const double current = detail::monitored(logs, monitor, "ModelCheckpoint");
    const std::optional<double> best = run_.watch_.best();
    if (run_.watch_.improves(current)) {
      if (verbose > 0 && s.rank == 0) {
        const std::string from = best ? format_python(*best) : "none";
        std::printf("\nEpoch %zu: %s improved from %s to %.5f, saving model to %s\n", s.epoch + 1,
                    std::string(monitor).c_str(), from.c_str(), current, path.c_str());
      }
      run_.watch_.set_best(current);
      save(s, path);
    } else if (verbose > 0 && s.rank == 0) {
      const std::string was = best ? format_python(*best) : "none";
      std::printf("\nEpoch %zu: %s did not improve from %s\n", s.epoch + 1,
                  std::string(monitor).c_str(), was.c_str());
    }
  }

  /// What it remembers across epochs, for BackupAndRestore: the best value saved so far and the
  /// count of files written.
  [[nodiscard]] std::vector<double> backup_state() const {
    const auto best = run_.watch_.best();
    return {best ? 1.0 : 0.0, best.value_or(0.0), double(run_.saves_)};
  }
  /// Takes back what backup_state() gave (after on_train_begin).
  void restore_state(std::span<const double> v) {
    if (v[0] != 0) run_.watch_.set_best(v[1]);
    run_.saves_ = static_cast<std::size_t>(v[2]);
  }

  /// The best monitored value saved so far (save_best_only).
  [[nodiscard]] std::optional<double> best() const noexcept { return run_.watch_.best(); }
  /// The path last written ("" before the first save), and how many files were written.
  [[nodiscard]] const std::string& last_saved() const noexcept { return run_.last_saved_; }
  /// Files written.
  [[nodiscard]] std::size_t saves() const noexcept { return run_.saves_; }

private:
  void save(const TrainingState& s, const std::string& path) {
    // With DataParallel every process holds the same parameters: rank 0 writes them, once.
    if (s.rank != 0) return;
    // Keras creates the checkpoint directory as needed.
    const auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec)
        throw resource_error(
            path + ": cannot create the directory " + dir.string() + ": " + ec.message(),
            "choose a writable location for .filepath");
    }
    std::vector<double> state(s.layer_state.size);
    s.layer_state.read(state);
    io::save_weights(path, std::span<const float>(s.parameters), layout, state);
    run_.last_saved_ = path;
    ++run_.saves_;
  }
};

}  // namespace fitcheck::callbacks
