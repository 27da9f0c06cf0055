// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/data/element.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/nn/map_table.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/engine.hpp>
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
// engine keeps host copies of the parameters and gradients and syncs them on request.

namespace fitcheck::detail {

// A bound layer the fused step runs (it says so: kernels/gpu/fused_step.hpp records its kernels).
template <class Layer>
inline constexpr bool runs_fused = [] {
  if constexpr (requires { Layer::in_fused_step; })
    return bool(Layer::in_fused_step);
  else
    return false;
}();

template <class Net, class Loss>
class device_engine {
  static constexpr std::size_t depth = Net::depth;
  static constexpr std::size_t output_size = Net::output_size;

public:
  static constexpr bool on_device = true;
  /// Its products compute in TF32 or bfloat16 when the Model's Precision option says so.
  static constexpr bool reduced_precision = true;

  /// Device buffers for the parameters, gradients and the optimizer's slots (sized once); the
  /// layers' products compute in `math`.
  void build(const optim::Optimizer& opt, precision math) {
    kernels::gpu::require_device(cuda);
    be_.math = math;
    params_.assign(Net::param_count);
    grads_.assign(Net::param_count);
    const std::array<bool, optim::slot_count> used = opt.slots();
    for (std::size_t i = 0; i < optim::slot_count; ++i)
      slots_[i].assign(used[i] ? Net::param_count : 0);
    host_params_.assign(Net::param_count, 0.0f);
    host_grads_.assign(Net::param_count, 0.0f);
    steps_in_flight(1);
  }

  /// Lets `k` steps be queued before the first of them is finished (fit's StepsPerExecution):
  /// each has its own results, outputs and batch slots, one more batch slot for the batch
  /// staged behind them. Fused steps run k / 2 to a launch (at least one), so that one launch's
  /// steps run while the host reads the previous one's. Forgets any step queued and never
  /// finished (a fit that failed).
  void steps_in_flight(std::size_t k) {
    kernels::gpu::detail::reporting_errors([&] {
      bundles_.launch();
      bundles_.forget();
      ring_ = std::max<std::size_t>(k, 1);
      where_.assign(ring_, {});
      queued_ = finished_ = 0;
      if (scalars_.size() < 3 * ring_) scalars_.assign(3 * ring_);
      results_.reserve(3, ring_);
      loss_terms_.resize(std::max(loss_terms_.size(), ring_));
      staged_ = false;  // a larger ring is a new one
      if (capacity_ > 0) reserve_rings();
    });
  }

  /// Host copies of the parameters: each call copies the device values into them unless the
  /// host copy is the newer one; values written through the returned span reach the device
  /// before the next step.
  [[nodiscard]] std::span<float> parameters() {
    launch_recorded();
    download_parameters();
    host_written_ = true;
    return host_params_;
  }
  [[nodiscard]] std::span<const float> parameters() const {
    launch_recorded();
    download_parameters();
    return host_params_;
  }
  /// Host copies of the gradients of the last step.
  [[nodiscard]] std::span<const float> gradients() const {
    launch_recorded();
    kernels::gpu::copy_to_host(cuda, grads_.data(), host_grads_.data(), host_grads_.size());
    return host_grads_;
  }

  /// Host copy of the optimizer's slot i, empty when unused: a training backup saves it.
  [[nodiscard]] std::vector<float> optimizer_slot(std::size_t i) const {
    launch_recorded();
    std::vector<float> v(slots_[i].size());
    kernels::gpu::copy_to_host(cuda, slots_[i].data(), v.data(), v.size());
    return v;
  }
  /// Sets slot i from host `values`, as many as optimizer_slot(i) holds.
  void load_optimizer_slot(std::size_t i, std::span<const float> values) {
    launch_recorded();
    kernels::gpu::copy_to_device(cuda, values.data(), slots_[i].data(), values.size());
  }

