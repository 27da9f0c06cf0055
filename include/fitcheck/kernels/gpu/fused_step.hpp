// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <span>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/gpu/gemm.hpp>
#include <fitcheck/kernels/gpu/loss.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>
#include <fitcheck/kernels/gpu/optim.hpp>

// A small network's whole training step in one kernel launch. A step of the seed MLP is eleven
// kernels of a few microseconds each: on a GPU its time is launch latency, not work. The device
// engine runs the step's ordinary code (the layers' forward and backward, the loss, the
// optimizer's step) with the backend tag `recording_t`, whose kernels do not launch but append
// what they would run (the same functors the cuda kernels hand Thrust) to a `step_plan`. One
// block of `fused_threads` threads then runs the plan's operations in order, a barrier after
// each: no layer, loss or optimizer is written a second time for it. On Thrust's CPU systems
// the same program runs on the host, thread by thread, which is how it is tested without a GPU.

namespace fitcheck::kernels::gpu {

/// The threads of the block that runs a fused step.
inline constexpr unsigned fused_threads = 512;
/// The largest batch a fused step takes: a bias gradient then sums its rows in order in one
/// thread, as the unfused column sums do up to this many rows.
inline constexpr std::size_t fused_max_batch = 1024;
/// The most operations a fused step records (the engine fuses no network whose step needs more).
inline constexpr unsigned fused_max_ops = 64;
/// Under the automatic policy, a step fuses when its matrix products multiply-add at most this
/// many times: one block (one of the GPU's multiprocessors) does the work, so it pays only
/// while the launches it saves cost more than the parallelism it gives up. A first estimate,
/// to be set from `bench_gpu_train` on a GPU (the seed model at batch 32: 148 k).
inline constexpr std::size_t fused_auto_macs = std::size_t{1} << 21;

/// When the device engine fuses a step: `automatic` (a network of fusable layers whose step
/// fits fused_max_batch and fused_auto_macs), `always` (any batch up to fused_max_batch) or
/// `never`. FITCHECK_FUSED_STEP=0 or =1 in the environment sets never or always (any other
/// value: automatic).
enum class step_fusion : unsigned char { automatic, always, never };

/// The process's policy (read from FITCHECK_FUSED_STEP once); set_step_fusion changes it, for
/// benchmarks and tests that compare both paths.
inline std::atomic<step_fusion>& step_fusion_policy() {
  static std::atomic<step_fusion> policy{[] {
    const char* v = std::getenv("FITCHECK_FUSED_STEP");
    const std::string_view value = v == nullptr ? "" : v;
    return value == "0"   ? step_fusion::never
           : value == "1" ? step_fusion::always
                          : step_fusion::automatic;
  }()};
  return policy;
}
inline void set_step_fusion(step_fusion p) noexcept { step_fusion_policy().store(p); }

/// Fused steps launched by this process so far (tests check that a step ran fused).
inline std::atomic<std::uint64_t>& fused_launches() {
  static std::atomic<std::uint64_t> n{0};
  return n;
}

/// Where a fused step's time goes on the device (bench_gpu_train's table): while a profile
/// buffer is attached, each fused launch's thread 0 writes, after the barrier that ends each
/// operation, the operation's kind, its item count and the clock (the multiprocessor's cycle
/// counter; on Thrust's CPU systems the host's steady clock, in ns). Entry 0 holds the count of
/// operations and the clock at the start. Three values an entry, fused_max_ops + 1 entries, in
/// device memory; null (the default): nothing is written.
inline std::atomic<std::uint64_t*>& fused_profile_stamps() {
  static std::atomic<std::uint64_t*> stamps{nullptr};
  return stamps;
}
inline constexpr std::size_t fused_profile_values = 3 * (fused_max_ops + 1);

namespace detail {
// One operation of a plan: a for_each over `items` indices, or a reduction of them into *out.
// The payload is the functor the cuda kernel of the same name hands Thrust.
struct fused_op {
  enum class kind : unsigned char {
    gemm,
    column_sums,
    activation,
    activation_backward,
    softmax,
    softmax_backward,
    dropout,
    noise,
    noise_backward,
    loss_labels,   // reduction: loss terms against int32 class indices
    loss_targets,  // reduction: loss terms against float targets
    squares,       // reduction: the squared gradient norm, in double
    sgd,
    adam,
    amsgrad,
    rmsprop,
    adagrad,
    adamax,
    adadelta,
    lion,
    nadam,
    clip_norm,
    clamp,
    accumulate,
    average_accumulated,
    moving_average,
    copy,
  };
  union payload {
    FITCHECK_HOST_DEVICE payload() {}
    gemm_element<float> gemm;
    column_in_order<float, element_at<float>> column_sums;
    act_forward<float> activation;
    act_backward_from_output<float> activation_backward;
    softmax_row<float> softmax;
    softmax_backward_row<float> softmax_backward;
    dropout_element<float> dropout;
    noise_element<float, true> noise;
    noise_element<float, false> noise_backward;
    loss_term<float, std::int32_t> loss_labels;
    loss_term<float, float> loss_targets;
    square_double squares;
    sgd_element sgd;
    adam_element adam;
    amsgrad_element amsgrad;
    rmsprop_element rmsprop;
    adagrad_element adagrad;
    adamax_element adamax;
    adadelta_element adadelta;
    lion_element lion;
    nadam_element nadam;
    clip_norm_element clip_norm;
    clamp_element clamp;
    accumulate_element accumulate;
    average_accumulated_element average_accumulated;
    moving_average_element moving_average;
    copy_element copy;
  };
  // The kind's name, in a profile's table.
  static constexpr const char* names[] = {
      "gemm", "column_sums", "activation", "activation_backward", "softmax", "softmax_backward",
      "dropout", "noise", "noise_backward", "loss_labels", "loss_targets", "squares", "sgd",
      "adam", "amsgrad", "rmsprop", "adagrad", "adamax", "adadelta", "lion", "nadam",
      "clip_norm", "clamp", "accumulate", "average_accumulated", "moving_average", "copy"};
  static_assert(std::size(names) == std::size_t(kind::copy) + 1, "a name for every kind");

