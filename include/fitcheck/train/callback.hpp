// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/logs.hpp>

// The callback interface. A callback is any object passed to `fit`, `evaluate` or `predict`
// that has one or more of
//   void on_train_begin(TrainingState&)
//   void on_epoch_begin(TrainingState&)
//   void on_train_batch_begin(TrainingState&)   state.batch: the 0-based batch whose step begins
//   void on_train_batch_end(TrainingState&, double loss)   the epoch's running mean loss
//   void on_test_begin(TrainingState&)            before evaluate's pass (fit's validation)
//   void on_test_batch_begin(TrainingState&)
//   void on_test_batch_end(TrainingState&, double loss)    the pass's running mean loss
//   void on_test_end(TrainingState&, const Logs&) after it, with its results (or without them:
//                                                 on_test_end(TrainingState&))
//   void on_epoch_end(TrainingState&, Logs&)      logs may be added to (e.g. "lr")
//   void on_train_end(TrainingState&)
//   void on_predict_begin(TrainingState&)
//   void on_predict_batch_begin(TrainingState&)
//   void on_predict_batch_end(TrainingState&, std::span<const float> outputs)
//   void on_predict_end(TrainingState&)
// (Keras' hooks of those names; a call a hook is not made for, as fit's on_predict_*, never
// comes)
// and, if it needs validation data to work, `static constexpr bool needs_validation = true`
// (then `fit` without validation data does not compile). A callback that remembers something
// across epochs (a best value, a patience count) has
//   std::vector<double> backup_state() const       what it remembers, as numbers
//   void restore_state(std::span<const double>)    takes it back, after on_train_begin
// so that a run BackupAndRestore resumes continues it (train/backup.hpp). fit calls the hooks a callback has,
// through templates: no virtual call. Setting `state.stop_training` ends training after the
// current batch's epoch; `state.optimizer` gives the learning rate; `state.parameters` the
// weights (EarlyStopping restores the best ones through it).

namespace fitcheck {

namespace io {
struct Layout;
}

/// The network's non-trainable state (Normalization's statistics), copied out on demand.
struct LayerStateView {
  std::size_t size = 0;            ///< values, as io::Layout::state_count()
  const void* network = nullptr;   ///< the network the copy reads
  void (*copy)(const void*, std::span<double>) = nullptr;  ///< writes `size` values

  /// Copies the state into `out` (`size` values); nothing for a network without state.
  void read(std::span<double> out) const {
    if (copy != nullptr) copy(network, out);
  }
};

/// The optimizer's moving average of the weights (use_ema) as fit lends it to callbacks
/// (SwapEMAWeights): swap() exchanges the weights and the average. Empty without use_ema.
struct AverageWeights {
  void* model = nullptr;               ///< the model fit trains
  void (*exchange)(void*) = nullptr;   ///< swaps its weights and their average
  /// Whether the weights hold the average now: set by whoever swapped it in, cleared when it is
  /// swapped back. A fit that ends with it set swaps back before it puts the average in the
  /// weights, so the average is not lost.
  bool in_weights = false;

