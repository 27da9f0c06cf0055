// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <functional>
#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/data/batch.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/shard.hpp>
#include <fitcheck/data/tensor_slices.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/nn/compatibility.hpp>
#include <fitcheck/nn/metrics.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/backup.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks/backup_and_restore.hpp>
#include <fitcheck/train/class_weights.hpp>
#include <fitcheck/train/data_parallel.hpp>
#include <fitcheck/train/guards.hpp>
#include <fitcheck/train/host_engine.hpp>
#include <fitcheck/train/logs.hpp>
#include <fitcheck/train/memory.hpp>
#include <fitcheck/train/preflight.hpp>
#include <fitcheck/train/progress.hpp>
#include <fitcheck/train/summary.hpp>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
#include <xtensor/xtensor.hpp>
#if FITCHECK_GPU_BACKEND
#include <fitcheck/train/device_engine.hpp>
#endif

namespace fitcheck {

/// Validation data for `fit`: `fit(train, Epochs{10}, Validation{val})`, evaluated after every
/// epoch into "val_loss" and "val_<metric>".
template <data::dataset V>
struct Validation {
  /// The validation pipeline.
  V& data;
};
template <data::dataset V>
Validation(V&) -> Validation<V>;

namespace detail {
template <class Loss>
inline constexpr bool reads_logits = [] {
  if constexpr (requires { Loss::from_logits; }) return bool(Loss::from_logits);
  return false;
}();

template <class T>
inline constexpr bool is_validation = false;
template <class V>
inline constexpr bool is_validation<Validation<V>> = true;
template <class T>
inline constexpr bool is_metrics = false;
template <class... Ms>
inline constexpr bool is_metrics<Metrics<Ms...>> = true;

template <class... Options>
struct metrics_of {
  using type = std::tuple<>;
};
// Lazy: only a Metrics<...> option is asked for its ::type (a MemoryBudget has none).
template <class First, class... Rest>
struct metrics_of<First, Rest...> {
  using type = typename std::conditional_t<is_metrics<First>, First, metrics_of<Rest...>>::type;
};

// The backend tag named among a Model's options (kernels/backend.hpp), else the host CPU.
template <class... Options>
struct backend_among {
  using type = cpu_t;
};
template <class First, class... Rest>
struct backend_among<First, Rest...> {
  using type = std::conditional_t<is_backend_tag<First>, First,
                                  typename backend_among<Rest...>::type>;
};
template <class... Options>
using backend_of = typename backend_among<Options...>::type;

// The first argument of type T among args, if any.
template <class T, class... Args>
std::optional<T> find_arg(const Args&... args) {
  std::optional<T> found;
  [[maybe_unused]] auto look = [&](const auto& a) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(a)>, T>) {
      if (!found) found = a;
    }
  };
  (look(args), ...);
  return found;
}

// The MemoryBudget among a Model's options, void when none is stated.
template <class... Options>
struct budget_of {
  using type = void;
};
template <class First, class... Rest>
struct budget_of<First, Rest...> {
  using type =
      std::conditional_t<is_memory_budget<First>, First, typename budget_of<Rest...>::type>;
};

// The batch size of a pipeline when its type fixes it (`batch<N>()` upstream, through the
// stages after it); 0 for a run-time `batch(n)` or no batch stage.
template <class P>
struct static_batch_of {
  static constexpr std::size_t value = [] {
    if constexpr (requires(const P& p) { p.source(); })
      return static_batch_of<
          std::remove_cvref_t<decltype(std::declval<const P&>().source())>>::value;
    else
      return std::size_t{0};
  }();
};
template <data::dataset S, std::size_t N, bool D>
struct static_batch_of<data::Batch<S, N, D>> {
  static constexpr std::size_t value = N == data::dynamic_size ? 0 : N;
};

template <class P, class Net>
consteval bool pipeline_fits_model() {
  using E = data::element_t<P>;
  static_assert(data::batch_data<E>,
                "fit: the pipeline yields single samples, but a model trains on batches. Fix: end "
                "the pipeline with batch<N>(), e.g. source | shuffle(n) | batch<32>()");
  if constexpr (data::batch_data<E>) {
    static_assert(!Net::has_input ||
                      std::is_same_v<typename E::features_type::shape, typename Net::input_shape>,
                  "fit: the data's feature shape differs from the model's Input shape [C1]. "
                  "Fix: declare Input<...> with the data's Features, or select the right "
                  "columns");
  }
  return true;
}

template <class P, bool HasSteps>
consteval bool finite_or_steps() {
  static_assert(!P::static_cardinality.is_infinite() || HasSteps,
                "fit: the pipeline is infinite (repeat() with no count), so an epoch would never "
                "end: training is stuck at epoch 1 [A1]. Fix: pass StepsPerEpoch{n} to "
                "fit (n batches per epoch, e.g. the data size / batch size), or write repeat(n) "
                "or no repeat at all");
  return true;
}

// What fit accepts besides the pipeline and the epoch count: options and callbacks. Anything
// else would be ignored silently (a misspelt hook, a stray number), so it does not compile.
template <class T>
inline constexpr bool is_fit_option =
    std::is_same_v<T, StepsPerEpoch> || std::is_same_v<T, StepsPerExecution> ||
    std::is_same_v<T, ValidationSteps> ||
    std::is_same_v<T, Verbose> || std::is_same_v<T, Preflight> ||
    std::is_same_v<T, NumericGuards> || is_validation<T> || is_data_parallel<T> ||
    is_class_weights<T>;
template <std::size_t N>
inline constexpr bool is_fit_option<StaticStepsPerEpoch<N>> = true;

template <class T>
inline constexpr bool is_reference_wrapper = false;
template <class T>
inline constexpr bool is_reference_wrapper<std::reference_wrapper<T>> = true;

// [C1], [C2] for the validation data: it is scored by the same model and loss, so its
// features and labels must be those of the training data.
template <class Train, class Arg>
consteval bool validation_matches() {
  if constexpr (is_validation<Arg>) {
    using V = std::remove_cvref_t<decltype(std::declval<Arg>().data)>;
    using T = data::element_t<Train>;
    using E = data::element_t<V>;
    static_assert(data::batch_data<E>,
                  "fit: the validation pipeline yields single samples, but the model evaluates "
                  "batches. Fix: end the validation pipeline with batch<N>() too");
    static_assert(!V::traits.augmented,
                  "fit: the validation pipeline augments its images, so val_loss measures the "
                  "model on transformed images and a checkpoint or early stop picks on noise "
                  "[G4]. Fix: leave augment() out of the validation pipeline (augment the "
                  "training data only)");
    if constexpr (data::batch_data<E> && data::batch_data<T>) {
      static_assert(std::is_same_v<typename E::features_type::shape,
                                   typename T::features_type::shape>,
                    "fit: the validation data's feature shape differs from the training data's "
                    "[C1]. Fix: build the validation pipeline from the same columns, with the "
                    "same Features<...>");
      static_assert(std::is_same_v<typename E::label_type, typename T::label_type>,
                    "fit: the validation data's label kind differs from the training data's "
                    "(for example ClassLabel<10> against OneHotLabel<10>): the loss would read "
                    "its labels wrongly and val_loss would be meaningless [C2]. Fix: declare the "
                    "same label kind for both pipelines");
    }
  }
  return true;
}

// [G4] for evaluate and predict: they score the data as it is.
template <class P>
consteval bool not_augmented() {
  static_assert(!P::traits.augmented,
                "evaluate / predict: the pipeline augments its images, so the scores (or "
                "predictions) are of randomly transformed images, different every call [G4]. "
                "Fix: evaluate and predict on a pipeline without augment()");
  return true;
}

