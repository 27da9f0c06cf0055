// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of train/memory.hpp that no user type shapes: the sentences of E1 and E2
// (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/train/memory.hpp>

namespace fitcheck {

FITCHECK_IMPL optimizer_slots slots_of(const optim::Optimizer& o) noexcept {
  std::size_t n = 0;
  for (const bool used : o.slots()) n += used ? 1 : 0;
  return {n};
}

FITCHECK_IMPL std::string detail::plan_parts(const memory_plan& p) {
  return "parameters " + format_bytes(p.parameters) + ", gradients " + format_bytes(p.gradients) +
         ", optimizer state " + format_bytes(p.optimizer_state) +
         (p.layer_workspace == 0 ? "" : ", layer workspace " + format_bytes(p.layer_workspace)) +
         ", activations " + format_bytes(p.activations) + ", backward scratch " +
         format_bytes(p.backward_scratch) + ", batch buffers " + format_bytes(p.batch_buffers);
}

FITCHECK_IMPL std::string detail::batch_fix(const memory_plan& p, std::size_t available,
                                            const char* more) {
  const std::size_t fit = p.largest_batch(available);
  if (fit == 0)
    return "the parameters, gradients, optimizer state and layer workspace alone need " +
           format_bytes(p.fixed()) +
           ", so no batch fits: use a smaller model or an optimizer with less state (SGD keeps "
           "none, Adam two floats per parameter), or " +
           more;
  return "batch<N>() with N <= " + std::to_string(fit) +
         " (the largest batch that fits; the optimizer's gradient_accumulation_steps = k then "
         "updates with the gradient of k such batches), a smaller model, or " +
         more;
}

FITCHECK_IMPL void check_memory(const memory_plan& plan, std::size_t budget, std::size_t available,
                                bool device) {
  const bool by_budget = budget <= available;
  const std::size_t limit = by_budget ? budget : available;
  if (plan.total() <= limit) return;
  throw resource_error(
      "a batch of " + std::to_string(plan.batch) + " needs " + format_bytes(plan.total()) +
          (device ? " of device memory" : "") + " (" + detail::plan_parts(plan) + "), but " +
          (by_budget ? "the MemoryBudget allows " + format_bytes(budget)
                     : format_bytes(available) + " is free" + (device ? " on the device" : "")) +
          " [E1]",
      detail::batch_fix(plan, limit, by_budget ? "a larger MemoryBudget" : "free memory"));
}

FITCHECK_IMPL void check_host_memory(const memory_plan& plan, std::size_t available) {
  check_memory(plan, std::numeric_limits<std::size_t>::max(), available);
}

FITCHECK_IMPL void check_device_memory(const memory_plan& plan, std::size_t available) {
  check_memory(plan, std::numeric_limits<std::size_t>::max(), available, true);
}

[[noreturn]] FITCHECK_IMPL void out_of_memory_during_training(const memory_plan& plan,
                                                              std::size_t epoch, std::size_t step,
                                                              std::size_t available) {
  const bool known = available != std::numeric_limits<std::size_t>::max();
  throw resource_error(
      "out of memory during training, at epoch " + std::to_string(epoch + 1) + ", step " +
          std::to_string(step + 1) + ": a batch of " + std::to_string(plan.batch) + " needs " +
          format_bytes(plan.total()) + " (" + detail::plan_parts(plan) + ")" +
          (known ? ", and " + format_bytes(available) + " is free now" : std::string()) +
          " ([E2]; checkpoints and logs written so far are kept)",
      known ? detail::batch_fix(plan, available)
            : std::string("a smaller batch, a smaller model, or free memory (other processes, "
                          "a cache() of a large data set)"));
}

}  // namespace fitcheck