  kind what = kind::copy;
  std::size_t items = 0;
  double* out = nullptr;  // a reduction's result (device memory)
  payload f;
};

// Where recording_t appends: the plan's operations, and how many fit.
struct plan_sink {
  fused_op* ops;
  unsigned capacity;
  unsigned count;

  template <class F>
  void add(fused_op::kind what, std::size_t items, F fused_op::payload::* member, const F& f,
           double* out = nullptr) {
    // The engine sizes the plan for its network at compile time, so this is a bug, not input.
    if (count == capacity) throw std::logic_error("fitcheck: a fused step's plan overflowed");
    fused_op& op = ops[count++];
    op.what = what;
    op.items = items;
    op.out = out;
    op.f.*member = f;
  }
};
}  // namespace detail

/// A training step's operations, run by one launch; N: at most this many (the engine's bound for
/// its network). A kernel parameter, copied whole: trivially copyable.
template <unsigned N>
struct step_plan {
  detail::fused_op ops[N];
  unsigned count = 0;
};

}  // namespace fitcheck::kernels::gpu

namespace fitcheck {
/// The backend tag of a fused step's recording (kernels/gpu/fused_step.hpp): a layer, loss or
/// optimizer called with it queues nothing, its kernels append their operations to `plan`. The
/// products compute in `math`, as with cuda_t.
struct recording_t {
  kernels::gpu::detail::plan_sink* plan;
  precision math = precision::float32;
};
}  // namespace fitcheck

