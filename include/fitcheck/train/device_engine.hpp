// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include <fitcheck/data/element.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/memory.hpp>

#if !FITCHECK_GPU_BACKEND
#error "fitcheck: train/device_engine.hpp needs the cuda backend compiled in. Fix: configure with -DFITCHECK_ENABLE_CUDA=ON (or define FITCHECK_GPU_BACKEND=1 with Thrust on the include path)"
#endif

// The training step of `Model<Net, Loss, fc::cuda_t>`: parameters, gradients, optimizer state and
// activations live in device buffers sized once; each batch goes host -> device through the
// pinned double buffer. A step's forward, loss, backward, gradient norm, clipping and optimizer
// update are device kernels queued back to back with no result read in between: the loss and the
// norm land in a device scalar pair that comes back asynchronously behind them (with the outputs,
// when the model has metrics), so fit stages the next batch before it waits (see Model::fit). The
// Model keeps host copies of the parameters and gradients and syncs them on request (see
// Model::parameters).

namespace fitcheck::detail {

template <class Loss>
inline constexpr bool is_huber = false;
template <class D>
inline constexpr bool is_huber<loss::Huber<D>> = true;
template <class D>
inline constexpr bool is_huber<loss::FromLogits<loss::Huber<D>>> = true;

template <class Loss>
consteval kernels::loss_kind device_loss_kind() {
  using namespace fitcheck::loss;
  if constexpr (std::is_base_of_v<BinaryCrossentropy, Loss>) {
    return kernels::loss_kind::binary_crossentropy;
  } else if constexpr (std::is_base_of_v<SparseCategoricalCrossentropy, Loss>) {
    return kernels::loss_kind::sparse_categorical_crossentropy;
  } else if constexpr (std::is_base_of_v<CategoricalCrossentropy, Loss>) {
    return kernels::loss_kind::categorical_crossentropy;
  } else if constexpr (std::is_base_of_v<MeanSquaredError, Loss>) {
    return kernels::loss_kind::mean_squared_error;
  } else if constexpr (std::is_base_of_v<MeanAbsoluteError, Loss>) {
    return kernels::loss_kind::mean_absolute_error;
  } else {
    static_assert(is_huber<Loss>,
                  "Model<..., fc::cuda_t>: this loss has no device kernel on the cuda backend. "
                  "Fix: use BinaryCrossentropy, SparseCategoricalCrossentropy, "
                  "CategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError or Huber, or "
                  "train on the CPU");
    return kernels::loss_kind::huber;
  }
}

template <class Net, class Loss>
class device_engine {
  static constexpr std::size_t depth = Net::depth;
  static constexpr std::size_t output_size = Net::output_size;
  static constexpr kernels::loss_kind kind = device_loss_kind<Loss>();
  // As Model: the loss reads the logits when the last layer is its own activation.
  static constexpr bool fused = !Loss::from_logits && !std::is_void_v<typename Loss::activation> &&
                                std::is_same_v<typename Net::last_spec, typename Loss::activation>;

public:
  /// Device buffers for the parameters, gradients and the optimizer's state (sized once).
  void build(const optim::Optimizer& opt) {
    params_.assign(Net::param_count);
    grads_.assign(Net::param_count);
    std::visit([&](const auto& o) { size_state(o); }, opt.settings());
    results_.reserve(2);
  }

  void upload_parameters(std::span<const float> host) {
    kernels::gpu::copy_to_device(cuda, host.data(), params_.data(), host.size());
  }
  void download_parameters(std::span<float> host) const {
    kernels::gpu::copy_to_host(cuda, params_.data(), host.data(), host.size());
  }
  void download_gradients(std::span<float> host) const {
    kernels::gpu::copy_to_host(cuda, grads_.data(), host.data(), host.size());
  }
  /// The outputs of the last forward pass, `batch` samples.
  void download_outputs(float* host, std::size_t batch) const {
    kernels::gpu::copy_to_host(cuda, acts_[depth], host, batch * output_size);
  }

  /// Free memory for the E1 pre-flight: the GPU's (cudaMemGetInfo), or the host's on Thrust's
  /// CPU systems, where device buffers are host memory.
  [[nodiscard]] static std::size_t available_memory() {
    return kernels::gpu::device_free_memory(cuda).value_or(available_host_memory());
  }

