// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/memory.hpp>
#include <fitcheck/optim/optimizer.hpp>

// Memory planning [E1], [E2]. A model's buffers are sized by its type and the batch
// size alone, so what a run needs is a constant expression: a batch too large for a stated
// budget is a compile error, and one too large for the free memory is refused before the first
// step, naming the largest batch that fits, instead of an out-of-memory crash mid-run.
//
// The plan counts what the model allocates (parameters, gradients, optimizer state, activations,
// the backward pass's two scratch rows, the batch buffers), each a float per value. It does not
// count per-layer workspaces (a Dropout mask, batch x width bytes at most), the probabilities
// buffer a from_logits loss keeps for metrics (batch x outputs), nor the pipeline's own
// buffers (shuffle, prefetch, cache): keep some headroom.

namespace fitcheck {

/// Extra floats an optimizer keeps per parameter: SGD 0 (1 with momentum), Adam and AdamW 2
/// (m, v), RMSprop 1 (+1 with momentum, +1 centered), Adagrad and Lion 1, Adamax, Adadelta and
/// Nadam 2; each +1 with gradient_accumulation_steps > 1 (the accumulator) and +1 with use_ema
/// (the weights' average).
/// A structural type, so it can be a template argument.
struct optimizer_slots {
  /// Floats of optimizer state per parameter.
  std::size_t per_parameter = 0;

  /// SGD without momentum: none.
  static const optimizer_slots sgd;
  /// SGD with momentum: the velocity.
  static const optimizer_slots sgd_momentum;
  /// Adam: the moments m and v.
  static const optimizer_slots adam;
  /// AdamW: as Adam.
  static const optimizer_slots adamw;
  /// RMSprop without momentum, not centered: the square average.
  static const optimizer_slots rmsprop;
  /// Adagrad: the sum of the squared gradients.
  static const optimizer_slots adagrad;
  /// Adamax: the moment m and the infinity norm u.
  static const optimizer_slots adamax;
  /// Adadelta: the average squared gradient and update.
  static const optimizer_slots adadelta;
  /// Lion: the momentum.
  static const optimizer_slots lion;
  /// Nadam: the moments m and v.
  static const optimizer_slots nadam;
  /// The most any optimizer keeps (RMSprop centered with momentum, accumulating gradients, with
  /// a moving average).
  static const optimizer_slots most;
  /// Equal slot counts.
  friend constexpr bool operator==(optimizer_slots, optimizer_slots) = default;
};
inline constexpr optimizer_slots optimizer_slots::sgd{0};
inline constexpr optimizer_slots optimizer_slots::sgd_momentum{1};
inline constexpr optimizer_slots optimizer_slots::adam{2};
inline constexpr optimizer_slots optimizer_slots::adamw{2};
inline constexpr optimizer_slots optimizer_slots::rmsprop{1};
inline constexpr optimizer_slots optimizer_slots::adagrad{1};
inline constexpr optimizer_slots optimizer_slots::adamax{2};
inline constexpr optimizer_slots optimizer_slots::adadelta{2};
inline constexpr optimizer_slots optimizer_slots::lion{1};
inline constexpr optimizer_slots optimizer_slots::nadam{2};
/// The most any optimizer keeps (RMSprop centered with momentum, accumulating gradients, with a
/// moving average): the safe default for a compile-time budget, where the optimizer is a
/// run-time value.
inline constexpr optimizer_slots optimizer_slots::most{5};

/// The slots of a configured optimizer, exactly as its engine sizes them.
[[nodiscard]] optimizer_slots slots_of(const optim::Optimizer& o) noexcept;

/// Bytes a model needs to train at one batch size. Every part but the first three grows
/// linearly with the batch.
struct memory_plan {
  /// The batch size planned for.
  std::size_t batch = 0;
  std::size_t parameters = 0;        ///< param_count floats
  std::size_t gradients = 0;         ///< param_count floats
  std::size_t optimizer_state = 0;   ///< slots x param_count floats
  std::size_t layer_workspace = 0;   ///< the layers' own buffers (convolutions' lowered blocks)
  std::size_t activations = 0;       ///< batch x (activation_width + the layers' per-sample
                                     ///< workspace: recurrent layers' steps) floats
  std::size_t backward_scratch = 0;  ///< 2 x batch x max_width floats
  std::size_t batch_buffers = 0;     ///< batch x (features floats + label values)
  /// Bytes per sample of the batch-sized parts (the last three).
  std::size_t per_sample = 0;