// The kernels a fusable layer, a loss and an optimizer call, for recording_t: the cuda kernels'
// signatures, each appending the cuda kernel's functor.
namespace fitcheck::kernels {

namespace gpu::detail {
using op_kind = fused_op::kind;
using payload = fused_op::payload;

// An optimizer update, after the squares of its gradient when the caller asks for the norm (read
// before the update changes nothing it reads, as for cuda_t).
template <class F>
void record_update(recording_t be, op_kind what, F payload::* member, const F& f, const float* g,
                   std::size_t n, double* squares) {
  if (squares) be.plan->add(op_kind::squares, n, &payload::squares, square_double{g}, squares);
  be.plan->add(what, n, member, f);
}
}  // namespace gpu::detail

inline void gemm(recording_t be, const gemm_args& g, float alpha, const float* a,
                 std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                 std::size_t ldc, const epilogue<float>& epi = {}) {
  using namespace gpu::detail;
  be.plan->add(op_kind::gemm, g.m * g.n, &payload::gemm,
               gemm_element<float>{gemm_operands<float>{g, alpha, beta, a, lda, b, ldb, c, ldc, epi,
                                                        !epi.empty(), be.math}});
}
inline void column_sums(recording_t be, const float* dy, float* db, std::size_t rows,
                        std::size_t cols) {
  using namespace gpu::detail;
  be.plan->add(op_kind::column_sums, cols, &payload::column_sums,
               column_in_order<float, element_at<float>>{{dy, cols}, rows, db});
}
inline void activation_forward(recording_t be, activation act, const float* x, float* y,
                               std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::activation, n, &payload::activation, act_forward<float>{act, x, y});
}
inline void activation_backward_from_output(recording_t be, activation act, const float* y,
                                            const float* dy, float* dx, std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::activation_backward, n, &payload::activation_backward,
               act_backward_from_output<float>{act, y, dy, dx});
}
inline void softmax_rows(recording_t be, const float* x, float* y, std::size_t rows,
                         std::size_t k) {
  using namespace gpu::detail;
  be.plan->add(op_kind::softmax, rows, &payload::softmax, softmax_row<float>{x, y, k});
}
inline void softmax_backward_rows(recording_t be, const float* y, const float* dy, float* dx,
                                  std::size_t rows, std::size_t k) {
  using namespace gpu::detail;
  be.plan->add(op_kind::softmax_backward, rows, &payload::softmax_backward,
               softmax_backward_row<float>{y, dy, dx, k});
}
inline void dropout_forward(recording_t be, std::uint64_t seed, std::uint64_t num,
                            std::uint64_t den, const float* x, float* y, std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::dropout, n, &payload::dropout,
               dropout_element<float>::with_rate(seed, num, den, x, y));
}
inline void dropout_backward(recording_t be, std::uint64_t seed, std::uint64_t num,
                             std::uint64_t den, const float* dy, float* dx, std::size_t n) {
  dropout_forward(be, seed, num, den, dy, dx, n);
}
inline void noise_forward(recording_t be, const noise_args& a, const float* x, float* y,
                          std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::noise, n, &payload::noise, noise_element<float, true>{a, x, y});
}
inline void noise_backward(recording_t be, const noise_args& a, const float* dy, float* dx,
                           std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::noise_backward, n, &payload::noise_backward,
               noise_element<float, false>{a, dy, dx});
}
template <class Y>
void loss_total(recording_t be, loss_kind kind, bool logits, const float* o, const Y* y,
                float* grad, std::size_t batch, std::size_t width, double* total,
                loss_parameters<float> params = {}, class_weights<float> weights = {}) {
  using namespace gpu::detail;
  static_assert(std::is_same_v<Y, std::int32_t> || std::is_same_v<Y, float>,
                "a fused step's labels are int32 class indices or float targets");
  const loss_term<float, Y> term{kind, logits, o, y, grad, batch, width, params, weights};
  const std::size_t count = loss_terms(kind, batch, width);
  if constexpr (std::is_same_v<Y, std::int32_t>)
    be.plan->add(op_kind::loss_labels, count, &payload::loss_labels, term, total);
  else
    be.plan->add(op_kind::loss_targets, count, &payload::loss_targets, term, total);
}
inline void sum_of_squares_into(recording_t be, std::span<const float> x, double* out) {
  using namespace gpu::detail;
  be.plan->add(op_kind::squares, x.size(), &payload::squares, square_double{x.data()}, out);
}