// What evaluate (Evaluate) and predict accept besides the data: ValidationSteps{n} (evaluate
// only), Verbose{...} and callbacks with a hook the call makes; anything else would be ignored
// silently.
template <bool Evaluate, class... Args>
consteval bool pass_arguments() {
  static_assert((!is_reference_wrapper<Args> && ...),
                "evaluate / predict: a callback passed as std::ref(c): they already take their "
                "callbacks by reference, so the caller's object sees every hook [F1]. Fix: pass "
                "c itself");
  if constexpr (Evaluate)
    static_assert(((std::is_same_v<Args, ValidationSteps> || std::is_same_v<Args, Verbose> ||
                    evaluate_callback<Args> || is_reference_wrapper<Args>) &&
                   ...),
                  "evaluate: an argument is neither an option nor a callback with a hook "
                  "evaluate calls, so it would be ignored [F1]. evaluate takes "
                  "ValidationSteps{n}, Verbose{...} and callbacks: objects with at least one of "
                  "on_test_begin(TrainingState&), on_test_batch_begin(TrainingState&), "
                  "on_test_batch_end(TrainingState&, double), on_test_end(TrainingState&, const "
                  "Logs&), on_test_end(TrainingState&). Fix: "
                  "remove the argument, or check the spelling and signature of the callback's "
                  "hooks");
  else
    static_assert(((std::is_same_v<Args, Verbose> || predict_callback<Args> ||
                    is_reference_wrapper<Args>) &&
                   ...),
                  "predict: an argument is neither an option nor a callback with a hook predict "
                  "calls, so it would be ignored [F1]. predict takes Verbose{...} and callbacks: "
                  "objects with at least one of on_predict_begin(TrainingState&), "
                  "on_predict_batch_begin(TrainingState&), "
                  "on_predict_batch_end(TrainingState&, std::span<const float>), "
                  "on_predict_end(TrainingState&). Fix: remove the argument, or check the "
                  "spelling and signature of the callback's hooks");
  static_assert((std::size_t{std::is_same_v<Args, ValidationSteps>} + ... + 0) <= 1 &&
                    (std::size_t{std::is_same_v<Args, Verbose>} + ... + 0) <= 1,
                "evaluate / predict: an option is given twice, so one would be ignored [F1]. "
                "Fix: pass ValidationSteps and Verbose at most once each");
  return true;
}

// Calls `hook` on `a` when `a` is a callback (the options fit, evaluate and predict take
// beside them are not).
template <class Hook, class A>
void for_callback(Hook& hook, A& a) {
  if constexpr (callback<std::remove_cvref_t<A>>) hook(a);
}
// evaluate's and predict's hooks: `hooks(h)` calls h on the progress bar, then on each callback
// among `args`.
template <class... Args>
auto pass_hooks(ProgressBar& progress, Args&... args) {
  return [&progress, &args...](auto&& hook) {
    hook(progress);
    (for_callback(hook, args), ...);
  };
}

template <class Pipeline, class EpochCount, class... Args>
consteval bool fit_arguments() {
  static_assert(!std::is_const_v<std::remove_reference_t<Pipeline>>,
                "fit: the pipeline is const, but training advances it (its shuffle order, its "
                "position) [F1]. Fix: pass the pipeline itself, not a const reference to it");
  static_assert(std::is_convertible_v<EpochCount, Epochs> || count_integer<EpochCount>,
                "fit: the second argument is the number of epochs: a positive integer, "
                "Epochs{n} or epochs<N> [F1]. Fix: fit(train, 10, ...) or fit(train, Epochs{10}, "
                "...)");
  static_assert((!is_reference_wrapper<Args> && ...),
                "fit: a callback passed as std::ref(c): fit already takes its callbacks by "
                "reference, so the caller's object sees every hook [F1]. Fix: pass c itself");
  static_assert(((is_fit_option<Args> || fit_callback<Args> || is_reference_wrapper<Args>) &&
                 ...),
                "fit: an argument is neither an option nor a callback, so it would be ignored [F1]. "
                "fit takes StepsPerEpoch{n}, steps_per_epoch<N>, StepsPerExecution{n}, "
                "Validation{data}, ValidationSteps{n}, Verbose{...}, Preflight{...}, "
                "NumericGuards{...}, ClassWeights{...}, DataParallel{world} and "
                "callbacks: objects with at least one of on_train_begin(TrainingState&), "
                "on_epoch_begin(TrainingState&), on_train_batch_begin(TrainingState&), "
                "on_train_batch_end(TrainingState&, double), on_test_begin(TrainingState&), "
                "on_test_batch_end(TrainingState&, double), "
                "on_test_end(TrainingState&), on_epoch_end(TrainingState&, Logs&), "
                "on_train_end(TrainingState&). Fix: remove the argument, or check the spelling "
                "and signature of the callback's hooks");
  static_assert((std::size_t{is_class_weights<Args>} + ... + 0) <= 1,
                "fit: two ClassWeights: a sample's class has one weight [F1]. Fix: pass one "
                "ClassWeights");
  if constexpr ((is_class_weights<Args> || ...)) {
    using L = typename data::element_t<std::remove_cvref_t<Pipeline>>::label_type;
    static_assert(is_single_class_label<L>,
                  "fit: ClassWeights weigh each sample by its class, but these labels are not "
                  "classes (multi-label or regression targets) [F1]. Fix: leave ClassWeights out, "
                  "or label the data with BinaryLabel, ClassLabel<K> or OneHotLabel<K>");
  }
  using backup_t = callbacks::BackupAndRestore;
  static_assert((std::size_t{std::is_same_v<std::remove_cvref_t<Args>, backup_t>} + ... + 0) <= 1,
                "fit: two BackupAndRestore callbacks: a run has one training state, and a resumed "
                "fit could not tell which backup to continue. Fix: pass one BackupAndRestore");
  return (validation_matches<std::remove_cvref_t<Pipeline>, Args>() && ...);
}

template <class T>
inline constexpr std::size_t static_steps_of = 0;
template <std::size_t N>
inline constexpr std::size_t static_steps_of<StaticStepsPerEpoch<N>> = N;
template <class T>
inline constexpr std::size_t static_epochs_of = 0;
template <std::size_t N>
inline constexpr std::size_t static_epochs_of<StaticEpochs<N>> = N;

// [A2] when every fact is static: steps x epochs batches from a pipeline that holds fewer.
template <class P, std::size_t Steps, std::size_t Epochs_>
consteval bool enough_batches() {
  constexpr Cardinality c = P::static_cardinality;
  if constexpr (Steps != 0 && Epochs_ != 0 && c.is_exact()) {
    static_assert(c.count >= Steps * Epochs_,
                  "fit: steps_per_epoch x epochs need more batches than the pipeline holds, so "
                  "training runs out of data after the first epochs [A2]. Fix: add "
                  "repeat() before batch so the data cycles, or lower steps_per_epoch to the "
                  "batches one pass holds");
  }
  return true;
}

// A Model is used by one thread at a time: fit on one thread and predict on another would race
// on the same buffers and return garbage with no sign of it. Each entry point takes the model for
// its thread (one compare-and-swap); another thread finds it taken and gets an argument_error
// naming both operations. The same thread may enter again (fit runs evaluate for validation; a
// callback may predict). Copies and moves start free.
class single_user {
public:
  single_user() = default;
  single_user(const single_user&) noexcept {}
  single_user& operator=(const single_user&) noexcept { return *this; }

  class lease {
  public:
    explicit lease(single_user* u) noexcept : u_(u) {}
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() {
      if (u_ != nullptr) {
        u_->what_.store(nullptr, std::memory_order_relaxed);
        u_->owner_.store(nullptr, std::memory_order_release);
      }
    }

  private:
    single_user* u_;
  };

  /// Takes the model for this thread during `what` ("fit"); released when the lease ends.
  [[nodiscard]] lease enter(const char* what) {
    const void* expected = nullptr;
    if (owner_.compare_exchange_strong(expected, this_thread(), std::memory_order_acquire)) {
      what_.store(what, std::memory_order_relaxed);
      return lease(this);
    }
    if (expected == this_thread()) return lease(nullptr);
    const char* other = what_.load(std::memory_order_relaxed);
    throw argument_error(std::string(what) + ": this model is in use on another thread (" +
                             (other != nullptr ? other : "an operation") +
                             "): one model must not be used by two threads at once, which would "
                             "race on its parameters and buffers [F2]",
                         "wait for the other call to return (join the thread), or give each "
                         "thread its own Model");
  }

private:
  static const void* this_thread() noexcept {
    static thread_local const char tag = 0;
    return &tag;
  }
  std::atomic<const void*> owner_{nullptr};
  std::atomic<const char*> what_{nullptr};
};

// Whether every metric of a Model's tuple keeps backup_state/restore_state (nn/metrics.hpp).
template <class M>
concept backed_up_metric = requires(const M& m, M& w, std::span<const double> v) {
  m.backup_state();
  w.restore_state(v);
};
template <class T>
struct metrics_backed;
template <class... Ms>
struct metrics_backed<std::tuple<Ms...>> {
  static constexpr bool value = (backed_up_metric<Ms> && ... && true);
};