  /// Free memory for the E1 pre-flight: the GPU's (cudaMemGetInfo), or the host's on Thrust's
  /// CPU systems, where device buffers are host memory.
  /// Keras' class_weight for the training steps from now on (evaluate stays unweighted), copied
  /// to the device once: the weight of class c at [c]; empty: none.
  void set_class_weights(std::span<const float> w) {
    kernels::gpu::detail::reporting_errors([&] {
      launch_recorded();  // (their steps read the weights they were recorded with)
      class_weights_.assign(w.size());
      kernels::gpu::copy_to_device(cuda, w.data(), class_weights_.data(), w.size());
    });
  }
  [[nodiscard]] static std::size_t available_memory() {
    return kernels::gpu::device_free_memory(cuda).value_or(available_host_memory());
  }

  /// The scratch memory the layers take at `batch` (convolutions' lowering groups), for [E1].
  [[nodiscard]] static std::size_t layer_workspace_bytes(std::size_t batch) {
    return Net::device_workspace_floats(batch) * sizeof(float);
  }

  /// Starts the copy of the batch fit trains on next, so that it overlaps the step still running;
  /// the next enqueue_step(..., staged = true) trains on it. Any other upload in between (a
  /// callback's evaluate or predict) drops it, and that step uploads its batch again.
  /// A batch whose step fuses is not staged: it travels with its launch's copy.
  template <class B>
  void stage(const B& batch) {
    if (fuses(batch.size())) return;
    kernels::gpu::detail::reporting_errors([&] {
      kernels::operation_scope<cuda_t> op(cuda, {"the batch's upload"});
      upload(batch);
      op.finish();
    });
    staged_ = true;
  }

  /// Forgets the steps queued and not finished (fit leaving by an exception with steps in
  /// flight): the next finish_step waits for the next step queued. They still run on the device.
  void discard_queued() noexcept {
    try {
      launch_recorded();  // (the optimizer counted them: the device runs them too)
    } catch (...) {  // already failing: the first error is the one reported
    }
    bundles_.forget();
    finished_ = queued_;
  }

  /// Queues one training step on `batch` without waiting for any of it: forward, loss, backward,
  /// the gradient norm, clipping and the optimizer update, then the copies back of the loss, the
  /// norm and (when `with_outputs`) the outputs. `staged`: the caller staged this very batch with
  /// stage(). finish_step waits for the results, of the steps in the order queued; at most
  /// steps_in_flight() are queued and not finished. A step that fuses() is recorded, and
  /// launched with the steps recorded before it once steps_in_flight() / 2 are (or when its
  /// results or anything else on the device is asked for).
  template <class B>
  void enqueue_step(Net& net, const B& batch, optim::Optimizer& opt, bool staged,
                    bool with_outputs) {
    kernels::gpu::detail::reporting_errors([&] {
      last_forward_.reset();
      const std::size_t n = batch.size();
      const bool fused = fuses(n);
      if (!fused) launch_recorded();  // (they come first)
      push_parameters();
      // fit queues at most steps_in_flight(); more would overwrite results not yet read.
      if (queued_ - finished_ >= ring_)
        throw std::logic_error("fitcheck: more steps queued than the engine has slots for");
      const std::size_t slot = queued_ % ring_;
      if (fused) {
        if constexpr (fusable) {
          staged_ = false;
          where_[slot] = {true, queue_fused<B>(net, batch, opt, with_outputs)};
        }
      } else {
        if (!(staged && staged_)) {
          kernels::operation_scope<cuda_t> op(cuda, {"the batch's upload"});
          upload(batch);
          op.finish();
        }
        staged_ = false;
        double* scalars = scalars_.data() + 3 * slot;
        queue_step<B>(be_, net, n, opt, scalars);
        batch_.release();
        kernels::operation_scope<cuda_t> op(cuda, {"the copy of the step's results"});
        results_.fetch(scalars, 3, slot);
        if (with_outputs) outputs_.fetch(acts_[depth], n * output_size, slot);
        where_[slot] = {};
      }
      ++queued_;
      loss_terms_[slot] = kernels::loss_terms(Loss::kind, n, output_size);
    });
  }

