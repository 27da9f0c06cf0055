// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/loss.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/engine.hpp>
#include <fitcheck/train/memory.hpp>

namespace fitcheck::detail {

/// [F4], once per process: this file's kernels are compiled for less than the CPU has (a build
/// without -march that opted out of runtime dispatch, or built without CMake: SSE2 kernels on an
/// AVX-512 machine).
inline void warn_kernel_level_once() {
#if !FITCHECK_DISPATCHED && (defined(__x86_64__) || defined(_M_X64))
  static std::atomic<bool> done{false};
  if (done.exchange(true)) return;
  constexpr int built = kernels::cpu::simd::arch_level<>;
  const int cpu = kernels::cpu::simd::cpu_level();
  if (cpu <= built) return;
  constexpr const char* names[] = {"SSE2", "AVX2 + FMA", "AVX-512"};
  warn("F4",
       std::string("this build's CPU kernels are compiled for ") + names[built] +
           ", but this CPU has " + names[cpu] +
           ": training and prediction run several times slower than they could",
       "link fitcheck::fitcheck in CMake, not fitcheck::headers, with FITCHECK_DISPATCH on "
       "(kernels for every CPU, chosen when the program runs), or compile for this machine "
       "only with -march=native");
#endif
}

/// The step engine of the host CPU (fc::cpu_t): every buffer in host
/// memory, sized once for the largest batch seen; the whole step runs in enqueue_step.
template <class Backend, class Net, class Loss>
class host_engine {
  static constexpr std::size_t depth = Net::depth;
  static constexpr std::size_t output_size = Net::output_size;
  static constexpr Backend be{};

public:
  static constexpr bool on_device = false;

  /// Parameters, gradients and the optimizer's slots (sized once).
  /// The host kernels compute in float32 only (Model rejects another Precision at compile time).
  static constexpr bool reduced_precision = false;

  void build(const optim::Optimizer& opt, precision) {
    warn_kernel_level_once();
    params_.assign(Net::param_count, 0.0f);
    grads_.assign(Net::param_count, 0.0f);
    state_ = optim::host_state(opt, Net::param_count);
  }

  [[nodiscard]] std::span<float> parameters() noexcept { return params_; }
  [[nodiscard]] std::span<const float> parameters() const noexcept { return params_; }
  [[nodiscard]] std::span<const float> gradients() const noexcept { return grads_; }
  /// The optimizer's slot i (moments, velocities), empty when unused: a training backup saves it.
  [[nodiscard]] std::vector<float> optimizer_slot(std::size_t i) const {
    const auto v = state_.slot(i);
    return {v.begin(), v.end()};
  }
  /// Sets slot i from `values`, as many as optimizer_slot(i) holds.
  void load_optimizer_slot(std::size_t i, std::span<const float> values) noexcept {
    std::copy(values.begin(), values.end(), state_.slot(i).begin());
  }
  /// Keras' class_weight for the training steps from now on (evaluate stays unweighted): the
  /// weight of class c at [c]; empty: none.
  void set_class_weights(std::span<const float> w) { class_weights_.assign(w.begin(), w.end()); }
  [[nodiscard]] static std::size_t available_memory() { return available_host_memory(); }
  /// The layers' own buffers at any batch (convolutions' lowering blocks), for [E1].
  [[nodiscard]] static std::size_t layer_workspace_bytes(std::size_t) {
    return Net::workspace_floats * sizeof(float);
  }

  /// The whole step: forward, loss, backward, clipping and the update. Allocates nothing once
  /// the buffers hold the batch's capacity.
  template <class B>
  void enqueue_step(Net& net, const B& batch, optim::Optimizer& opt, bool, bool) {
    loss_ = forward_loss(net, batch, nn::mode::training, grads_.data());
    update(opt);
  }
  /// A step of data-parallel training (train/data_parallel.hpp): `meet(gradients, loss,
  /// samples)` runs between the backward pass and the update, and turns this process's
  /// gradients and loss into the group's; when it returns false (another process stopped
  /// training) nothing is updated and this returns false.
  template <class B, class Meet>
  bool enqueue_step(Net& net, const B& batch, optim::Optimizer& opt, Meet&& meet) {
    loss_ = forward_loss(net, batch, nn::mode::training, grads_.data());
    if (!meet(std::span<float>(grads_), loss_, batch.size())) return false;
    update(opt);
    return true;
  }
  /// The same step for a process whose data has ended while others' has not: no gradients of
  /// its own, the group's update.
  template <class Meet>
  bool enqueue_absent_step(optim::Optimizer& opt, Meet&& meet) {
    std::fill(grads_.begin(), grads_.end(), 0.0f);
    loss_ = 0;
    if (!meet(std::span<float>(grads_), loss_, std::size_t{0})) return false;
    update(opt);
    return true;
  }
  template <class B>
  void stage(const B&) noexcept {}
  double finish_step(optim::Optimizer&) noexcept { return loss_; }
  /// The outputs of the step finished last.
  [[nodiscard]] const float* step_outputs() noexcept { return acts_[depth]; }