// The BackupAndRestore among fit's arguments, if any.
template <class... Args>
callbacks::BackupAndRestore* backup_among(Args&... args) noexcept {
  callbacks::BackupAndRestore* found = nullptr;
  [[maybe_unused]] auto look = [&](auto& a) {
    using A = std::remove_reference_t<decltype(a)>;
    static_assert(!std::is_same_v<A, const callbacks::BackupAndRestore>,
                  "fit: the BackupAndRestore is const, but fit records in it whether it resumed "
                  "and how many backups it wrote. Fix: pass a non-const BackupAndRestore");
    if constexpr (std::is_same_v<A, callbacks::BackupAndRestore>)
      if (found == nullptr) found = &a;
  };
  (look(args), ...);
  return found;
}

// The DataParallel among fit's arguments (its type), void when none.
template <class... Args>
struct data_parallel_among {
  using type = void;
};
template <class First, class... Rest>
struct data_parallel_among<First, Rest...> {
  using type = std::conditional_t<is_data_parallel<First>, First,
                                  typename data_parallel_among<Rest...>::type>;
};
// The meetings of a fit without DataParallel: none (train/data_parallel.hpp).
struct no_lockstep {};

template <class P, class DP, bool OnDevice, bool MetricsBacked, class... Args>
consteval bool data_parallel_fits() {
  if constexpr (!std::is_void_v<DP>) {
    static_assert((std::size_t{is_data_parallel<Args>} + ... + 0) == 1,
                  "fit: two DataParallel options: a fit trains in one group of processes. Fix: "
                  "pass one DataParallel{world}");
    static_assert(!OnDevice,
                  "fit: DataParallel sums the gradients of processes training on the host CPU; "
                  "the GPU engine (fc::cuda_t) cannot sum them across processes yet. Fix: leave "
                  "fc::cuda_t out of the Model's options to train with DataParallel, or train on "
                  "one GPU without DataParallel");
    static_assert(DP::user_shards || P::traits.sharded,
                  "fit with DataParallel: the training pipeline has no shard stage, so every "
                  "process would train on the same samples: the same data N times over, no "
                  "faster [H1]. Fix: shard right after the source: source | shard(world) | "
                  "shuffle(n) | batch<32>(); or pass DataParallel{world, fc::sharded_by_user} "
                  "when each process reads its own files");
    static_assert(MetricsBacked,
                  "fit with DataParallel: a metric cannot say what it has counted "
                  "(backup_state() / restore_state()), so its counts cannot be summed over the "
                  "processes. Fix: give the metric the two members (nn/metrics.hpp), or leave it "
                  "out");
  }
  return true;
}

// [H1] at run time: every shard stage of a process's pipeline (one per joined pipeline) is that
// process's.
template <class P>
void check_shard(const P& pipeline, const char* which, std::size_t rank, std::size_t size) {
  data::detail::for_each_shard(pipeline, [&](std::size_t count, std::size_t index) {
    if (count == size && index == rank) return;
    throw argument_error(
        std::string("fit with DataParallel: the ") + which + " pipeline of rank " +
            std::to_string(rank) + " of " + std::to_string(size) + " reads shard(" +
            std::to_string(count) + ", " + std::to_string(index) + "), not its own shard(" +
            std::to_string(size) + ", " + std::to_string(rank) +
            "), so processes would read the same samples or miss some [H1]",
        "write shard(world), which takes the number of processes and this process's rank from "
        "the group");
  });
}

template <class C, bool HasValidation>
consteval bool validation_if_needed() {
  static_assert(!needs_validation<C>() || HasValidation,
                "fit: a callback monitors a validation metric (val_...), but fit has no "
                "validation data, so it would never see a value. Fix: pass Validation{val} to "
                "fit, or monitor a training metric such as \"loss\"");
  return true;
}
}  // namespace detail

/// A network, its loss, and the step engine that trains it: parameters, gradients, optimizer
/// state and activation buffers, all sized once. `Options` may hold `Metrics<...>`,
/// `MemoryBudget<Bytes>` ([E1]: checked at compile time for a static batch size, before
/// the first step otherwise), a backend tag: `fc::cuda_t` trains on the GPU (docs/gpu.md),
/// the host CPU otherwise, and on the GPU a `Precision<...>` policy for its matrix products. Model is written once over the engine interface
/// (train/engine.hpp): nothing here depends on the backend.
template <class Net, class Loss, class... Options>
class Model {
 public:
  /// The Sequential network.
  using network = Net;
  /// The loss.
  using loss_type = Loss;
  /// The metrics kept (a std::tuple).
  using metrics_type = typename detail::metrics_of<Options...>::type;
  /// The MemoryBudget option, void when none is stated.
  using memory_budget = typename detail::budget_of<Options...>::type;
  /// fc::cuda_t when named among the options, fc::cpu_t otherwise.
  using backend_type = detail::backend_of<Options...>;
  /// The backend's step engine (train/engine.hpp).
  using engine_type = typename detail::engine_for<backend_type, Net, Loss>::type;
  static_assert(step_engine<engine_type>);
  /// What the layers' matrix products compute in (the Precision option; float32 by default).
  static constexpr precision precision_policy = detail::precision_among<Options...>();
  static_assert(detail::precision_fits<engine_type, precision_policy>());
  /// True when parameters, gradients and activations live in device memory (fc::cuda_t).
  static constexpr bool on_device = engine_type::on_device;
  /// The number of layers.
  static constexpr std::size_t depth = Net::depth;
  /// Output values per sample.
  static constexpr std::size_t output_size = Net::output_size;
  /// True when metrics are kept.
  static constexpr bool has_metrics = std::tuple_size_v<metrics_type> > 0;

  /// A model with its parameters initialised from `seed` (the same seed, the same parameters, bit
  /// for bit); bad hyperparameters are an argument_error.
  explicit Model(optim::Optimizer optimizer = optim::Adam{}, Seed seed = Seed{0})
      : optimizer_(std::move(optimizer)) {
    engine_.build(optimizer_, precision_policy);
    Rng rng(seed.value);
    net_.init(engine_.parameters(), rng);
  }

  /// All trainable parameters, layer after layer (Dense: kernel (in x out), then bias).
  /// On fc::cuda_t these are host copies: each call copies the device values into them, and
  /// values written through the returned span reach the device before the next step.
  [[nodiscard]] std::span<float> parameters() noexcept(!on_device) {
    return engine_.parameters();
  }
  /// All trainable parameters (read only).
  [[nodiscard]] std::span<const float> parameters() const noexcept(!on_device) {
    return std::as_const(engine_).parameters();
  }
  /// The gradients of the last training step, laid out as `parameters()` (on fc::cuda_t, copied
  /// from the device by this call).
  [[nodiscard]] std::span<const float> gradients() const noexcept(!on_device) {
    return engine_.gradients();
  }
  /// The parameters of layer I (on fc::cuda_t: host copies, as `parameters()`).
  template <std::size_t I>
  [[nodiscard]] std::span<float> layer_parameters() noexcept(!on_device) {
    return parameters().subspan(Net::param_offsets[I], Net::param_counts[I]);
  }
  /// The network (e.g. nn::adapt on a Normalization layer).
  [[nodiscard]] Net& network_layers() noexcept { return net_; }
  /// The network (read only: save_weights reads its layer state).
  [[nodiscard]] const Net& network_layers() const noexcept { return net_; }
  /// The optimizer (its learning rate, its step count).
  [[nodiscard]] optim::Optimizer& optimizer() noexcept { return optimizer_; }

  /// With an optimizer that keeps a moving average of the weights (use_ema), replaces the
  /// weights by it, as fit does when it ends (Keras' `optimizer.finalize_variable_values`): for
  /// a loop of train_step calls. Nothing before the first update, or without use_ema.
  void use_average_weights() {
    if (!optimizer_.keeps_average() || optimizer_.iterations() == 0) return;
    const std::vector<float> average = engine_.optimizer_slot(optim::ema_slot);
    std::ranges::copy(average, engine_.parameters().begin());
  }

private:
  // Exchanges the weights and the optimizer's moving average of them (SwapEMAWeights, through
  // TrainingState::average). Nothing before the first update: the average is not yet made.
  void swap_average_weights() {
    if (optimizer_.iterations() == 0) return;
    const std::vector<float> average = engine_.optimizer_slot(optim::ema_slot);
    const std::span<float> weights = engine_.parameters();
    engine_.load_optimizer_slot(optim::ema_slot, weights);
    std::ranges::copy(average, weights.begin());
  }