  /// Starts the copy of the batch fit trains on next, so that it overlaps the step still running;
  /// the next enqueue_step(..., staged = true) trains on it. Any other upload in between (a
  /// callback's evaluate or predict) drops it, and that step uploads its batch again.
  template <class F, class L>
  void stage(const data::BatchData<F, L>& batch) {
    upload(batch);
    staged_ = true;
  }

  /// Queues one training step on `batch` without waiting for any of it: forward, loss, backward,
  /// the gradient norm, clipping and the optimizer update, then the copies back of the loss, the
  /// norm and (when `with_outputs`) the outputs. `staged`: the caller staged this very batch with
  /// stage(). finish_step waits for the results.
  template <class F, class L>
  void enqueue_step(Net& net, const data::BatchData<F, L>& batch, optim::Optimizer& opt,
                    bool staged, bool with_outputs) {
    if (!(staged && staged_)) upload(batch);
    staged_ = false;
    const std::size_t n = batch.size();
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, nn::mode::training,
                cuda);
    kernels::loss_total(cuda, kind, fused || Loss::from_logits, loss_input(),
                        labels<data::BatchData<F, L>>(), dy_.data(), n, output_size,
                        scalars_.data(), huber_delta());
    constexpr std::size_t through = fused ? depth - 1 : depth;
    if constexpr (through > 0)
      net.template backward<through>(static_cast<const float*>(params_.data()), acts_.data(),
                                     dy_.data(), scratch_.data(), grads_.data(), n, cuda);
    x_.release();
    y_.release();
    update(opt);
    results_.fetch(scalars_.data(), 2);
    if (with_outputs) outputs_.fetch(acts_[depth], n * output_size);
    loss_terms_ = kernels::loss_terms(kind, n, output_size);
  }

  /// Waits for the step queued last; reports its gradient norm (before clipping) to the
  /// optimizer and returns its mean loss.
  double finish_step(optim::Optimizer& opt) {
    const double* r = results_.wait();
    opt.report_gradient_norm(std::sqrt(r[1]));
    // The float sum over the float count, as kernels::loss takes the mean.
    return loss_terms_ == 0 ? 0.0 : double(static_cast<float>(r[0]) / float(loss_terms_));
  }
  /// The host copy of the outputs of the step finished last (queued `with_outputs`).
  [[nodiscard]] const float* step_outputs() { return outputs_.wait(); }

  /// Forward and loss on one batch, no gradients (evaluate); returns the batch's mean loss.
  template <class F, class L>
  double forward_loss(Net& net, const data::BatchData<F, L>& batch, nn::mode m) {
    upload(batch);
    const std::size_t n = batch.size();
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, m, cuda);
    const float loss = kernels::loss(cuda, kind, fused || Loss::from_logits, loss_input(),
                                     labels<data::BatchData<F, L>>(), static_cast<float*>(nullptr),
                                     n, output_size, huber_delta());
    x_.release();
    y_.release();
    return loss;
  }

  /// Predicts: forward only; outputs stay on the device (download_outputs).
  template <class F, class L>
  void forward(Net& net, const data::BatchData<F, L>& batch) {
    ensure_capacity(batch.capacity());
    staged_ = false;  // the upload below may take a staged batch's slot
    const std::size_t n = batch.size();
    acts_[0] = x_.upload(batch.x_data(), n * Net::input_size);
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, nn::mode::inference,
                cuda);
    x_.release();
  }