  /// What does not depend on the batch size.
  [[nodiscard]] constexpr std::size_t fixed() const noexcept {
    return parameters + gradients + optimizer_state + layer_workspace;
  }
  /// All bytes: the parts added.
  [[nodiscard]] constexpr std::size_t total() const noexcept {
    return fixed() + activations + backward_scratch + batch_buffers;
  }
  /// The largest batch whose plan fits in `budget` bytes; 0 when not even batch 1 does.
  [[nodiscard]] constexpr std::size_t largest_batch(std::size_t budget) const noexcept {
    if (budget < fixed() || per_sample == 0) return 0;
    return (budget - fixed()) / per_sample;
  }
};

namespace detail {
template <class Net, class Label>
constexpr std::size_t label_bytes_per_sample() {
  if constexpr (std::is_void_v<Label>) {
    return Net::output_size * sizeof(float);  // unknown label kind: one float per output
  } else {
    return label_width<Label> * sizeof(typename Label::value_type);
  }
}
}  // namespace detail

/// The memory `Net` needs to train at `batch` with an optimizer keeping `slots`. `Label` is the
/// data's label kind when known (its storage per sample); void counts one float per output.
template <class Net, class Label = void>
[[nodiscard]] constexpr memory_plan plan_memory(std::size_t batch, optimizer_slots slots) noexcept {
  constexpr std::size_t f = sizeof(float);
  memory_plan p;
  p.batch = batch;
  p.parameters = Net::param_count * f;
  p.gradients = Net::param_count * f;
  p.optimizer_state = slots.per_parameter * Net::param_count * f;
  p.layer_workspace = Net::workspace_floats * f;
  p.per_sample =
      (Net::activation_width + Net::sample_workspace_floats + 2 * Net::max_width + Net::input_size) *
          f +
      detail::label_bytes_per_sample<Net, Label>();
  p.activations = batch * (Net::activation_width + Net::sample_workspace_floats) * f;
  p.backward_scratch = 2 * batch * Net::max_width * f;
  p.batch_buffers = batch * (Net::input_size * f + detail::label_bytes_per_sample<Net, Label>());
  return p;
}

/// The largest batch `Net` can train at within `budget` bytes; 0 when none fits.
template <class Net, class Label = void>
[[nodiscard]] constexpr std::size_t largest_batch(std::size_t budget,
                                                  optimizer_slots slots) noexcept {
  return plan_memory<Net, Label>(0, slots).largest_batch(budget);
}

namespace detail {
// The two numbers as template arguments: the diagnostic shows them (clang: "requirement
// '1447352840UL <= 1073741824UL'"; g++: "the comparison reduces to"), not the expression that
// computes the need with the network's whole type in it.
template <std::size_t NeededBytes, std::size_t BudgetBytes>
consteval bool memory_fits_budget() {
  static_assert(NeededBytes <= BudgetBytes,
                "the model needs more memory at this batch size than the budget allows [E1]. "
                "Fix: a smaller batch (fitcheck::largest_batch<Net>(budget, slots) gives the "
                "largest that fits), a smaller model, an optimizer with less state (SGD keeps "
                "none, Adam two floats per parameter), or a larger MemoryBudget");
  return true;  // the assertion is the check: a caller's static_assert adds no second error
}
}  // namespace detail

/// [E1] at compile time: `static_assert(fits_budget<Net, 256, (1 << 30)>())`, or through
/// `MemoryBudget`. The failing assertion's message is the first error line, with the need and
/// the budget in bytes beside it.
template <class Net, std::size_t Batch, std::size_t BudgetBytes,
          optimizer_slots Slots = optimizer_slots::most, class Label = void>
consteval bool fits_budget() {
  return detail::memory_fits_budget<plan_memory<Net, Label>(Batch, Slots).total(), BudgetBytes>();
}

/// A memory budget stated in the code, as a Model option: `Model<Net, Loss,
/// MemoryBudget<(1 << 30)>>`. `fit` on a pipeline with a static batch size (`batch<N>()`) does
/// not compile when the plan needs more (`check<Net, Batch>()` is that static_assert; the
/// optimizer is a run-time value there, so it counts the most state any optimizer keeps), and
/// before the first step it checks the plan, with the real optimizer, against the smaller of the
/// budget and the free memory (`check_memory`).
template <std::size_t Bytes>
struct MemoryBudget {
  /// The budget.
  static constexpr std::size_t bytes = Bytes;
  template <class Net, std::size_t Batch, optimizer_slots Slots = optimizer_slots::most,
            class Label = void>
  /// A compile error [E1] when Net at batch size Batch with these slots needs more than the budget.
  static consteval bool check() {
    return fits_budget<Net, Batch, Bytes, Slots, Label>();
  }
  /// The largest batch of Net that fits the budget.
  template <class Net, class Label = void>
  static constexpr std::size_t largest_batch(optimizer_slots slots = optimizer_slots::most) {
    return fitcheck::largest_batch<Net, Label>(Bytes, slots);
  }
};

template <class T>
inline constexpr bool is_memory_budget = false;
template <std::size_t B>
inline constexpr bool is_memory_budget<MemoryBudget<B>> = true;

namespace detail {
std::string plan_parts(const memory_plan& p);

// `more`: what raises the limit ("free memory", or "a larger MemoryBudget").
std::string batch_fix(const memory_plan& p, std::size_t available,
                      const char* more = "free memory");
}  // namespace detail

/// [E1] before the first step, the one run-time rule: resource_error when `plan` needs
/// more than the smaller of `budget` (a MemoryBudget the code states; SIZE_MAX for none) and
/// `available` (available_host_memory(), or the device's free memory with `device`), with the
/// need, its parts, the limit that refused it and the largest batch that fits within that limit.
void check_memory(const memory_plan& plan, std::size_t budget, std::size_t available,
                  bool device = false);

/// check_memory with no stated budget: the plan against the free memory alone.
void check_host_memory(const memory_plan& plan, std::size_t available);

/// [E1] for the cuda backend: as check_host_memory, against the device's free memory
/// (cudaMemGetInfo on a GPU; the host's on Thrust's CPU systems, where device memory is host
/// memory).
void check_device_memory(const memory_plan& plan, std::size_t available);

/// [E2]: what fit throws when an allocation fails during training (it catches
/// std::bad_alloc and calls this), with the same facts as E1 and where it happened (0-based
/// epoch and step, said 1-based). `available` defaults to what is free now.
[[noreturn]] void out_of_memory_during_training(
    const memory_plan& plan, std::size_t epoch, std::size_t step,
    std::size_t available = available_host_memory());

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/train/memory_impl.hpp>
#endif