  // The summary's words for the options that keep state of their own.
  std::string optimizer_options() const {
    return std::visit(
        [](const auto& o) {
          std::string words;
          if constexpr (requires { o.amsgrad; })
            if (o.amsgrad) words += ", AMSGrad";
          if (o.gradient_accumulation_steps > 1)
            words += ", an update every " + std::to_string(o.gradient_accumulation_steps) +
                     " steps (gradient accumulation)";
          if (o.use_ema)
            words += ", a moving average of the weights (momentum " +
                     format_number(o.ema_momentum) + ")";
          return words;
        },
        optimizer_.settings());
  }

public:
  /// Keras' `model.summary()`: a row per layer (Keras' name and the type, the output shape, the
  /// parameter count), the total, trainable and non-trainable counts, the optimizer's state, the
  /// loss, the metrics and the backend; with `batch`, the memory fit plans for a batch of that
  /// size (what [E1] checks before the first step). `std::cout << model.summary();`
  [[nodiscard("print it: std::cout << model.summary()")]] std::string summary(
      std::optional<BatchSize> batch = std::nullopt) const {
    const std::size_t slots = slots_of(optimizer_).per_parameter * Net::param_count;
    std::vector<std::string> extra{
        "Optimizer params: " + format_count(slots) + " (" + format_bytes(slots * sizeof(float)) +
            "): " + optimizer_.name() + ", learning rate " +
            format_number(optimizer_.learning_rate()) +
            (optimizer_.has_schedule() ? " (a schedule, at its current step)" : "") +
            optimizer_options(),
        std::string("Loss: ") + Loss::name + (detail::reads_logits<Loss> ? ", from logits" : "")};
    if constexpr (has_metrics)
      extra.push_back("Metrics: " + []<class... Ms>(std::tuple<Ms...>*) {
        std::string names;
        ((names += (names.empty() ? "" : ", ") + std::string(Ms::name)), ...);
        return names;
      }(static_cast<metrics_type*>(nullptr)));
    if constexpr (on_device) {
      constexpr const char* math[] = {"float32", "tf32", "bf16"};
      extra.push_back(std::string("Backend: GPU (fc::cuda_t), matrix products in ") +
                      math[static_cast<int>(precision_policy)]);
    } else {
      extra.push_back(std::is_same_v<backend_type, cpu_t>
                          ? "Backend: CPU (fc::cpu_t)"
                          : "Backend: scalar reference (fc::reference_t)");
    }
    if (batch) {
      const memory_plan plan = plan_for<void>(batch->value);
      extra.push_back("Memory to train at batch " + std::to_string(plan.batch) + ": " +
                      format_bytes(plan.total()) + " (" + detail::plan_parts(plan) + ")");
    }
    return network_summary<Net>(extra);
  }

  /// One training step on one batch: forward, loss, backward, update. Returns the batch loss.
  /// Allocates nothing once buffers exist for the batch's capacity.
  template <class F, class L>
  double train_step(const data::BatchData<F, L>& batch) {
    static_assert(nn::loss_fits<Loss, typename Net::last_spec, output_size, L>());
    const auto lease = user_.enter("train_step");
    engine_.enqueue_step(net_, batch, optimizer_, false, false);
    return engine_.finish_step(optimizer_);
  }