private:
  // The optimizer step on the device: global norm (into the scalar pair), clipping, update. The
  // optimizer keeps the step count and the schedule; finish_step reports the norm to it.
  void update(optim::Optimizer& opt) {
    opt.update_external([&](const auto& o, std::uint64_t t, float lr) {
      using O = std::remove_cvref_t<decltype(o)>;
      const std::size_t n = Net::param_count;
      float* p = params_.data();
      float* g = grads_.data();
      double* squares = scalars_.data() + 1;
      kernels::sum_of_squares_into(cuda, std::span<const float>(g, n), squares);
      if (o.global_clipnorm) {
        kernels::clip_by_global_norm(cuda, g, n, *o.global_clipnorm, squares);
      } else if (o.clipvalue) {
        kernels::clamp(cuda, g, n, *o.clipvalue);
      }
      if constexpr (std::is_same_v<O, optim::SGD>) {
        kernels::sgd_update(cuda, p, g, o.momentum != 0.0f ? s0_.data() : nullptr, n, lr,
                            o.momentum, o.nesterov, o.weight_decay, t == 1);
      } else if constexpr (std::is_same_v<O, optim::Adam>) {
        kernels::adam_update(cuda, p, g, s0_.data(), s1_.data(), n, lr, o.beta_1, o.beta_2,
                             o.epsilon, 1.0f, t);
      } else if constexpr (std::is_same_v<O, optim::AdamW>) {
        const auto decay = static_cast<float>(1.0 - double(lr) * double(o.weight_decay));
        kernels::adam_update(cuda, p, g, s0_.data(), s1_.data(), n, lr, o.beta_1, o.beta_2,
                             o.epsilon, decay, t);
      } else {
        static_assert(std::is_same_v<O, optim::RMSprop>);
        kernels::rmsprop_update(cuda, p, g, s0_.data(), o.momentum > 0.0f ? s1_.data() : nullptr,
                                o.centered ? s2_.data() : nullptr, n, lr, o.rho, o.momentum,
                                o.epsilon, o.weight_decay, o.centered);
      }
    });
  }

  // Copies the batch's features and labels into the next slots of the double buffers.
  template <class F, class L>
  void upload(const data::BatchData<F, L>& batch) {
    using Y = typename data::BatchData<F, L>::label_value;
    static_assert(sizeof(Y) == sizeof(std::uint32_t),
                  "cuda backend: labels are 32-bit (int32 class indices or float targets)");
    ensure_capacity(batch.capacity());
    y_.reserve(batch.capacity() * label_width<L>);
    staged_ = false;
    const std::size_t n = batch.size();
    acts_[0] = x_.upload(batch.x_data(), n * Net::input_size);
    y_device_ =
        y_.upload(reinterpret_cast<const std::uint32_t*>(batch.y_data()), n * label_width<L>);
  }
  template <class B>
  const typename B::label_value* labels() const noexcept {
    return reinterpret_cast<const typename B::label_value*>(y_device_);
  }
  const float* loss_input() const noexcept { return fused ? acts_[depth - 1] : acts_[depth]; }
  static float huber_delta() noexcept {
    if constexpr (is_huber<Loss>) return static_cast<float>(Loss::delta);
    return 1.0f;
  }

  void size_state(const optim::SGD& o) { s0_.assign(o.momentum != 0.0f ? Net::param_count : 0); }
  void size_state(const optim::Adam&) {
    s0_.assign(Net::param_count);
    s1_.assign(Net::param_count);
  }
  void size_state(const optim::AdamW&) { size_state(optim::Adam{}); }
  void size_state(const optim::RMSprop& o) {
    s0_.assign(Net::param_count);
    s1_.assign(o.momentum > 0.0f ? Net::param_count : 0);
    s2_.assign(o.centered ? Net::param_count : 0);
  }

  void ensure_capacity(std::size_t batch) {
    if (batch <= capacity_) return;
    capacity_ = batch;
    // acts_[0] is the uploaded batch itself; layers' outputs get their own storage.
    acts_storage_.assign(capacity_ * (Net::activation_width - Net::input_size));
    float* p = acts_storage_.data();
    for (std::size_t i = 1; i <= depth; ++i) {
      acts_[i] = p;
      p += capacity_ * Net::widths[i];
    }
    dy_.assign(capacity_ * Net::max_width);
    scratch_.assign(capacity_ * Net::max_width);
    x_.reserve(capacity_ * Net::input_size);
    outputs_.reserve(capacity_ * output_size);
  }

  kernels::gpu::device_buffer<float> params_, grads_, s0_, s1_, s2_;
  kernels::gpu::device_buffer<float> acts_storage_, dy_, scratch_;
  std::array<float*, depth + 1> acts_{};
  kernels::gpu::double_buffer<float> x_;
  kernels::gpu::double_buffer<std::uint32_t> y_;
  const std::uint32_t* y_device_ = nullptr;  // the labels uploaded last
  bool staged_ = false;                      // the last upload was stage()'s
  // The step's loss sum and squared gradient norm: on the device, and their host copy.
  kernels::gpu::device_buffer<double> scalars_{2};
  kernels::gpu::readback_buffer<double> results_;
  kernels::gpu::readback_buffer<float> outputs_;
  std::size_t loss_terms_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace fitcheck::detail