  /// Forward and loss on one batch, no gradients (evaluate); returns the batch's mean loss
  /// and the weight penalties (Keras counts them in evaluate's loss too).
  template <class B>
  double forward_loss(Net& net, const B& batch, nn::mode m) {
    return forward_loss(net, batch, m, nullptr) + penalty(nullptr);
  }
  /// The model's outputs for the batch, batch.size() rows in host memory.
  template <class B>
  const float* predict(Net& net, const B& batch) {
    reserve(net, batch.capacity());
    acts_[0] = const_cast<float*>(batch.x_data());
    net.forward(params_.data(), acts_.data(), batch.size(), nn::mode::inference, be);
    return acts_[depth];
  }
  /// The outputs of the last forward_loss.
  [[nodiscard]] const float* outputs(std::size_t) const noexcept { return acts_[depth]; }

private:
  template <class B>
  double forward_loss(Net& net, const B& batch, nn::mode m, float* grads) {
    reserve(net, batch.capacity());
    const std::size_t n = batch.size();
    // The first layer reads the batch where it lies: no layer writes its input (the contract
    // in nn/layer.hpp), and the first layer's input gradient is never asked for.
    acts_[0] = const_cast<float*>(batch.x_data());
    net.forward(params_.data(), acts_.data(), n, m, be);
    constexpr bool logits = loss_reads_logits<Net, Loss>;
    const float* out = loss_fused<Net, Loss> ? acts_[depth - 1] : acts_[depth];
    // Class weights weigh the training loss only (grads), as Keras'.
    const kernels::class_weights<float> weights{
        grads && !class_weights_.empty() ? class_weights_.data() : nullptr,
        class_weights_.size()};
    const float loss =
        kernels::loss(be, Loss::kind, logits, out, batch.y_data(), grads ? dy_.data() : nullptr,
                      n, output_size, loss::detail::parameters_of<Loss, float>(), weights);
    if (grads) {
      constexpr std::size_t through = backward_depth<Net, Loss>;
      if constexpr (through > 0)
        net.template backward<through>(params_.data(), acts_.data(), dy_.data(),
                                       scratch_.data(), grads, n, be);
    }
    return loss;
  }

  // The weight penalties of the current parameters; with `grads`, their gradients join it.
  double penalty(float* grads) {
    if constexpr (Net::penalty_count > 0)
      return kernels::regularize(be, params_.data(), grads, Net::penalties);
    else
      return 0.0;
  }

  // The step's penalties join its loss and gradients once, after the batch's (and the group's)
  // gradients are summed, before clipping and the update.
  void update(optim::Optimizer& opt) {
    loss_ += penalty(grads_.data());
    double squares = 0.0;
    opt.step(be, params_.data(), grads_.data(), params_.size(), state_.pointers(), &squares);
    opt.report_gradient_norm(std::sqrt(squares));
  }

  void reserve(Net& net, std::size_t batch) {
    if (batch <= capacity_) return;
    capacity_ = batch;
    // acts_[0] is the batch itself; the layers' outputs get their own storage.
    storage_.assign(capacity_ * (Net::activation_width - Net::input_size), 0.0f);
    float* p = storage_.data();
    for (std::size_t i = 1; i <= depth; ++i) {
      acts_[i] = p;
      p += capacity_ * Net::widths[i];
    }
    dy_.assign(capacity_ * Net::max_width, 0.0f);
    scratch_.assign(capacity_ * Net::max_width, 0.0f);
    net.reserve(capacity_);
  }

  std::vector<float> params_, grads_;
  optim::host_state state_;
  std::vector<float> storage_, dy_, scratch_, class_weights_;
  std::array<float*, depth + 1> acts_{};
  std::size_t capacity_ = 0;
  double loss_ = 0.0;
};

template <class Net, class Loss>
struct engine_for<cpu_t, Net, Loss> {
  using type = host_engine<cpu_t, Net, Loss>;
};

}  // namespace fitcheck::detail