  /// Trains on `train` for `epochs`. Further arguments, in any order: StepsPerEpoch (required
  /// when the pipeline is infinite), Validation{val}, ValidationSteps, Verbose, Preflight (the
  /// data scan before the first step), NumericGuards (on by default: [D3]-[D5]), and
  /// callbacks. Before the first step it also checks the memory the batch needs against the free
  /// memory and the model's MemoryBudget, if any (E1). Step i is queued on the engine, the
  /// pipeline makes batch i + 1 (an asynchronous engine, fc::cuda_t, starts its upload), and only
  /// then does fit wait for step i's loss; the results are those of one train_step per batch
  /// (docs/gpu.md, copy and compute overlap).
  ///
  /// With `DataParallel{world}` the same fit runs in every process of `world`, each on its shard
  /// of the data, and every step's gradients are averaged over the processes' samples
  /// (train/data_parallel.hpp, docs/distributed.md).
  template <class Pipeline, class EpochCount, class... Args>
    requires data::dataset<std::remove_cvref_t<Pipeline>>
  History fit(Pipeline&& train, EpochCount epoch_count, Args&&... args) {
    using DP = typename detail::data_parallel_among<std::remove_cvref_t<Args>...>::type;
    if constexpr (std::is_void_v<DP>) {
      detail::no_lockstep lock;
      return fit_run<detail::no_lockstep, Pipeline, EpochCount, Args...>(lock, train, epoch_count,
                                                                       args...);
    } else {
      static_assert(detail::data_parallel_fits<std::remove_cvref_t<Pipeline>, DP, on_device,
                                               metrics_backed_up,
                                               std::remove_cvref_t<Args>...>());
      const DP& dp = std::get<0>(std::tuple_cat(pick_option<DP>(args)...));
      using lock_t = detail::lockstep<std::remove_cvref_t<decltype(dp.group)>>;
      lock_t lock(dp.group);
      try {
        return fit_run<lock_t, Pipeline, EpochCount, Args...>(lock, train, epoch_count, args...);
      } catch (...) {
        lock.fail(std::current_exception());
      }
    }
  }

private:
  // fit's body; `lock` is the data-parallel meetings (detail::no_lockstep without DataParallel).
  template <class Lock, class Pipeline, class EpochCount, class... Args>
  History fit_run(Lock& lock, std::remove_reference_t<Pipeline>& train, EpochCount epoch_count,
                  std::remove_reference_t<Args>&... args) {
    constexpr bool distributed = !std::is_same_v<Lock, detail::no_lockstep>;
    using P = std::remove_cvref_t<Pipeline>;
    static_assert(detail::fit_arguments<Pipeline, EpochCount, std::remove_cvref_t<Args>...>());
    static_assert(detail::pipeline_fits_model<P, Net>());
    const auto lease = user_.enter("fit");
    using E = data::element_t<P>;
    static_assert(
        nn::loss_fits<Loss, typename Net::last_spec, output_size, typename E::label_type>());
    prepare_metrics<typename E::label_type>();
    constexpr std::size_t static_steps =
        (detail::static_steps_of<std::remove_cvref_t<Args>> + ... + 0);
    constexpr bool has_steps =
        static_steps != 0 || (std::is_same_v<std::remove_cvref_t<Args>, StepsPerEpoch> || ...);
    static_assert(detail::enough_batches<P, static_steps, detail::static_epochs_of<EpochCount>>());
    const Epochs epochs(epoch_count);
    constexpr bool has_validation = (detail::is_validation<std::remove_cvref_t<Args>> || ...);
    static_assert(detail::finite_or_steps<P, has_steps>());
    static_assert(
        (detail::validation_if_needed<std::remove_cvref_t<Args>, has_validation>() && ...));

    std::optional<StepsPerEpoch> steps = detail::find_arg<StepsPerEpoch>(args...);
    if constexpr (static_steps != 0) steps = StepsPerEpoch{static_steps};
    const std::optional<ValidationSteps> val_steps = detail::find_arg<ValidationSteps>(args...);
    Verbose verbose = detail::find_arg<Verbose>(args...).value_or(Verbose{});
    if constexpr (distributed) {
      if (lock.rank() != 0) verbose.level = 0;  // one progress bar for the group: rank 0's
    }
    preflight_steps(train, epochs, steps);
    constexpr std::size_t static_batch = detail::static_batch_of<P>::value;
    if constexpr (!std::is_void_v<memory_budget> && static_batch != 0)
      static_assert(memory_budget::template check<Net, static_batch, optimizer_slots::most,
                                                  typename E::label_type>());
    // [E1] on the numbers, before anything is allocated (the data scan builds a batch).
    const memory_plan plan =
        plan_for<typename E::label_type>(data::detail::batch_capacity(train));
    std::size_t budget = std::numeric_limits<std::size_t>::max();
    if constexpr (!std::is_void_v<memory_budget>) budget = memory_budget::bytes;
    check_memory(plan, budget, engine_.available_memory(), on_device);
    // The data scan reads a copy of the pipeline, so the training order is unchanged by it.
    const preflight_report scanned =
        preflight_scan<Net>(train, detail::find_arg<Preflight>(args...).value_or(Preflight{}));
    detail::numeric_guard<Net> guard(detail::find_arg<NumericGuards>(args...).value_or(NumericGuards{}));
    const bool guarded = guard.options().enabled;
    // Keras' class_weight: the training loss of this fit only.
    std::vector<float> class_weights;
    if (const auto cw = detail::find_arg<ClassWeights>(args...)) {
      using L = typename E::label_type;
      if (cw->values.size() != L::classes)
        throw argument_error("fit: ClassWeights has " + std::to_string(cw->values.size()) +
                                 " weights, but the labels have " + std::to_string(L::classes) +
                                 " classes [F1]",
                             "give one weight per class, in class order (classes 0 to " +
                                 std::to_string(L::classes - 1) + ")");
      class_weights = cw->values;
    }
    struct weights_scope {
      engine_type& engine;
      ~weights_scope() {
        try {
          engine.set_class_weights({});
        } catch (...) {  // a device already failing; the next fit sets the weights anew
        }
      }
    } weights_in_use{engine_};
    engine_.set_class_weights(class_weights);

    ProgressBar progress(verbose);
    TrainingState state = callback_state<Args...>(false);
    state.epochs = epochs.value;
    state.has_validation = has_validation;
    if (steps) {
      state.steps_per_epoch = steps->value;
    } else if (const Cardinality c = train.cardinality(); c.is_exact()) {
      state.steps_per_epoch = c.count;
    }
    auto for_callbacks = [&](auto&& hook) {
      hook(progress);
      (
          [&](auto& a) {
            if constexpr (callback<std::remove_cvref_t<decltype(a)>>) hook(a);
          }(args),
          ...);
    };

    History history;
    // With StepsPerEpoch one pass continues across epochs (as Keras does); without, each epoch
    // is a fresh pass of the pipeline.
    std::optional<data::epoch_iterator<P>> it;
    std::size_t total_batches = 0;
    std::size_t e = 0;
    // BackupAndRestore: continue an interrupted run where its last backup left it.
    auto each_callback = [&](auto&& f) {
      (
          [&](auto& a) {
            if constexpr (callback<std::remove_cvref_t<decltype(a)>>) f(a);
          }(args),
          ...);
    };
    callbacks::BackupAndRestore* const backup = detail::backup_among(args...);
    // The backup's code (its checks, files and replay) is compiled only for a fit given a
    // BackupAndRestore: most are not, and it is a large part of what fit costs a compile.
    constexpr bool backs_up =
        (std::is_same_v<std::remove_cvref_t<Args>, callbacks::BackupAndRestore> || ...);
    if constexpr (distributed) {
      state.rank = lock.rank();
      state.processes = lock.size();
      detail::check_shard(train, "training", lock.rank(), lock.size());
      if constexpr (has_validation)
        detail::check_shard(std::get<0>(std::tuple_cat(pick_validation(args)...)).data,
                            "validation", lock.rank(), lock.size());
      // The first meeting: every process has set up (or says why it could not), and they agree
      // on what makes their later meetings match.
      lock.agree(false, false);
      const double facts[] = {double(Net::param_count),
                              double(Net::state_count),
                              double(epochs.value),
                              double(steps ? steps->value : 0),
                              double(has_validation),
                              double(val_steps ? val_steps->value : 0),
                              double(metrics_state().size()),
                              double(backup != nullptr),
                              detail::fingerprint(class_weights)};
      static constexpr const char* names[] = {
          "the model's parameter count", "the model's layer state count", "the epoch count",
          "StepsPerEpoch", "whether there is validation data", "ValidationSteps",
          "the metrics", "whether there is a BackupAndRestore",
          "the ClassWeights (compared by a checksum of their values)"};
      lock.same_everywhere(facts, names);
      // One starting point: rank 0's parameters and layer state (its adapted Normalization).
      lock.from_root(engine_.parameters());
      broadcast_layer_state(lock);
    }
    const detail::run_shape shape{steps ? steps->value : 0, data::detail::batch_capacity(train),
                                  metrics_state().size(), class_weights};
    using training_backup = detail::training_backup<Net, engine_type>;
    std::optional<training_backup> resumed;
    detail::run_position at;  // where this fit starts: nothing done, or the backup's position
    if constexpr (backs_up) {
      if (backup != nullptr) {
        backup->note_started();
        if constexpr (distributed) {
          backup->note_group(lock.rank(), lock.size());
          if (backup->save_freq > 0)
            throw argument_error(
                "BackupAndRestore: save_freq with DataParallel: backups within an epoch are not "
                "built for a group of processes yet",
                "leave save_freq at 0: the group backs up at the end of every epoch");
        }
        if (backup->save_freq > 0 && !metrics_backed_up)
          throw argument_error(
              "BackupAndRestore: save_freq backs up within epochs, but a metric of this model "
              "cannot say what it has counted, so a resumed epoch would report other values",
              "give the metric backup_state() and restore_state() (nn/metrics.hpp), or leave "
              "save_freq at 0 (a backup at each epoch's end)");
        if constexpr (distributed)
          resumed = training_backup::find_in_group(lock, *backup, optimizer_, shape, each_callback);
        else
          resumed = training_backup::find(*backup, optimizer_, shape, each_callback);
      }
    }
    if constexpr (backs_up) {
      if (resumed) {
        resumed->replay(train, it, steps.has_value(), distributed);
        if constexpr (has_validation)
          resumed->replay_validation(
              std::get<0>(std::tuple_cat(pick_validation(args)...)).data,
              val_steps ? std::optional<std::size_t>(val_steps->value) : std::nullopt);
        at = resumed->position();
        e = at.epochs;
        total_batches = at.total_batches;
      }
    }
    state.initial_epoch = e;
    // Callbacks read (checkpoints) and may write (restoring weights) the parameters; on an engine
    // with its own memory, this span is its host copy, refreshed before each such callback.
    state.parameters = engine_.parameters();
    for_callbacks([&](auto& c) { detail::call_train_begin(c, state); });
    if constexpr (backs_up) {
      if (resumed && backup != nullptr) {  // (a resumed fit has a backup: said for the compiler)
        resumed->restore_callbacks(each_callback);
        resumed->restore_model(net_, engine_, optimizer_, guard, history);
        if (at.steps_in_epoch > 0) restore_metrics(resumed->metrics());
        backup->note_resumed(e);
        if (verbose.level != 0) {
          const std::string where =
              at.steps_in_epoch > 0 ? "at step " + std::to_string(at.steps_in_epoch + 1) +
                                          " of epoch " + std::to_string(e + 1)
                                    : "after epoch " + std::to_string(e);
          std::printf("Resuming %s of %zu from the backup %s\n", where.c_str(), epochs.value,
                      backup->file().c_str());
        }
      }
    }
    // Steps fit may queue before it reads the first one's results: an asynchronous engine's
    // StepsPerExecution, one otherwise (a host engine finishes each step as it is queued).
    const std::size_t window = on_device && !distributed
                                   ? detail::find_arg<StepsPerExecution>(args...)
                                         .value_or(StepsPerExecution{1})
                                         .value
                                   : 1;
    if constexpr (on_device) engine_.steps_in_flight(window);
    // An exception leaves steps queued whose results no one will read: train_step after this
    // fit must find its own.
    struct queued_scope {
      engine_type& engine;
      ~queued_scope() {
        if constexpr (on_device) engine.discard_queued();
      }
    } forget_unread{engine_};
    // A step queued and not yet reported: the learning rate it uses, its samples (0: a process
    // without data in a DataParallel step), and an error from making the batch after it.
    struct queued_step {
      float lr = 0;
      std::size_t held = 0;
      bool have = false;
      std::exception_ptr pull_error;
    };
    std::vector<queued_step> queue(window);  // a ring, oldest at `oldest`
    // With metrics: the labels of each step in flight, which the pipeline overwrites when it
    // makes the next batches before the step's metrics run. Sized at the first step.
    [[maybe_unused]] std::vector<typename E::label_value> held_labels;
    [[maybe_unused]] std::size_t held_stride = 0;
    // The 0-based step an allocation failure belongs to: the one running, including the
    // callbacks after it (state.step already counts it as done there).
    std::size_t running_step = 0;
    std::size_t last_epoch_steps = at.last_epoch_steps;  // what a backup's replay needs
    try {
      for (; e < epochs.value && !state.stop_training; ++e) {
        state.epoch = e;
        // An epoch a backup was written within continues at its next step: its on_epoch_begin
        // ran before the crash (what it did is in the backup), only the progress bar starts over.
        const std::size_t continue_at = std::exchange(at.steps_in_epoch, 0);
        const bool continued = continue_at > 0;
        state.step = continue_at;
        running_step = state.step;
        double loss_sum = continued ? at.loss_sum : 0;
        if (continued) {
          detail::call_epoch_begin(progress, state);
        } else {
          for_callbacks([&](auto& c) { detail::call_epoch_begin(c, state); });
          reset_metrics();
          if (!steps || !it) it.emplace(train);
        }
        bool staged = false;      // the next batch's upload has started
        bool queueing = true;     // false once the epoch's last step is queued, or after a stop
        bool epoch_over = false;  // DataParallel: the group has stopped
        std::size_t queued = 0, oldest = 0, queued_batches = 0;
        while (true) {
          // Queue steps while the window has room. One at a time while the guards read every
          // step's gradients (D5, usually the epoch's first step), and none past a step a backup
          // follows (it saves that step's weights).
          while (queueing && queued < (guarded && guard.watching_layers() ? 1 : window)) {
            const std::size_t s = state.step + queued;
            if (steps && s >= steps->value) {
              queueing = false;
              break;
            }
            if constexpr (backs_up) {
              const std::size_t f = backup != nullptr ? backup->save_freq : 0;
              if (f > 0 && (total_batches / f + 1) * f <= total_batches + queued_batches) break;
            }
            // With DataParallel a process whose data has ended takes part in the group's steps
            // with no samples until every process's has [H3].
            const bool have = *it != std::default_sentinel;
            if (!have && !distributed && queued > 0) break;  // the queued steps report first
            if (!have && steps) ran_out(e, s, total_batches, *steps, epochs, train);
            if (!have && !distributed) {
              queueing = false;
              break;
            }
            running_step = s;
            if (have) {
              // Before the step is queued: a learning rate the hook sets is this step's.
              state.batch = s;
              for_callbacks([&](auto& c) { detail::call_batch_begin(c, state); });
            }
            queued_step& q = queue[(oldest + queued) % window];
            q = {optimizer_.learning_rate(), have ? (**it).size() : 0, have, nullptr};
            if constexpr (distributed) {
              // Between this process's backward pass and the update, the group's meeting: the
              // gradients and the loss become the means over every process's samples of the step.
              typename Lock::said heard;
              auto meet = [&](std::span<float> grads, double& loss, std::size_t n) {
                heard = lock.agree(n > 0, state.stop_training, n, loss);
                if (!heard.any_batch || heard.any_stop) return false;
                lock.average_gradients(grads, n, heard);
                loss = heard.loss_sum / heard.samples;
                return true;
              };
              if (!(have ? engine_.enqueue_step(net_, **it, optimizer_, meet)
                         : engine_.enqueue_absent_step(optimizer_, meet))) {
                state.stop_training = state.stop_training || heard.any_stop;
                epoch_over = true;
                break;
              }
            } else {
              engine_.enqueue_step(net_, **it, optimizer_, staged, has_metrics);
            }
            if constexpr (has_metrics) {
              const std::size_t width = E::y_stride;
              if (have && held_labels.empty()) {
                held_stride = (**it).capacity() * width;
                held_labels.resize(window * held_stride);
              }
              if (have)
                std::copy_n((**it).y_data(), q.held * width,
                            held_labels.begin() + ((oldest + queued) % window) * held_stride);
            }
            ++queued;
            staged = false;
            // The pipeline advances while the steps run; an error from it is raised after this
            // step's callbacks, where a loop that pulled afterwards would raise it.
            try {
              if (have) ++*it;
            } catch (...) {
              q.pull_error = std::current_exception();
              queueing = false;
            }
            if (have) ++queued_batches;
          }
          if (epoch_over) break;
          if (queued == 0) break;
          // Only a batch of this epoch is staged: validation, evaluate and the next epoch's
          // first step upload through the same buffers.
          if (queueing && !staged && *it != std::default_sentinel &&
              (!steps || state.step + queued < steps->value)) {
            engine_.stage(**it);
            staged = true;
          }
          // Report the oldest step.
          const std::size_t slot = oldest;
          const queued_step q = queue[slot];
          oldest = (oldest + 1) % window;
          --queued;
          if (q.have) --queued_batches;
          running_step = state.step;
          const double loss = engine_.finish_step(optimizer_);
          if (guarded) {
            // An engine with its own memory copies the gradients only when the guards read them,
            // and has them only while no later step is in flight.
            const double norm = optimizer_.last_gradient_norm();
            guard.after_step(e, state.step, loss,
                             guard.needs_gradients(loss, norm) && queued == 0
                                 ? engine_.gradients()
                                 : std::span<const float>{},
                             q.lr, norm);
          }
          loss_sum += loss;
          if constexpr (has_metrics)
            if (q.held > 0)
              update_metrics<typename E::label_type>(
                  engine_.step_outputs(), held_labels.data() + slot * held_stride, q.held);
          ++state.step;
          if (q.have) ++total_batches;  // this process's batches: what a resume replays
          for_callbacks(
              [&](auto& c) { detail::call_batch_end(c, state, loss_sum / double(state.step)); });
          if (q.pull_error) std::rethrow_exception(q.pull_error);
          // e.g. TerminateOnNaN: stop now, as Keras does, once the steps already queued have
          // reported. (The pipeline has been asked for the next batch already, as a loop that
          // pulled after the callbacks would have; the batch is dropped, and no result depends on
          // it.) With DataParallel the group stops together, at the next meeting.
          if (state.stop_training && !distributed) {
            queueing = false;
            continue;
          }
          // A backup within the epoch, unless the epoch ends here (its own backup follows).
          if constexpr (backs_up) {
            if (backup != nullptr && backup->save_freq > 0 &&
                total_batches % backup->save_freq == 0 &&
                (steps ? state.step < steps->value : *it != std::default_sentinel)) {
              training_backup::save(*backup, backup->file(), net_, engine_, optimizer_, guard,
                                    history,
                                    {e, total_batches, last_epoch_steps, state.step, loss_sum},
                                    shape, metrics_state(), each_callback);
              backup->note_saved();
            }
          }
        }
        if (state.step == 0)
          no_batches(e, scanned.samples_scanned > 0 || total_batches > 0, train);
        Logs logs;
        logs.set("loss", loss_sum / double(state.step));
        if constexpr (distributed) {
          // The epoch's meeting: the metrics count every process's samples, and the layer state
          // (BatchNormalization's moving statistics) is rank 0's, as PyTorch's DDP keeps it.
          const auto heard = lock.agree(false, state.stop_training);
          state.stop_training = state.stop_training || heard.any_stop;
          if constexpr (has_metrics) {
            std::vector<double> counts = metrics_state();
            lock.sum(counts);
            restore_metrics(counts);
          }
          broadcast_layer_state(lock);
        }
        log_metrics(logs, "");
        if constexpr (has_validation) {
          auto& v = std::get<0>(std::tuple_cat(pick_validation(args)...));
          // (The progress bar shows the epoch's steps, not validation's: each_callback.)
          const Logs val = evaluate_pass(v.data, val_steps, state, each_callback, &lock);
          for (const auto& [name, value] : val.entries()) logs.set("val_" + name, value);
        }
        if (guarded) guard.after_epoch(e, optimizer_.learning_rate());
        state.parameters = engine_.parameters();
        for_callbacks([&](auto& c) { detail::call_epoch_end(c, state, logs); });
        if constexpr (distributed) {
          // A callback that stops training in one process (EarlyStopping decides alike in all,
          // as they see the same logs) stops the group.
          const auto heard = lock.agree(false, state.stop_training);
          state.stop_training = state.stop_training || heard.any_stop;
        }
        history.append(logs);
        last_epoch_steps = state.step;
        if constexpr (backs_up) {
          if (backup != nullptr) {
            // In a group each process writes its own, and commits it once all have written theirs.
            training_backup::save(*backup, distributed ? backup->pending_file() : backup->file(),
                                  net_, engine_, optimizer_, guard, history,
                                  {e + 1, total_batches, last_epoch_steps}, shape, metrics_state(),
                                  each_callback);
            if constexpr (distributed) {
              lock.agree(false, false);
              training_backup::commit(*backup);
            }
            backup->note_saved();
          }
        }
      }
    } catch (const std::bad_alloc&) {
      // [E2], with the facts (the free memory of the engine's memory).
      out_of_memory_during_training(plan, e, running_step, engine_.available_memory());
    }
    // Before on_train_end, as Keras: EarlyStopping's restore_best_weights still has the last
    // word. Weights a callback left swapped with the average (SwapEMAWeights) go back first, so
    // that the average, not the weights it stood in for, is what stays.
    if (state.average.in_weights) state.average.swap();
    use_average_weights();
    state.parameters = engine_.parameters();
    for_callbacks([&](auto& c) { detail::call_train_end(c, state); });
    // The last meeting: a process that failed in its last callbacks is heard here, not after
    // the others have left fit.
    if constexpr (distributed) lock.agree(false, false);
    return history;
  }

public:

  /// Loss and metrics over one pass of `data`. Further arguments, in any order:
  /// ValidationSteps{n} (n batches of it: required when the pipeline is infinite), Verbose (a
  /// bar and a line as fit's; silent by default) and callbacks, whose test hooks it calls
  /// (on_test_begin, on_test_batch_begin, on_test_batch_end, on_test_end: Keras'
  /// `evaluate(..., callbacks=...)`).
  template <data::dataset P, class... Args>
  Logs evaluate(P& data, Args&&... args) {
    static_assert(detail::not_augmented<P>());
    static_assert(detail::pass_arguments<true, std::remove_cvref_t<Args>...>());
    const auto lease = user_.enter("evaluate");
    ProgressBar progress(detail::find_arg<Verbose>(args...).value_or(Verbose{0}));
    TrainingState state = callback_state<Args...>();
    return evaluate_pass(data, detail::find_arg<ValidationSteps>(args...), state,
                         detail::pass_hooks(progress, args...));
  }

  /// The model's outputs for every sample of one pass of `data`, shape (samples, outputs).
  /// Further arguments: Verbose (silent by default) and callbacks, whose predict hooks it calls
  /// (on_predict_begin, on_predict_batch_begin, on_predict_batch_end with the batch's outputs,
  /// on_predict_end).
  template <data::dataset P, class... Args>
  xt::xtensor<float, 2> predict(P& data, Args&&... args) {
    static_assert(detail::not_augmented<P>());
    static_assert(detail::pass_arguments<false, std::remove_cvref_t<Args>...>());
    static_assert(detail::pipeline_fits_model<P, Net>());
    const auto lease = user_.enter("predict");
    ProgressBar progress(detail::find_arg<Verbose>(args...).value_or(Verbose{0}));
    TrainingState state = callback_state<Args...>();
    if (const Cardinality c = data.cardinality(); c.is_exact()) state.test_steps = c.count;
    const auto each = detail::pass_hooks(progress, args...);
    each([&](auto& c) { detail::call_predict_begin(c, state); });
    std::vector<float> out;
    std::size_t n = 0;
    for (const auto& b : data) {
      state.batch = state.test_step;
      each([&](auto& c) { detail::call_predict_batch_begin(c, state); });
      const float* y = engine_.predict(net_, b);
      out.insert(out.end(), y, y + b.size() * output_size);
      n += b.size();
      ++state.test_step;
      const std::span<const float> batch_out(y, b.size() * output_size);
      each([&](auto& c) { detail::call_predict_batch_end(c, state, batch_out); });
    }
    xt::xtensor<float, 2> result = xt::zeros<float>({n, output_size});
    std::copy(out.begin(), out.end(), result.begin());
    each([&](auto& c) { detail::call_predict_end(c, state); });
    return result;
  }

private:
  // What fit, evaluate and predict lend their callbacks: the optimizer, the layer state, the
  // moving average of the weights, and (for a pass given callbacks, unless fit, which refreshes
  // them before each hook that may read them) the parameters.
  template <class... Args>
  TrainingState callback_state(bool with_parameters = true) {
    TrainingState state;
    state.optimizer = &optimizer_;
    if constexpr ((callback<std::remove_cvref_t<Args>> || ...)) {
      static const io::Layout layout = io::network_layout<Net>();
      state.layout = &layout;
      if (with_parameters) state.parameters = engine_.parameters();
    }
    state.layer_state = {Net::state_count, &net_, [](const void* net, std::span<double> out) {
                           static_cast<const Net*>(net)->save_state(out);
                         }};
    if (optimizer_.keeps_average())
      state.average = {this, [](void* m) { static_cast<Model*>(m)->swap_average_weights(); }};
    return state;
  }

