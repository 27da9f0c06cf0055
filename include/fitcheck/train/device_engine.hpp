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
// pinned double buffer; forward, loss, backward and the optimizer update run as device kernels;
// only the batch loss (one float) comes back per step. The Model keeps host copies of the
// parameters and gradients and syncs them on request (see Model::parameters).

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

  /// Forward (and backward when `with_grads`) on one batch; returns the batch's mean loss.
  template <class F, class L>
  double forward_loss(Net& net, const data::BatchData<F, L>& batch, nn::mode m, bool with_grads) {
    using Y = typename data::BatchData<F, L>::label_value;
    static_assert(sizeof(Y) == sizeof(std::uint32_t),
                  "cuda backend: labels are 32-bit (int32 class indices or float targets)");
    ensure_capacity(batch.capacity());
    y_.reserve(batch.capacity() * label_width<L>);
    const std::size_t n = batch.size();
    acts_[0] = x_.upload(batch.x_data(), n * Net::input_size);
    const auto* y = reinterpret_cast<const Y*>(
        y_.upload(reinterpret_cast<const std::uint32_t*>(batch.y_data()), n * label_width<L>));
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, m, cuda);
    float* dy = with_grads ? dy_.data() : nullptr;
    const float* out = fused ? acts_[depth - 1] : acts_[depth];
    float delta = 1.0f;
    if constexpr (is_huber<Loss>) delta = static_cast<float>(Loss::delta);
    const float loss = kernels::loss(cuda, kind, fused || Loss::from_logits, out, y, dy, n,
                                     output_size, delta);
    if (with_grads) {
      constexpr std::size_t through = fused ? depth - 1 : depth;
      if constexpr (through > 0)
        net.template backward<through>(static_cast<const float*>(params_.data()), acts_.data(),
                                       dy_.data(), scratch_.data(), grads_.data(), n, cuda);
    }
    x_.release();
    y_.release();
    return loss;
  }

  /// Predicts: forward only; outputs stay on the device (download_outputs).
  template <class F, class L>
  void forward(Net& net, const data::BatchData<F, L>& batch) {
    ensure_capacity(batch.capacity());
    const std::size_t n = batch.size();
    acts_[0] = x_.upload(batch.x_data(), n * Net::input_size);
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, nn::mode::inference,
                cuda);
    x_.release();
  }

  /// The optimizer step on the device: global norm, clipping, update. The optimizer keeps the
  /// step count, the schedule and the norm for the numeric guards.
  void update(optim::Optimizer& opt) {
    opt.update_external([&](const auto& o, std::uint64_t t, float lr) {
      using O = std::remove_cvref_t<decltype(o)>;
      const std::size_t n = Net::param_count;
      float* p = params_.data();
      float* g = grads_.data();
      const double norm = std::sqrt(kernels::sum_of_squares(cuda, std::span<const float>(g, n)));
      if (o.global_clipnorm) {
        if (std::isfinite(norm) && norm > double(*o.global_clipnorm))
          kernels::scale(cuda, g, n, double(*o.global_clipnorm) / norm);
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
      return norm;
    });
  }

private:
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
  }

  kernels::gpu::device_buffer<float> params_, grads_, s0_, s1_, s2_;
  kernels::gpu::device_buffer<float> acts_storage_, dy_, scratch_;
  std::array<float*, depth + 1> acts_{};
  kernels::gpu::double_buffer<float> x_;
  kernels::gpu::double_buffer<std::uint32_t> y_;
  std::size_t capacity_ = 0;
};

}  // namespace fitcheck::detail
