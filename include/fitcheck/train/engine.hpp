// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <concepts>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include <fitcheck/config.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/optim/optimizer.hpp>

// What a backend brings to training: a step engine. It owns the parameters, the gradients, the
// optimizer's slots, the activation buffers and the scratch memory, in its memory, and runs the
// step; `Model` (train/model.hpp) is written once over this interface, with no backend branch.
//
// A step is split in two so that an engine whose device runs asynchronously can overlap it with
// the pipeline: enqueue_step(batch i) queues it, the caller then asks the pipeline for batch
// i + 1 and offers it to stage(), and only then finish_step() waits for step i's loss. A host
// engine does the whole step in enqueue_step. Adding a backend means an engine (train/) and its
// kernel loops (kernels/), and nothing in nn/, optim/ or Model.

namespace fitcheck {

/// The Model option that sets the precision policy of the layers' matrix products
/// (kernels/backend.hpp, `precision`): `fc::Model<Net, Loss, fc::cuda_t,
/// fc::Precision<fc::precision::bf16>>` runs dense layers and convolutions with bfloat16 operands
/// and float32 sums, everything else and the weights in float32, as Keras' mixed_bfloat16 policy
/// and PyTorch's bf16 autocast do for matrix products. The GPU backend's; the CPU backends
/// compute in float32 only.
template <precision P>
struct Precision {
  /// The policy.
  static constexpr precision value = P;
};

namespace detail {
template <class T>
inline constexpr bool is_precision_option = false;
template <precision P>
inline constexpr bool is_precision_option<Precision<P>> = true;

template <class T>
consteval precision precision_value() {
  if constexpr (is_precision_option<T>) return T::value;
  else return precision::float32;
}
// The Precision among a Model's options, float32 when none is stated.
template <class... Options>
consteval precision precision_among() {
  precision p = precision::float32;
  ((p = is_precision_option<Options> ? precision_value<Options>() : p), ...);
  return p;
}

template <class Engine, precision P>
consteval bool precision_fits() {
  static_assert(P == precision::float32 || Engine::reduced_precision,
                "Model: Precision<precision::tf32> and Precision<precision::bf16> are the GPU "
                "backend's policies; the CPU kernels compute in float32. Fix: add fc::cuda_t "
                "to the Model's options to train on the GPU, or leave the Precision option out");
  return true;
}
/// The loss is taken from the logits when the last layer is the loss's own activation (stable,
/// and its gradient skips the activation), from the outputs otherwise.
template <class Net, class Loss>
inline constexpr bool loss_fused = !Loss::from_logits &&
                                   !std::is_void_v<typename Loss::activation> &&
                                   std::is_same_v<typename Net::last_spec, typename Loss::activation>;
/// The loss kernel reads logits: a fused activation, or a FromLogits loss.
template <class Net, class Loss>
inline constexpr bool loss_reads_logits = loss_fused<Net, Loss> || Loss::from_logits;
/// The layers the backward pass runs through: all, or all but a fused last activation.
template <class Net, class Loss>
inline constexpr std::size_t backward_depth = loss_fused<Net, Loss> ? Net::depth - 1 : Net::depth;

/// The step engine of a backend: specialised beside each engine (train/host_engine.hpp for the
/// host tags, train/device_engine.hpp for fc::cuda_t when compiled in).
template <class Backend, class Net, class Loss>
struct engine_for {
  static_assert(!std::is_same_v<Backend, cuda_t>,
                "Model<..., fc::cuda_t>: the cuda backend is not compiled in. Fix: configure with "
                "-DFITCHECK_ENABLE_CUDA=ON and compile this file with nvcc (or define "
                "FITCHECK_GPU_BACKEND=1 with Thrust's CPU system to run it on the host)");
  static_assert(std::is_same_v<Backend, cuda_t>,
                "Model: this backend tag has no step engine. Fix: name fc::cuda_t to train on the "
                "GPU, or no backend tag to train on the host CPU");
  // The host's engine stands in, so that the assertion above is the only error.
  using type = typename engine_for<cpu_t, Net, Loss>::type;
};
}  // namespace detail

/// What Model asks of a step engine besides its per-batch members (enqueue_step, stage,
/// finish_step, step_outputs, forward_loss, predict: templates over the batch type; see
/// train/host_engine.hpp for the reference implementation).
template <class E>
concept step_engine = std::default_initializable<E> && requires(E& e, const E& ce,
                                                                  const optim::Optimizer& opt) {
  { E::on_device } -> std::convertible_to<bool>;
  e.build(opt, precision::float32);
  { E::reduced_precision } -> std::convertible_to<bool>;
  { e.parameters() } -> std::same_as<std::span<float>>;
  { ce.parameters() } -> std::same_as<std::span<const float>>;
  { ce.gradients() } -> std::same_as<std::span<const float>>;
  { ce.optimizer_slot(std::size_t{}) } -> std::same_as<std::vector<float>>;
  e.load_optimizer_slot(std::size_t{}, std::span<const float>{});
  e.set_class_weights(std::span<const float>{});
  { E::available_memory() } -> std::same_as<std::size_t>;
  { E::layer_workspace_bytes(std::size_t{}) } -> std::same_as<std::size_t>;
};

}  // namespace fitcheck