  // evaluate without the augmentation check: fit's validation data has its own sentence.
  // `each(hook)` calls hook on each callback (fit's validation: not its progress bar). With a
  // data-parallel `lock`, the sums are the group's.
  template <data::dataset P, class Each, class Lock = detail::no_lockstep>
  Logs evaluate_pass(P& data, std::optional<ValidationSteps> steps, TrainingState& state,
                     const Each& each, Lock* lock = nullptr) {
    static_assert(detail::pipeline_fits_model<P, Net>());
    if constexpr (P::static_cardinality.is_infinite()) {
      if (!steps)
        throw argument_error("evaluate: the pipeline is infinite (repeat() with no count)",
                             "pass ValidationSteps{n}, or evaluate a pipeline without repeat()");
    }
    state.test_step = 0;
    state.test_steps = steps ? std::optional<std::size_t>(steps->value) : std::nullopt;
    if (const Cardinality c = data.cardinality(); c.is_exact())
      state.test_steps = std::min(c.count, state.test_steps.value_or(c.count));
    each([&](auto& c) { detail::call_test_begin(c, state); });
    reset_metrics();
    double sum = 0;
    std::size_t seen = 0;
    for (auto it = data.begin(); it != data.end(); ++it) {
      const auto& b = *it;
      state.batch = state.test_step;
      each([&](auto& c) { detail::call_test_batch_begin(c, state); });
      const double loss = engine_.forward_loss(net_, b, nn::mode::inference);
      sum += loss * double(b.size());
      seen += b.size();
      if constexpr (has_metrics)
        update_metrics<typename data::element_t<P>::label_type>(engine_.outputs(b.size()),
                                                                b.y_data(), b.size());
      ++state.test_step;
      const double running = seen > 0 ? sum / double(seen) : 0.0;
      each([&](auto& c) { detail::call_test_batch_end(c, state, running); });
      if (steps && state.test_step == steps->value) break;
    }
    if constexpr (!std::is_same_v<Lock, detail::no_lockstep>) {
      lock->agree(false, false);
      std::vector<double> sums{sum, double(seen)};
      const std::vector<double> counts = metrics_state();
      sums.insert(sums.end(), counts.begin(), counts.end());
      lock->sum(sums);
      sum = sums[0];
      seen = static_cast<std::size_t>(sums[1]);
      restore_metrics(std::span<const double>(sums).subspan(2));
    }
    if (seen == 0)
      throw data_error("evaluate: the pipeline produced no batches", "pass a non-empty pipeline");
    Logs logs;
    logs.set("loss", sum / double(seen));
    log_metrics(logs, "");
    each([&](auto& c) { detail::call_test_end(c, state, logs); });
    return logs;
  }

public:
  /// The model's outputs for the samples of a tensor, Keras' `model.predict(x)`: any xtensor
  /// expression of shape (samples, input dims...) (an `xt::xtensor`, an `xt::xarray`, an
  /// `xt::adapt` of a `std::vector`), read in row-major order, run in batches of `batch_size`. A shape that is not the
  /// model's input is a shape_error naming both. After the batch size, as predict(data, ...):
  /// Verbose and callbacks with predict hooks.
  template <class X, class... Args>
  xt::xtensor<float, 2> predict(const xt::xexpression<X>& x, std::size_t batch_size = 32,
                                Args&&... args) {
    static_assert(detail::pass_arguments<false, std::remove_cvref_t<Args>...>());
    const auto lease = user_.enter("predict");
    const X& values = x.derived_cast();
    const auto& got = values.shape();
    std::vector<std::size_t> want{values.dimension() == 0 ? 0 : got[0]};
    for (std::size_t i = 0; i < Net::dims[0].rank; ++i) want.push_back(Net::dims[0].extent[i]);
    if (!std::equal(got.begin(), got.end(), want.begin(), want.end()))
      throw shape_error("predict: the input has shape " +
                            format_shape(std::vector<std::size_t>(got.begin(), got.end())) +
                            ", but the model takes " + format_shape(want) + " (samples first)",
                        "pass an array of shape (samples, Input dims...), or reshape it");
    if (batch_size == 0)
      throw argument_error("predict: batch_size is 0", "pass a batch size of at least 1");
    using In = typename fitcheck::detail::features_of<typename Net::input_shape>::type;
    data::BatchData<In, RegressionTarget<>> batch(std::min(batch_size, want[0]));
    data::Example<In, RegressionTarget<>> sample{};
    xt::xtensor<float, 2> result = xt::zeros<float>({want[0], output_size});
    ProgressBar progress(detail::find_arg<Verbose>(args...).value_or(Verbose{0}));
    TrainingState state = callback_state<Args...>();
    state.test_steps = (want[0] + batch_size - 1) / batch_size;
    const auto each = detail::pass_hooks(progress, args...);
    each([&](auto& c) { detail::call_predict_begin(c, state); });
    auto value = values.begin();  // row-major: sample after sample
    for (std::size_t first = 0; first < want[0]; first += batch.capacity()) {
      batch.clear();
      const std::size_t rows = std::min(batch.capacity(), want[0] - first);
      for (std::size_t r = 0; r < rows; ++r) {
        for (float& v : sample.x) v = static_cast<float>(*value++);
        batch.push(sample);
      }
      state.batch = state.test_step;
      each([&](auto& c) { detail::call_predict_batch_begin(c, state); });
      const float* y = engine_.predict(net_, batch);
      std::copy_n(y, rows * output_size, result.data() + first * output_size);
      ++state.test_step;
      const std::span<const float> batch_out(y, rows * output_size);
      each([&](auto& c) { detail::call_predict_batch_end(c, state, batch_out); });
    }
    each([&](auto& c) { detail::call_predict_end(c, state); });
    return result;
  }