  /// True when a step on `n` samples runs fused: the network's layers all run in the fused
  /// step (kernels/gpu/fused_step.hpp), and the process's
  /// step_fusion policy takes a step of this size.
  [[nodiscard]] static bool fuses(std::size_t n) {
    if constexpr (!fusable) {
      return false;
    } else {
      using kernels::gpu::step_fusion;
      const step_fusion policy = kernels::gpu::step_fusion_policy().load();
      if (policy == step_fusion::never || n > kernels::gpu::fused_max_batch) return false;
      // Dense layers' three products (forward, both gradients) multiply-add this many times.
      return policy == step_fusion::always ||
             3 * n * Net::param_count <= kernels::gpu::fused_auto_macs;
    }
  }

  /// Waits for the oldest step queued and not yet finished; reports its gradient norm (before
  /// clipping) to the optimizer and returns its mean loss.
  double finish_step(optim::Optimizer& opt) {
    last_slot_ = finished_++ % ring_;
    const double* r = kernels::gpu::detail::reporting_errors([&] {
      const queued_at w = where_[last_slot_];
      if (w.fused) {
        kernels::operation_scope<cuda_t> op(cuda, {"the fused training step"});
        return bundles_.finish(w.at);
      }
      kernels::operation_scope<cuda_t> op(cuda, {"the wait for the step's results"});
      return results_.wait(last_slot_);
    });
    opt.report_gradient_norm(std::sqrt(r[1]));
    // The float sum over the float count, as kernels::loss takes the mean; then the penalties.
    const std::size_t terms = loss_terms_[last_slot_];
    const double mean = terms == 0 ? 0.0 : double(static_cast<float>(r[0]) / float(terms));
    return Net::penalty_count > 0 ? mean + r[2] : mean;
  }
  /// The host copy of the outputs of the step finished last (queued `with_outputs`).
  [[nodiscard]] const float* step_outputs() {
    const queued_at w = where_[last_slot_];
    return w.fused ? bundles_.outputs(w.at) : outputs_.wait(last_slot_);
  }

  /// Forward and loss on one batch, no gradients (evaluate); returns the batch's mean loss. A
  /// network whose step fuses runs it as one launch, the outputs copied back with the loss.
  template <class B>
  double forward_loss(Net& net, const B& batch, nn::mode m) {
    return kernels::gpu::detail::reporting_errors([&] {
      launch_recorded();
      push_parameters();
      last_forward_.reset();
      const std::size_t n = batch.size();
      if constexpr (fusable) {
        if (fuses(n)) {
          const double* r = forward_fused(net, batch, m, true);
          const std::size_t terms = kernels::loss_terms(Loss::kind, n, output_size);
          const double mean =
              terms == 0 ? 0.0 : double(static_cast<float>(r[0]) / float(terms));
          return Net::penalty_count > 0 ? mean + r[2] : mean;
        }
      }
      upload(batch);
      net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, m, be_);
      kernels::operation_scope<cuda_t> op(cuda, {"the loss"});
      const float loss =
          kernels::loss(cuda, Loss::kind, loss_reads_logits<Net, Loss>, loss_input(),
                        labels<B>(), static_cast<float*>(nullptr), n, output_size, loss_constants());
      batch_.release();
      if constexpr (Net::penalty_count > 0)
        return double(loss) + kernels::regularize(cuda, params_.data(), static_cast<float*>(nullptr),
                                                  Net::penalties);
      else
        return double(loss);
    });
  }
  /// Host copies of the outputs of the last forward_loss, n samples.
  [[nodiscard]] const float* outputs(std::size_t n) {
    if (last_forward_) return bundles_.outputs(*last_forward_);
    launch_recorded();
    kernels::gpu::copy_to_host(cuda, acts_[depth], host_outputs_.data(), n * output_size);
    return host_outputs_.data();
  }

