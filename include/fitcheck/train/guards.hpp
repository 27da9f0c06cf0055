// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/kernels/regularize.hpp>
#include <fitcheck/kernels/update.hpp>

// Numeric guards for training [D3], [D4], [D5]. A diverging run (learning rate far too
// large) otherwise prints "loss: nan" for hours; a learning rate far too small, or a layer no
// gradient reaches, trains "fine" and learns nothing. The guards watch every step's loss and
// gradients in one pass and say what happened, where, and what to change.
//
// Cost: one read of the gradient buffer per step (sum of squares per layer, in double), no
// allocation, no branch per element. A step reads and writes that buffer several times already
// (backward, clipping, the optimizer), so the pass stays a small fraction of it.

namespace fitcheck {

/// The guards' settings, a `fit` argument: `fit(data, Epochs{5}, NumericGuards{.enabled = false})`
/// turns them off. On by default.
struct NumericGuards {
  /// false: no checks, no warnings, no cost.
  bool enabled = true;
  /// D4: the loss "has not moved" when |before - after| / |before| is below this.
  double stall_tolerance = 1e-4;
};

namespace detail {

/// The guards for one network type: the layer boundaries and names come from `Net`
/// (`param_offsets`, `param_counts`, `layer_t<I>::name`), so all state is fixed-size and a step
/// allocates nothing.
///
/// Counters are 0-based, as `fit` counts (`epoch` = 0 is the first epoch); messages say them
/// 1-based, as the progress bar does.
template <class Net>
class numeric_guard {
public:
  /// The layers watched.
  static constexpr std::size_t depth = Net::depth;

  /// Guards with these options (fit passes its NumericGuards argument).
  explicit numeric_guard(NumericGuards options = {}) noexcept : options_(options) {}

  /// The options.
  [[nodiscard]] const NumericGuards& options() const noexcept { return options_; }
  /// The largest finite global gradient norm seen so far (0 before any step).
  [[nodiscard]] double max_gradient_norm() const noexcept { return max_norm_; }

  /// Whether after_step will read the gradients for a step with this loss and global norm: on a
  /// failure, or while some layer has not yet had a non-zero gradient this epoch (D5). Lets a
  /// model whose gradients live on a GPU copy them to the host only then.
  [[nodiscard]] bool needs_gradients(double loss, double gradient_norm) const noexcept {
    if (!options_.enabled) return false;
    return !std::isfinite(loss) || !std::isfinite(gradient_norm) || watching_layers();
  }

  /// Whether after_step reads the gradients of a step whatever its loss: while some layer has
  /// not yet had a non-zero gradient this epoch (D5). fit keeps one step in flight then.
  [[nodiscard]] bool watching_layers() const noexcept {
    if (!options_.enabled) return false;
    for (std::size_t i = 0; i < depth; ++i)
      if (!moved_[i] && Net::param_counts[i] != 0) return true;
    return false;
  }

  /// After each training step, with the batch loss, the step's gradients (laid out as the
  /// model's parameters) and the learning rate that step used. `gradient_norm`, when given, is
  /// the global norm before clipping (the optimizer's `last_gradient_norm()`): the gradients
  /// left in the buffer are clipped ones, and the norm worth reporting is the unclipped one.
  ///
  /// D3: throws numeric_error at the first non-finite loss or gradient. Also records which
  /// layers received a non-zero gradient (D5) and the losses of the epoch (D4).
  void after_step(std::size_t epoch, std::size_t step, double loss, std::span<const float> grads,
                  float learning_rate, std::optional<double> gradient_norm = std::nullopt) {
    if (!options_.enabled) return;
    // The optimizer measured the global norm already (one pass over the gradients, which runs
    // with or without the guards): a finite norm means every gradient is finite, so the per-layer
    // sums that name the failing layer are computed only on the failure path.
    const double norm = gradient_norm ? *gradient_norm : global_norm_of(grads);
    if (!std::isfinite(loss) || !std::isfinite(norm)) {
      // No gradients on this path: fit had later steps in flight (StepsPerExecution), so the
      // engine holds theirs, not this step's; the message says so instead of naming a layer.
      std::array<double, depth> sums{};
      const float* g = grads.data();
      for (std::size_t i = 0; i < depth && !grads.empty(); ++i)
        if (Net::param_counts[i] != 0)
          sums[i] = kernels::sum_of_squares(
              reference, std::span<const float>(g + Net::param_offsets[i], Net::param_counts[i]));
      if (std::isfinite(norm)) note_norm(norm, epoch, step);
      diverged(epoch, step, loss, norm, sums, grads, learning_rate);
    }
    note_norm(norm, epoch, step);
    // D5 asks only whether a layer saw any non-zero gradient this epoch: once it has, it is not
    // looked at again until the next epoch, and the scan stops at the first non-zero value.
    for (std::size_t i = 0; i < depth; ++i) {
      if (moved_[i] || Net::param_counts[i] == 0) continue;
      moved_[i] = data_gradient_reached(grads.data(), Net::param_offsets[i],
                                        Net::param_offsets[i + 1]);
    }
    if (steps_ == 0) first_loss_ = loss;
    last_loss_ = loss;
    loss_sum_ += loss;
    ++steps_;
  }