 private:
  template <class T, class A>
  static auto pick_option(A& a) {
    if constexpr (std::is_same_v<std::remove_cvref_t<A>, T>) {
      return std::tuple<const T&>(a);
    } else {
      return std::tuple<>();
    }
  }
  template <class A>
  static auto pick_validation(A& a) {
    if constexpr (detail::is_validation<std::remove_cvref_t<A>>) {
      return std::tuple<std::remove_cvref_t<A>&>(a);
    } else {
      return std::tuple<>();
    }
  }

  // The memory a batch of `batch` needs: what [E1] checks and what summary reports. `Label` is
  // the data's label kind, void where it is not known (one float per output).
  template <class Label>
  [[nodiscard]] memory_plan plan_for(std::size_t batch) const {
    memory_plan plan = plan_memory<Net, Label>(batch, slots_of(optimizer_));
    plan.layer_workspace = engine_type::layer_workspace_bytes(plan.batch);
    return plan;
  }

  void preflight_steps(const auto& train, Epochs epochs, std::optional<StepsPerEpoch> steps) const {
    const Cardinality c = train.cardinality();
    if (!steps || !c.is_exact()) return;
    const std::size_t need = steps->value * epochs.value;
    if (c.count < need)
      throw data_error(
          "fit: " + std::to_string(steps->value) + " steps x " + std::to_string(epochs.value) +
              " epochs need " + std::to_string(need) + " batches, but the pipeline holds " +
              std::to_string(c.count) + ": training would run out of data [A2]",
          "add repeat() before batch so the data cycles, or pass StepsPerEpoch{" +
              std::to_string(c.count / epochs.value == 0 ? 1 : c.count / epochs.value) +
              "} or fewer");
  }

  // An epoch without a batch: an empty pipeline (B6), or, when an earlier pass (the pre-flight
  // scan or an earlier epoch) did yield samples, a source that cannot start over (B2).
  [[noreturn]] static void no_batches(std::size_t epoch, bool earlier_pass_had_data,
                                      const auto& train) {
    const std::string where = "fit: the pipeline produced no batches in epoch " +
                              std::to_string(epoch + 1);
    if (earlier_pass_had_data)
      throw data_error(where + ", although an earlier pass over it (the pre-flight scan or an "
                               "earlier epoch) yielded samples: its source cannot start over, "
                               "like a one-shot generator reused [B2]",
                       "give from_generator a factory that returns a fresh generator on every "
                       "call (once per epoch)");
    throw data_error(where + " [B6]: its cardinality is " + to_string(train.cardinality()),
                     "check the source is not empty and filters keep some samples");
  }

  [[noreturn]] void ran_out(std::size_t epoch, std::size_t step, std::size_t total,
                            StepsPerEpoch steps, Epochs epochs, const auto& train) const {
    throw data_error("fit: the pipeline ended after " + std::to_string(total) +
                         (total == 1 ? " batch" : " batches") + ", in epoch " +
                         std::to_string(epoch + 1) + " after " + std::to_string(step) + " of its " +
                         std::to_string(steps.value) + " steps; " + std::to_string(steps.value) +
                         " steps x " + std::to_string(epochs.value) + " epochs need " +
                         std::to_string(steps.value * epochs.value) +
                         " ([A2], [B1]; the "
                         "pipeline's cardinality: " +
                         to_string(train.cardinality()) + ")",
                     "add repeat() so the data cycles, make the generator yield more, or lower "
                     "StepsPerEpoch");
  }

  // Rank 0's layer state in every process of a data-parallel group.
  template <class Lock>
  void broadcast_layer_state(Lock& lock) {
    if constexpr (Net::state_count > 0) {
      std::vector<double> values(Net::state_count);
      net_.save_state(values);
      lock.from_root(std::span<double>(values));
      if (lock.rank() != 0) net_.load_state(values);
    }
  }

  void reset_metrics() {
    std::apply([](auto&... m) { (m.reset(), ...); }, metrics_);
  }
  // Whether every metric can say what it has counted (a backup within an epoch keeps it).
  static constexpr bool metrics_backed_up = detail::metrics_backed<metrics_type>::value;
  // What the metrics have counted this epoch, one after the other (empty if one cannot say).
  [[nodiscard]] std::vector<double> metrics_state() const {
    std::vector<double> v;
    if constexpr (metrics_backed_up)
      std::apply(
          [&](const auto&... m) {
            (([&] {
               const std::vector<double> counts = m.backup_state();
               v.insert(v.end(), counts.begin(), counts.end());
             }()),
             ...);
          },
          metrics_);
    return v;
  }
  void restore_metrics(std::span<const double> v) {
    if constexpr (metrics_backed_up) {
      std::size_t at = 0;
      std::apply(
          [&](auto&... m) {
            (([&] {
               const std::size_t n = m.backup_state().size();
               m.restore_state(v.subspan(at, n));
               at += n;
             }()),
             ...);
          },
          metrics_);
    }
  }
  // Metrics that count per class (F1Score, R2Score) size their counts from the label kind before
  // the first batch: what they keep has its size from the start, as a backup and the processes
  // of a group compare it.
  template <class L>
  void prepare_metrics() {
    std::apply(
        [&](auto&... m) {
          (
              [&](auto& one) {
                if constexpr (requires { one.template prepare<L>(output_size); })
                  one.template prepare<L>(output_size);
              }(m),
              ...);
        },
        metrics_);
  }
  // Metrics run on the host over a batch's outputs (n x outputs values) and labels.
  template <class L>
  void update_metrics(const float* out, const typename L::value_type* y, std::size_t n) {
    if constexpr (Loss::from_logits) {
      // Metrics judge probabilities (a 0.5 threshold means nothing on logits): apply the
      // loss's activation into a buffer of the batch's size.
      if (probs_.size() < n * output_size) probs_.resize(n * output_size);
      using Act = typename Loss::activation::template bind<Dims{1, {output_size}}>;
      Act{}.forward(static_cast<const float*>(nullptr), out, probs_.data(), n,
                    nn::mode::inference);
      out = probs_.data();
    }
    std::apply([&](auto&... m) { (m.template update<L>(out, y, n, output_size), ...); },
               metrics_);
  }
  // A metric with a score per class (results(): Keras' average=None) logs name[c] for each.
  void log_metrics(Logs& logs, const std::string& prefix) const {
    auto log = [&](const auto& m) {
      if constexpr (requires { m.results(); }) {
        const std::vector<double> scores = m.results();
        for (std::size_t c = 0; c < scores.size(); ++c)
          logs.set(prefix + m.name + "[" + std::to_string(c) + "]", scores[c]);
      } else {
        logs.set(prefix + m.name, m.result());
      }
    };
    std::apply([&](const auto&... m) { (log(m), ...); }, metrics_);
  }

  Net net_;
  optim::Optimizer optimizer_;
  // Mutable: a const read of an engine with its own memory refreshes its host copies.
  mutable engine_type engine_;
  std::vector<float> probs_;
  metrics_type metrics_{};
  detail::single_user user_;
};

}  // namespace fitcheck