// The optimizer updates.
inline void sgd_update(recording_t be, float* p, const float* g, float* velocity, std::size_t n,
                       const sgd_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::sgd, &payload::sgd, sgd_element{p, velocity, g, c}, g, n, squares);
}
inline void adam_update(recording_t be, float* p, const float* g, float* m, float* v,
                        std::size_t n, const adam_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::adam, &payload::adam, adam_element{p, m, v, g, c}, g, n, squares);
}
inline void amsgrad_update(recording_t be, float* p, const float* g, float* m, float* v,
                           float* v_max, std::size_t n, const adam_coefficients& c,
                           double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::amsgrad, &payload::amsgrad,
                amsgrad_element{p, m, v, v_max, g, c}, g, n, squares);
}
inline void rmsprop_update(recording_t be, float* p, const float* g, float* square_avg,
                           float* momentum_buffer, float* grad_avg, std::size_t n,
                           const rmsprop_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::rmsprop, &payload::rmsprop,
                rmsprop_element{p, square_avg, momentum_buffer, grad_avg, g, c}, g, n, squares);
}
inline void adagrad_update(recording_t be, float* p, const float* g, float* sum_sq, std::size_t n,
                           const adagrad_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::adagrad, &payload::adagrad,
                adagrad_element{p, sum_sq, g, c}, g, n, squares);
}
inline void adamax_update(recording_t be, float* p, const float* g, float* m, float* u,
                          std::size_t n, const adamax_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::adamax, &payload::adamax,
                adamax_element{p, m, u, g, c}, g, n, squares);
}
inline void adadelta_update(recording_t be, float* p, const float* g, float* square_avg,
                            float* acc_delta, std::size_t n, const adadelta_coefficients& c,
                            double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::adadelta, &payload::adadelta,
                adadelta_element{p, square_avg, acc_delta, g, c}, g, n, squares);
}
inline void lion_update(recording_t be, float* p, const float* g, float* m, std::size_t n,
                        const lion_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::lion, &payload::lion, lion_element{p, m, g, c}, g, n, squares);
}
inline void nadam_update(recording_t be, float* p, const float* g, float* m, float* v,
                         std::size_t n, const nadam_coefficients& c, double* squares = nullptr) {
  using namespace gpu::detail;
  record_update(be, op_kind::nadam, &payload::nadam, nadam_element{p, m, v, g, c}, g, n, squares);
}
inline void clip_by_global_norm(recording_t be, float* g, std::size_t n, float clipnorm,
                                const double* squares) {
  using namespace gpu::detail;
  be.plan->add(op_kind::clip_norm, n, &payload::clip_norm,
               clip_norm_element{g, squares, double(clipnorm)});
}
inline void clamp(recording_t be, float* g, std::size_t n, float limit) {
  using namespace gpu::detail;
  be.plan->add(op_kind::clamp, n, &payload::clamp, clamp_element{g, limit});
}
inline void accumulate_gradient(recording_t be, float* acc, const float* g, std::size_t n,
                                bool first) {
  using namespace gpu::detail;
  be.plan->add(op_kind::accumulate, n, &payload::accumulate, accumulate_element{acc, g, first});
}
inline void average_accumulated(recording_t be, float* g, const float* acc, std::size_t n,
                                float steps) {
  using namespace gpu::detail;
  be.plan->add(op_kind::average_accumulated, n, &payload::average_accumulated,
               average_accumulated_element{g, acc, steps});
}
inline void moving_average(recording_t be, float* avg, const float* p, std::size_t n,
                           float momentum) {
  using namespace gpu::detail;
  be.plan->add(op_kind::moving_average, n, &payload::moving_average,
               moving_average_element{avg, p, momentum});
}
inline void copy_values(recording_t be, const float* from, float* to, std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::copy, n, &payload::copy, copy_element{from, to});
}