  /// Forward only; returns host copies of the batch's outputs (one launch on a network whose
  /// step fuses).
  template <class B>
  const float* predict(Net& net, const B& batch) {
    return kernels::gpu::detail::reporting_errors([&] {
      launch_recorded();
      push_parameters();
      last_forward_.reset();
      const std::size_t n = batch.size();
      if constexpr (fusable) {
        if (fuses(n)) {
          (void)forward_fused(net, batch, nn::mode::inference, false);
          return outputs(n);
        }
      }
      ensure_capacity(batch.capacity());
      staged_ = false;  // the upload below may take a staged batch's slot
      acts_[0] = batch_.upload(batch.x_data(), n * Net::input_size);
      net.forward(static_cast<const float*>(params_.data()), acts_.data(), n,
                  nn::mode::inference, be_);
      batch_.release();
      kernels::operation_scope<cuda_t> op(cuda, {"the copy of the outputs"});
      return outputs(n);
    });
  }

private:
  // A bound on the operations a step records: a layer's forward one, its backward three (a
  // Dense's two products and its bias gradient), the loss one, the optimizer at most eight
  // (accumulation, clipping, the update, the moving average and their norms), the copy of the
  // outputs one, the weight penalties one per fused_penalty_ranges slices.
  static constexpr std::size_t plan_need =
      4 * depth + 10 +
      (Net::penalty_count + kernels::gpu::fused_penalty_ranges - 1) /
          kernels::gpu::fused_penalty_ranges;
  static constexpr bool fusable = [] {
    if constexpr (requires { typename Net::template layer_t<0>; })
      return plan_need <= kernels::gpu::fused_max_ops &&
             []<std::size_t... I>(std::index_sequence<I...>) {
               return (runs_fused<typename Net::template layer_t<I>> && ...);
             }(std::make_index_sequence<depth>{});
    else
      return false;
  }();