  /// After each epoch (0-based `epoch`), with the learning rate it ended on.
  ///
  /// D4: the loss has not moved, judged twice: at the end of epoch 1, the first batch loss
  /// against the last; at the end of epoch 2, the mean loss of epoch 1 against that of epoch 2.
  /// The second check exists because batch losses differ by their data alone: a frozen model on
  /// shuffled batches shows first != last, but the same data gives the same epoch mean. Warned
  /// once per run; skipped when the loss is already below 1e-6 (nothing left to learn).
  ///
  /// D5: every layer with parameters whose gradient was exactly zero at every step of this
  /// epoch; warned once per layer per run (a dead layer stays dead, one line says so).
  void after_epoch(std::size_t epoch, float learning_rate) {
    if (!options_.enabled) return;
    if (steps_ > 0) {
      const double mean = loss_sum_ / double(steps_);
      check_stall(epoch, mean, learning_rate);
      if (epoch == 0) first_epoch_mean_ = mean;
      for (std::size_t i = 0; i < depth; ++i) {
        if (Net::param_counts[i] == 0 || moved_[i] || dead_reported_[i]) continue;
        dead_reported_[i] = true;
        warn("D5",
             "layer " + std::to_string(i) + " (" + layer_name(i) +
                 ") received an exactly zero gradient at every step of epoch " +
                 std::to_string(epoch + 1) + ": its " + std::to_string(Net::param_counts[i]) +
                 " parameters never change",
             "if a ReLU precedes it, its units may be dead (all inputs negative): lower the "
             "learning rate, use LeakyReLU or ELU, or check the inputs are scaled; if the "
             "layer's output does not reach the loss, connect it");
      }
    }
    moved_.fill(false);
    steps_ = 0;
    loss_sum_ = 0;
  }

  /// What the guards remember (the largest gradient norm and where, which warnings were given,
  /// epoch 1's mean loss, and this epoch's losses and moved layers so far), as numbers: a training
  /// backup keeps them so that a resumed run warns as the uninterrupted one would have.
  [[nodiscard]] std::vector<double> backup_state() const {
    std::vector<double> v = {max_norm_,  double(max_norm_epoch_), double(max_norm_step_),
                             double(stall_reported_), first_epoch_mean_, first_loss_,
                             last_loss_, loss_sum_, double(steps_)};
    for (bool r : dead_reported_) v.push_back(double(r));
    for (bool m : moved_) v.push_back(double(m));
    return v;
  }
  /// Takes back what backup_state() gave; false (and nothing changed) for another length.
  bool restore_state(std::span<const double> v) noexcept {
    if (v.size() != backup_state_size) return false;
    max_norm_ = v[0];
    max_norm_epoch_ = static_cast<std::size_t>(v[1]);
    max_norm_step_ = static_cast<std::size_t>(v[2]);
    stall_reported_ = v[3] != 0;
    first_epoch_mean_ = v[4];
    first_loss_ = v[5];
    last_loss_ = v[6];
    loss_sum_ = v[7];
    steps_ = static_cast<std::size_t>(v[8]);
    for (std::size_t i = 0; i < depth; ++i) {
      dead_reported_[i] = v[9 + i] != 0;
      moved_[i] = v[9 + depth + i] != 0;
    }
    return true;
  }
  /// The values backup_state() returns.
  static constexpr std::size_t backup_state_size = 9 + 2 * depth;

  /// The name of layer `i` ("Dense"), from `Net::layer_t<i>::name`.
  [[nodiscard]] static const char* layer_name(std::size_t i) noexcept { return names_[i]; }

private:
  static constexpr std::array<const char*, depth> names_ =
      []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<const char*, depth>{Net::template layer_t<I>::name...};
      }(std::make_index_sequence<depth>{});

  static double global_norm_of(std::span<const float> g) noexcept {
    return std::sqrt(kernels::sum_of_squares(cpu, g));
  }

  void note_norm(double norm, std::size_t epoch, std::size_t step) noexcept {
    if (!(norm > max_norm_)) return;
    max_norm_ = norm;
    max_norm_epoch_ = epoch;
    max_norm_step_ = step;
  }

  static std::string where(std::size_t epoch, std::size_t step) {
    return "epoch " + std::to_string(epoch + 1) + ", step " + std::to_string(step + 1);
  }