  /// Whether the optimizer keeps an average (use_ema).
  [[nodiscard]] explicit operator bool() const noexcept { return exchange != nullptr; }
  /// Swaps the weights and the average, and flips in_weights.
  void swap() {
    exchange(model);
    in_weights = !in_weights;
  }
};

/// What fit shares with callbacks: where training is, and the handles a callback may act through.
struct TrainingState {
  std::size_t epoch = 0;   ///< 0-based, the epoch running or just ended
  std::size_t epochs = 0;  ///< epochs asked for
  /// The epoch fit starts at: 0, or the epochs a BackupAndRestore backup had finished (a
  /// resumed run). Set before on_train_begin, so a callback can continue its own record there.
  std::size_t initial_epoch = 0;
  std::size_t step = 0;    ///< 1-based step within the epoch, after a batch
  std::optional<std::size_t> steps_per_epoch;  ///< when known
  /// 1-based batch of the evaluate (or fit's validation) or predict pass running, after a
  /// batch: fit's own `step` stays the training step's.
  std::size_t test_step = 0;
  /// The batches that pass will take, when known.
  std::optional<std::size_t> test_steps;
  /// In on_train_batch_begin, on_test_batch_begin and on_predict_batch_begin: the 0-based index
  /// of the batch whose step begins, in its epoch or pass (Keras' `batch`).
  std::size_t batch = 0;
  /// fit was given Validation{...}.
  bool has_validation = false;
  /// Set by a callback to stop after the current step.
  bool stop_training = false;
  /// The model's optimizer (learning-rate callbacks).
  optim::Optimizer* optimizer = nullptr;
  /// The parameters, as Model::parameters() (checkpoints read them, EarlyStopping may restore
  /// them).
  std::span<float> parameters;
  /// The network's weights layout (checkpoints record it); set where fit is given callbacks.
  const io::Layout* layout = nullptr;
  LayerStateView layer_state{};        ///< the network's layer state (checkpoints)
  /// With DataParallel: this process's rank and the number of processes (0 and 1 otherwise).
  /// Every process runs the callbacks; one that writes a file writes it in rank 0 only.
  std::size_t rank = 0;
  std::size_t processes = 1;  ///< see rank
  /// The optimizer's moving average of the weights (SwapEMAWeights); empty without use_ema.
  AverageWeights average{};
};

/// An object with a hook fit calls (evaluate's test hooks among them: fit's validation).
template <class C>
concept fit_callback = requires(C& c, TrainingState& s, Logs& logs) {
  requires requires { c.on_train_begin(s); } || requires { c.on_epoch_begin(s); } ||
               requires { c.on_train_batch_begin(s); } ||
               requires { c.on_train_batch_end(s, 0.0); } ||
               requires { c.on_epoch_end(s, logs); } || requires { c.on_train_end(s); } ||
               requires { c.on_test_begin(s); } || requires { c.on_test_batch_begin(s); } ||
               requires { c.on_test_batch_end(s, 0.0); } ||
               requires { c.on_test_end(s); } ||
               requires { c.on_test_end(s, std::as_const(logs)); };
};
/// An object with a hook evaluate calls.
template <class C>
concept evaluate_callback = requires(C& c, TrainingState& s, const Logs& logs) {
  requires requires { c.on_test_begin(s); } || requires { c.on_test_batch_begin(s); } ||
               requires { c.on_test_batch_end(s, 0.0); } || requires { c.on_test_end(s); } ||
               requires { c.on_test_end(s, logs); };
};
/// An object with a hook predict calls.
template <class C>
concept predict_callback = requires(C& c, TrainingState& s, std::span<const float> out) {
  requires requires { c.on_predict_begin(s); } || requires { c.on_predict_batch_begin(s); } ||
               requires { c.on_predict_batch_end(s, out); } || requires { c.on_predict_end(s); };
};
/// An object with a hook fit, evaluate or predict calls.
template <class C>
concept callback = fit_callback<C> || predict_callback<C>;

namespace detail {
template <class C>
void call_train_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_train_begin(s); }) c.on_train_begin(s);
}
template <class C>
void call_epoch_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_epoch_begin(s); }) c.on_epoch_begin(s);
}
template <class C>
void call_batch_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_train_batch_begin(s); }) c.on_train_batch_begin(s);
}
template <class C>
void call_batch_end(C& c, TrainingState& s, double loss) {
  if constexpr (requires { c.on_train_batch_end(s, loss); }) c.on_train_batch_end(s, loss);
}
template <class C>
void call_epoch_end(C& c, TrainingState& s, Logs& logs) {
  if constexpr (requires { c.on_epoch_end(s, logs); }) c.on_epoch_end(s, logs);
}
template <class C>
void call_test_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_test_begin(s); }) c.on_test_begin(s);
}
template <class C>
void call_test_batch_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_test_batch_begin(s); }) c.on_test_batch_begin(s);
}
template <class C>
void call_test_batch_end(C& c, TrainingState& s, double loss) {
  if constexpr (requires { c.on_test_batch_end(s, loss); }) c.on_test_batch_end(s, loss);
}
template <class C>
void call_test_end(C& c, TrainingState& s, const Logs& logs) {
  if constexpr (requires { c.on_test_end(s, logs); })
    c.on_test_end(s, logs);
  else if constexpr (requires { c.on_test_end(s); })
    c.on_test_end(s);
}
template <class C>
void call_predict_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_predict_begin(s); }) c.on_predict_begin(s);
}
template <class C>
void call_predict_batch_begin(C& c, TrainingState& s) {
  if constexpr (requires { c.on_predict_batch_begin(s); }) c.on_predict_batch_begin(s);
}
template <class C>
void call_predict_batch_end(C& c, TrainingState& s, std::span<const float> outputs) {
  if constexpr (requires { c.on_predict_batch_end(s, outputs); })
    c.on_predict_batch_end(s, outputs);
}
template <class C>
void call_predict_end(C& c, TrainingState& s) {
  if constexpr (requires { c.on_predict_end(s); }) c.on_predict_end(s);
}
template <class C>
void call_train_end(C& c, TrainingState& s) {
  if constexpr (requires { c.on_train_end(s); }) c.on_train_end(s);
}
/// A callback whose memory across epochs a training backup keeps.
template <class C>
concept keeps_state = requires(const C& c, C& m, std::span<const double> v) {
  { c.backup_state() } -> std::convertible_to<std::vector<double>>;
  m.restore_state(v);
};
template <class C>
consteval bool needs_validation() {
  if constexpr (requires { C::needs_validation; }) {
    return C::needs_validation;
  } else {
    return false;
  }
}
}  // namespace detail

}  // namespace fitcheck