  // The step's kernels on `be`: cuda_t's launch one by one, recording_t's append to a plan.
  // `scalars`: where the step's loss sum, squared gradient norm and penalty land.
  template <class B, class Backend>
  void queue_step(Backend be, Net& net, std::size_t n, optim::Optimizer& opt, double* scalars) {
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, nn::mode::training,
                be);
    {
      kernels::operation_scope<Backend> op(be, {"the loss"});
      const kernels::class_weights<float> weights{
          class_weights_.size() ? class_weights_.data() : nullptr, class_weights_.size()};
      kernels::loss_total(be, Loss::kind, loss_reads_logits<Net, Loss>, loss_input(),
                          labels<B>(), dy_.data(), n, output_size, scalars, loss_constants(),
                          weights);
      op.finish();
    }
    constexpr std::size_t through = backward_depth<Net, Loss>;
    if constexpr (through > 0)
      net.template backward<through>(static_cast<const float*>(params_.data()), acts_.data(),
                                     dy_.data(), scratch_.data(), grads_.data(), n, be);
    if constexpr (Net::penalty_count > 0) {
      kernels::operation_scope<Backend> op(be, {"the weight penalties"});
      kernels::regularize_into(be, params_.data(), grads_.data(), Net::penalties, scalars + 2);
      op.finish();
    }
    kernels::operation_scope<Backend> op(be, {"the optimizer update"});
    opt.step(be, params_.data(), grads_.data(), Net::param_count,
             {slot(0), slot(1), slot(2), slot(3), slot(4)}, scalars + 1);
    op.finish();
  }

  // Opens the next fused step and writes `batch` into its slot (its labels too when `labels`);
  // points acts_[0] and the labels there.
  template <class B>
  kernels::gpu::step_bundles::step open_fused(const B& batch, bool labels) {
    static_assert(labels_fit<B>());
    ensure_capacity(batch.capacity());
    const std::size_t cap = batch.capacity(), n = batch.size();
    bundles_.reshape({std::max<std::size_t>(ring_ / 2, 1), labels_at(cap) + cap * B::y_stride,
                      plan_need, cap * output_size});
    kernels::gpu::step_bundles::step s = bundles_.next();
    std::memcpy(s.batch_host, batch.x_data(), n * Net::input_size * sizeof(float));
    if (labels)
      std::memcpy(s.batch_host + labels_at(n), batch.y_data(), n * B::y_stride * sizeof(float));
    acts_[0] = s.batch_device;
    y_device_ = reinterpret_cast<const std::uint32_t*>(s.batch_device + labels_at(n));
    return s;
  }

  // The same step recorded into the launch being filled, its batch written beside it, its
  // outputs (for the metrics) copied where they come back from.
  template <class B>
  kernels::gpu::bundled_step queue_fused(Net& net, const B& batch, optim::Optimizer& opt,
                                         bool with_outputs) {
    kernels::operation_scope<cuda_t> op(cuda, {"the fused training step"});
    kernels::gpu::step_bundles::step s = open_fused(batch, true);
    const recording_t rec{&s.sink, be_.math};
    queue_step<B>(rec, net, batch.size(), opt, s.scalars);
    if (with_outputs)
      kernels::copy_values(rec, acts_[depth], s.outputs, batch.size() * output_size);
    const kernels::gpu::bundled_step at = bundles_.close(s.sink.count, with_outputs);
    op.finish();
    return at;
  }

  // evaluate's and predict's forward pass (and the loss and penalties when `with_loss`) as one
  // launch that copies back the outputs with the loss sum and penalty; waits for it. Its
  // outputs are outputs()'s until the next operation.
  template <class B>
  const double* forward_fused(Net& net, const B& batch, nn::mode m, bool with_loss) {
    kernels::operation_scope<cuda_t> op(cuda, {"the fused forward pass"});
    kernels::gpu::step_bundles::step s = open_fused(batch, with_loss);
    const recording_t rec{&s.sink, be_.math};
    const std::size_t n = batch.size();
    net.forward(static_cast<const float*>(params_.data()), acts_.data(), n, m, rec);
    if (with_loss) {
      kernels::loss_total(rec, Loss::kind, loss_reads_logits<Net, Loss>, loss_input(),
                          labels<B>(), static_cast<float*>(nullptr), n, output_size, s.scalars,
                          loss_constants());
      if constexpr (Net::penalty_count > 0)
        kernels::regularize_into(rec, params_.data(), static_cast<float*>(nullptr),
                                 Net::penalties, s.scalars + 2);
    }
    kernels::copy_values(rec, acts_[depth], s.outputs, n * output_size);
    last_forward_ = bundles_.close(s.sink.count, true);
    bundles_.launch();
    const double* r = bundles_.finish(*last_forward_);
    op.finish();
    return r;
  }
  // Launches the fused steps recorded and not yet launched: everything else on the device
  // comes after them.
  void launch_recorded() const {
    kernels::operation_scope<cuda_t> op(cuda, {"the fused training step"});
    bundles_.launch();
    op.finish();
  }

  // The device holds the current parameters; the host copy is refreshed when read and sent
  // back before the next device operation when a caller may have written it.
  void download_parameters() const {
    if (!host_written_)
      kernels::gpu::copy_to_host(cuda, params_.data(), host_params_.data(), host_params_.size());
  }
  void push_parameters() {
    if (host_written_)
      kernels::gpu::copy_to_device(cuda, host_params_.data(), params_.data(),
                                   host_params_.size());
    host_written_ = false;
  }

  // Copies the batch's features and labels into the next slot of the upload ring, the labels
  // (their bits: int32 class indices or float targets) after the features.
  // A batch's labels travel as the bits of floats, after its features.
  template <class B>
  static constexpr bool labels_fit() {
    static_assert(sizeof(typename B::label_value) == sizeof(float),
                  "cuda backend: labels are 32-bit (int32 class indices or float targets)");
    return true;
  }
  template <class B>
  void upload(const B& batch) {
    static_assert(labels_fit<B>());
    ensure_capacity(batch.capacity());
    batch_.reserve(labels_at(batch.capacity()) + batch.capacity() * B::y_stride, ring_ + 1);
    staged_ = false;
    const std::size_t n = batch.size();
    float* slot = batch_.upload(batch.x_data(), n * Net::input_size,
                                reinterpret_cast<const float*>(batch.y_data()), n * B::y_stride,
                                labels_at(n));
    acts_[0] = slot;
    y_device_ = reinterpret_cast<const std::uint32_t*>(slot + labels_at(n));
  }
  // Where a batch of n samples' labels start in its slot: after the features, on a 256-byte
  // boundary (cudaMalloc's alignment, so the labels keep it).
  static constexpr std::size_t labels_at(std::size_t n) noexcept {
    return (n * Net::input_size + 63) / 64 * 64;
  }
  template <class B>
  const typename B::label_value* labels() const noexcept {
    return reinterpret_cast<const typename B::label_value*>(y_device_);
  }
  const float* loss_input() const noexcept {
    return loss_fused<Net, Loss> ? acts_[depth - 1] : acts_[depth];
  }
  static constexpr kernels::loss_parameters<float> loss_constants() noexcept {
    return loss::detail::parameters_of<Loss, float>();
  }
  float* slot(std::size_t i) noexcept { return slots_[i].size() ? slots_[i].data() : nullptr; }

  void ensure_capacity(std::size_t batch) {
    if (batch <= capacity_) return;
    // Steps in flight read the buffers about to be replaced.
    launch_recorded();
    kernels::gpu::synchronize(cuda);
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
    reserve_rings();
    host_outputs_.assign(capacity_ * output_size, 0.0f);
  }
  // A batch slot per step in flight and one for the batch staged behind them; an outputs slot
  // per step.
  void reserve_rings() {
    batch_.reserve(capacity_ * Net::input_size, ring_ + 1);
    outputs_.reserve(capacity_ * output_size, ring_);
  }

  cuda_t be_{};  // the tag the layers run with: it carries the precision policy
  kernels::gpu::device_buffer<float> params_, grads_;
  std::array<kernels::gpu::device_buffer<float>, optim::slot_count> slots_;
  kernels::gpu::device_buffer<float> acts_storage_, dy_, scratch_;
  std::array<float*, depth + 1> acts_{};
  kernels::gpu::upload_ring<float> batch_;
  const std::uint32_t* y_device_ = nullptr;  // the labels uploaded last
  bool staged_ = false;                      // the last upload was stage()'s
  kernels::gpu::device_buffer<float> class_weights_;
  // Per step in flight (a ring of ring_ slots, in the order queued): its loss sum, squared
  // gradient norm and penalty on the device (sized after the device check), their host copy,
  // the outputs' host copy and the loss's term count.
  kernels::gpu::device_buffer<double> scalars_;
  kernels::gpu::readback_buffer<double> results_;
  kernels::gpu::readback_buffer<float> outputs_;
  std::vector<std::size_t> loss_terms_;
  // Where each step in flight reports: a fused step in its launch, any other in the slots above.
  struct queued_at {
    bool fused = false;
    kernels::gpu::bundled_step at{};
  };
  std::vector<queued_at> where_;
  // (A const read launches what is recorded.) The layers' element-wise operations recorded as
  // data run through nn's table.
  mutable kernels::gpu::step_bundles bundles_{
      &kernels::gpu::detail::launch_plan<nn::detail::map_table>};
  std::optional<kernels::gpu::bundled_step> last_forward_;  // a fused forward_loss's or predict's
  std::size_t ring_ = 1, queued_ = 0, finished_ = 0, last_slot_ = 0;
  std::size_t capacity_ = 0;
  // Host copies (mutable: a const read refreshes them).
  mutable std::vector<float> host_params_, host_grads_;
  mutable bool host_written_ = false;
  std::vector<float> host_outputs_;
};

template <class Net, class Loss>
struct engine_for<cuda_t, Net, Loss> {
  using type = device_engine<Net, Loss>;
};

}  // namespace fitcheck::detail