  [[noreturn]] void diverged(std::size_t epoch, std::size_t step, double loss, double norm,
                             const std::array<double, depth>& sums, std::span<const float> grads,
                             float learning_rate) const {
    // Both facts when both hold: the loss says the step failed, the layer says where.
    std::string what;
    if (!std::isfinite(loss)) what = "the loss is " + format_significant(loss);
    if (grads.empty() && !std::isfinite(norm))
      what += (what.empty() ? "" : " and ") + std::string("the gradient norm is ") +
              format_significant(norm);
    if (grads.empty())
      what += " (the layer is not named: later steps were in flight, StepsPerExecution, and "
              "their gradients replaced this step's; StepsPerExecution{1} names it)";
    std::size_t first = depth, bad_layers = 0;
    for (std::size_t i = 0; i < depth; ++i) {
      if (Net::param_counts[i] == 0 || std::isfinite(sums[i])) continue;
      if (first == depth) first = i;
      ++bad_layers;
    }
    if (first != depth) {
      // The offending value, to say NaN or inf: only read on this error path.
      float value = 0;
      for (std::size_t k = 0; k < Net::param_counts[first]; ++k) {
        value = grads[Net::param_offsets[first] + k];
        if (!std::isfinite(value)) break;
      }
      if (!what.empty()) what += " and ";
      what += "a gradient of layer " + std::to_string(first) + " (" + layer_name(first) +
              ") is " + format_significant(value);
      if (bad_layers > 1)
        what += " (" + std::to_string(bad_layers) +
                " layers have non-finite gradients; this is the first)";
    }
    std::string seen = max_norm_ > 0
                           ? "the largest gradient norm so far was " +
                                 format_significant(max_norm_) + " (" +
                                 where(max_norm_epoch_, max_norm_step_) + ")"
                           : "no finite gradient norm was seen before";
    throw numeric_error(
        "training diverged: " + what + " at " + where(epoch, step) + ", with learning rate " +
            format_significant(learning_rate) + "; " + seen + " [D3]",
        "lower the learning rate (e.g. 10x), check the inputs are scaled (Rescaling or "
        "Normalization), or set global_clipnorm on the optimizer (e.g. 1.0)");
  }

  void check_stall(std::size_t epoch, double mean, float learning_rate) {
    if (stall_reported_ || epoch > 1) return;
    const double before = epoch == 0 ? first_loss_ : first_epoch_mean_;
    const double after = epoch == 0 ? last_loss_ : mean;
    if (std::abs(before) < 1e-6) return;
    if (std::abs(before - after) / std::abs(before) >= options_.stall_tolerance) return;
    // Epoch 1 with a single step has nothing to compare.
    if (epoch == 0 && steps_ < 2) return;
    stall_reported_ = true;
    const std::string span =
        epoch == 0 ? "in epoch 1 (first batch loss " + format_significant(before) +
                         ", last batch loss " + format_significant(after) + ")"
                   : "from epoch 1 to epoch 2 (mean loss " + format_significant(before) +
                         " -> " + format_significant(after) + ")";
    warn("D4",
         "the loss has not moved " + span + " with learning rate " +
             format_significant(learning_rate) + ": the model is not learning",
         "raise the learning rate (e.g. 10x), check the inputs are scaled (Rescaling or "
         "Normalization), and check that gradients reach the layers [D5]");
  }

  NumericGuards options_;
  double max_norm_ = 0;
  std::size_t max_norm_epoch_ = 0, max_norm_step_ = 0;
  // Whether a gradient in [begin, end) of the parameters is non-zero, skipping the weight
  // penalties' slices: their gradient never vanishes, so only the weights without one tell
  // whether the data's reaches the layer (a layer penalised throughout counts as reached).
  static bool data_gradient_reached(const float* g, std::size_t begin, std::size_t end) noexcept {
    auto any = [g](std::size_t from, std::size_t to) {
      return std::any_of(g + from, g + to, [](float v) { return v != 0.0f; });
    };
    std::size_t at = begin, unpenalised = 0;
    for (const kernels::penalty& p : Net::penalties) {
      if (p.offset < begin || p.offset >= end) continue;
      unpenalised += p.offset - at;
      if (any(at, p.offset)) return true;
      at = p.offset + p.count;
    }
    unpenalised += end - at;
    return unpenalised == 0 || any(at, end);
  }

  std::array<bool, depth> moved_{};          // a non-zero gradient this epoch (D5)
  std::array<bool, depth> dead_reported_{};  // D5 said once per layer
  bool stall_reported_ = false;              // D4 said once
  double first_loss_ = 0, last_loss_ = 0, loss_sum_ = 0, first_epoch_mean_ = 0;
  std::size_t steps_ = 0;  // steps in this epoch
};

}  // namespace detail
}  // namespace fitcheck