namespace gpu {
namespace detail {
// The threads of a block as the plan sees them: thread t takes indices t, t + fused_threads, ...
// of an operation, and every thread passes every barrier. On a GPU each thread runs one t; on
// the host one caller runs them all, one after the other, so the partition, and with it every
// sum's order, is the GPU's.
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
struct device_threads {
  __device__ unsigned first() const { return threadIdx.x; }
  __device__ unsigned end() const { return threadIdx.x + 1; }
  __device__ void barrier() const { __syncthreads(); }
  __device__ std::uint64_t now() const { return static_cast<std::uint64_t>(clock64()); }
};
#endif
struct host_threads {
  unsigned first() const { return 0; }
  unsigned end() const { return fused_threads; }
  void barrier() const {}
  std::uint64_t now() const {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
  }
};

template <class Threads, class F>
FITCHECK_HOST_DEVICE void each(const Threads& t, std::size_t items, const F& f) {
  for (unsigned id = t.first(); id < t.end(); ++id)
    for (std::size_t i = id; i < items; i += fused_threads) f(i);
  t.barrier();
}

// f(0) + ... + f(items - 1) in Acc into *out: each thread's share in index order, then a tree
// over the threads' sums. `partial` holds fused_threads values of Acc.
template <class Acc, class Threads, class F>
FITCHECK_HOST_DEVICE void reduce(const Threads& t, Acc* partial, std::size_t items, const F& f,
                                 double* out) {
  for (unsigned id = t.first(); id < t.end(); ++id) {
    Acc s = Acc(0);
    for (std::size_t i = id; i < items; i += fused_threads) s += f(i);
    partial[id] = s;
  }
  t.barrier();
  for (unsigned width = fused_threads / 2; width > 0; width /= 2) {
    for (unsigned id = t.first(); id < t.end(); ++id)
      if (id < width) partial[id] += partial[id + width];
    t.barrier();
  }
  for (unsigned id = t.first(); id < t.end(); ++id)
    if (id == 0) *out = double(partial[0]);
  t.barrier();
}

// The reductions' per-thread sums (shared memory on a GPU).
struct partial_sums {
  float* single;
  double* wide;
};

// The plan's operations in order; `stamps`: fused_profile_stamps() (null: not profiled).
template <class Threads>
FITCHECK_HOST_DEVICE void run_plan(const fused_op* ops, unsigned count, const Threads& t,
                                   partial_sums partial, std::uint64_t* stamps) {
  static_assert(fused_threads > 0 && (fused_threads & (fused_threads - 1)) == 0,
                "the tree reduction halves fused_threads");
  const bool profiled = stamps != nullptr && t.first() == 0;
  if (profiled) {
    stamps[0] = count;
    stamps[1] = 0;
    stamps[2] = t.now();
  }
  for (unsigned k = 0; k < count; ++k) {
    const fused_op& op = ops[k];
    const payload& f = op.f;
    const std::size_t n = op.items;
    switch (op.what) {
      case op_kind::gemm: each(t, n, f.gemm); break;
      case op_kind::column_sums: each(t, n, f.column_sums); break;
      case op_kind::activation: each(t, n, f.activation); break;
      case op_kind::activation_backward: each(t, n, f.activation_backward); break;
      case op_kind::softmax: each(t, n, f.softmax); break;
      case op_kind::softmax_backward: each(t, n, f.softmax_backward); break;
      case op_kind::dropout: each(t, n, f.dropout); break;
      case op_kind::noise: each(t, n, f.noise); break;
      case op_kind::noise_backward: each(t, n, f.noise_backward); break;
      case op_kind::loss_labels:
        reduce<float>(t, partial.single, n, f.loss_labels, op.out);
        break;
      case op_kind::loss_targets:
        reduce<float>(t, partial.single, n, f.loss_targets, op.out);
        break;
      case op_kind::squares: reduce<double>(t, partial.wide, n, f.squares, op.out); break;
      case op_kind::sgd: each(t, n, f.sgd); break;
      case op_kind::adam: each(t, n, f.adam); break;
      case op_kind::amsgrad: each(t, n, f.amsgrad); break;
      case op_kind::rmsprop: each(t, n, f.rmsprop); break;
      case op_kind::adagrad: each(t, n, f.adagrad); break;
      case op_kind::adamax: each(t, n, f.adamax); break;
      case op_kind::adadelta: each(t, n, f.adadelta); break;
      case op_kind::lion: each(t, n, f.lion); break;
      case op_kind::nadam: each(t, n, f.nadam); break;
      case op_kind::clip_norm: each(t, n, f.clip_norm); break;
      case op_kind::clamp: each(t, n, f.clamp); break;
      case op_kind::accumulate: each(t, n, f.accumulate); break;
      case op_kind::average_accumulated: each(t, n, f.average_accumulated); break;
      case op_kind::moving_average: each(t, n, f.moving_average); break;
      case op_kind::copy: each(t, n, f.copy); break;
    }
    if (profiled) {
      stamps[3 * k + 3] = static_cast<std::uint64_t>(op.what);
      stamps[3 * k + 4] = n;
      stamps[3 * k + 5] = t.now();
    }
  }
}

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
// __grid_constant__: the threads read the plan where the launch put it, with no copy per thread.
template <unsigned N>
__global__ void __launch_bounds__(fused_threads)
    fused_step_kernel(const __grid_constant__ step_plan<N> plan, std::uint64_t* stamps) {
  __shared__ float single[fused_threads];
  __shared__ double wide[fused_threads];
  run_plan(plan.ops, plan.count, device_threads{}, partial_sums{single, wide}, stamps);
}
#endif
}  // namespace detail

/// A plan's sink for recording_t.
template <unsigned N>
[[nodiscard]] detail::plan_sink sink_of(step_plan<N>& plan) noexcept {
  return {plan.ops, N, 0};
}

/// Runs the `count` recorded operations of `plan` as one launch on the compute stream (after the
/// kernels queued before it, as they would have run).
template <unsigned N>
void launch(step_plan<N>& plan, unsigned count) {
  static_assert(N <= fused_max_ops, "a fused step's plan is larger than its profile's room");
  plan.count = count;
  std::uint64_t* const stamps = fused_profile_stamps().load(std::memory_order_relaxed);
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  static_assert(sizeof(step_plan<N>) <= 32764 - sizeof(stamps),
                "a fused step's plan exceeds CUDA's 32 KB of kernel parameters: the engine must "
                "not fuse this network");
  detail::fused_step_kernel<N><<<1, fused_threads>>>(plan, stamps);
  detail::check(cudaGetLastError(), "the fused step's kernel launch");
#else
  float single[fused_threads];
  double wide[fused_threads];
  detail::run_plan(plan.ops, count, detail::host_threads{}, detail::partial_sums{single, wide},
                   stamps);
#endif
  fused_launches().fetch_add(1, std::memory_order_relaxed);
}

/// Attaches a profile buffer (fused_profile_stamps) for its lifetime; last() reads the
/// operations of the fused launch that ran last. One at a time in a process.
class fused_step_profile {
public:
  struct operation {
    const char* name;
    std::uint64_t items;
    std::uint64_t clocks;  // since the previous operation ended (the first: since the start)
  };
  fused_step_profile() : stamps_(fused_profile_values) {
    fused_profile_stamps().store(stamps_.data());
  }
  fused_step_profile(const fused_step_profile&) = delete;
  fused_step_profile& operator=(const fused_step_profile&) = delete;
  ~fused_step_profile() { fused_profile_stamps().store(nullptr); }

  /// Waits for the device; empty before a fused launch ran.
  [[nodiscard]] std::vector<operation> last() const {
    std::vector<std::uint64_t> v(fused_profile_values);
    copy_to_host(cuda, stamps_.data(), v.data(), v.size());
    std::vector<operation> ops;
    const std::uint64_t count = std::min<std::uint64_t>(v[0], fused_max_ops);
    for (std::size_t k = 0; k < count; ++k) {
      const auto& names = detail::fused_op::names;
      const std::uint64_t kind = std::min<std::uint64_t>(v[3 * k + 3], std::size(names) - 1);
      ops.push_back({names[kind], v[3 * k + 4], v[3 * k + 5] - v[3 * k + 2]});
    }
    return ops;
  }

private:
  device_buffer<std::uint64_t> stamps_;
};

}  // namespace gpu
}  // namespace fitcheck::kernels
