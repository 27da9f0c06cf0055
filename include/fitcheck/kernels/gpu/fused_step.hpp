// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
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
#include <fitcheck/kernels/gpu/transfer.hpp>

// A small network's whole training step in one kernel launch. A step of the seed MLP is eleven
// kernels of a few microseconds each: on a GPU its time is launch latency, not work. The device
// engine runs the step's ordinary code (the layers' forward and backward, the loss, the
// optimizer's step) with the backend tag `recording_t`, whose kernels do not launch but append
// what they would run (the same functors the cuda kernels hand Thrust) to a plan. One
// block of `fused_threads` threads then runs the plan's operations in order, a barrier after
// each: no layer, loss or optimizer is written a second time for it. Several steps can share a
// launch (`step_bundles`): their batches and plans go to the device in one copy, run in one
// launch, and their losses come back in one copy. On Thrust's CPU systems the same program runs
// on the host, thread by thread, which is how it is tested without a GPU.

namespace fitcheck::kernels::gpu {

/// The threads of the block that runs a fused step.
inline constexpr unsigned fused_threads = 512;
/// The largest batch a fused step takes: a bias gradient then sums its rows in order in one
/// thread, as the unfused column sums do up to this many rows.
inline constexpr std::size_t fused_max_batch = 1024;
/// The most operations a fused step records (the engine fuses no network whose step needs more;
/// a profile has room for this many).
inline constexpr unsigned fused_max_ops = 64;
/// The weight penalties' slices one operation of a fused step covers (a network with more
/// records more: their sums add up).
inline constexpr std::size_t fused_penalty_ranges = 4;
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

/// Fused launches made by this process so far (training steps, evaluate's and predict's forward
/// passes; tests check that a step ran fused).
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
// An element-wise operation of a plan given as data (a layer's map_forward / map_backward:
// kernels::map_formula): y = f(x), or dx = dy f'(x, y). run_plan evaluates it through its
// `Maps` table (nn/map_table.hpp), which the operation's kind indexes.
struct map_data {
  map_formula op;
  const float *x, *y, *dy;
  float* out;
};
template <class Maps>
struct map_apply {
  map_data d;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const { d.out[i] = Maps::f(d.op, d.x[i]); }
};
template <class Maps>
struct map_derivative {
  map_data d;
  FITCHECK_HOST_DEVICE void operator()(std::size_t i) const {
    d.out[i] = d.dy[i] * Maps::df(d.op, d.x[i], d.y[i]);
  }
};
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
    penalties,     // reduction: weight penalties, their gradients added
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
    map,           // an element-wise operation given as data (Maps::f)
    map_backward,  // its derivative (Maps::df)
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
    penalty_element<fused_penalty_ranges> penalties;
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
    map_data map;
    map_data map_backward;
  };
  // The kind's name, in a profile's table.
  static constexpr const char* names[] = {
      "gemm", "column_sums", "activation", "activation_backward", "softmax", "softmax_backward",
      "dropout", "noise", "noise_backward", "loss_labels", "loss_targets", "squares", "penalties", "sgd",
      "adam", "amsgrad", "rmsprop", "adagrad", "adamax", "adadelta", "lion", "nadam",
      "clip_norm", "clamp", "accumulate", "average_accumulated", "moving_average", "copy",
      "map", "map_backward"};
  static_assert(std::size(names) == std::size_t(kind::map_backward) + 1,
                "a name for every kind");

  kind what = kind::copy;
  bool adds = false;  // a reduction adds its result to *out (a sum recorded in several parts)
  std::size_t items = 0;
  double* out = nullptr;  // a reduction's result (device memory)
  payload f;
};
static_assert(std::is_trivially_copyable_v<fused_op>, "plans are copied to the device as bytes");

// Where recording_t appends: the plan's operations, and how many fit.
struct plan_sink {
  fused_op* ops;
  unsigned capacity;
  unsigned count;

  template <class F>
  void add(fused_op::kind what, std::size_t items, F fused_op::payload::* member, const F& f,
           double* out = nullptr, bool adds = false) {
    // The engine sizes the plan for its network at compile time, so this is a bug, not input.
    if (count == capacity) throw std::logic_error("fitcheck: a fused step's plan overflowed");
    fused_op& op = *std::construct_at(ops + count++);
    op.what = what;
    op.adds = adds;
    op.items = items;
    op.out = out;
    op.f.*member = f;
  }
};
}  // namespace detail

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
// The weight penalties, fused_penalty_ranges slices to an operation.
template <std::size_t N>
void regularize_into(recording_t be, const float* p, float* g, const std::array<penalty, N>& ranges,
                     double* out) {
  using namespace gpu::detail;
  using part = penalty_element<gpu::fused_penalty_ranges>;
  for (std::size_t first = 0; first < N; first += gpu::fused_penalty_ranges) {
    const std::size_t count = std::min(N - first, gpu::fused_penalty_ranges);
    std::size_t items = 0;
    for (std::size_t k = first; k < first + count; ++k) items += ranges[k].count;
    be.plan->add(op_kind::penalties, items, &payload::penalties,
                 part{p, g, ranges.data() + first, count}, out, first > 0);
  }
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
// An element-wise operation with a `formula` (nn/activations.hpp), recorded as data.
template <class Op>
  requires requires { Op::formula; }
void map_forward(recording_t be, Op, const float* x, float* y, std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::map, n, &payload::map, map_data{Op::formula, x, nullptr, nullptr, y});
}
template <class Op>
  requires requires { Op::formula; }
void map_backward(recording_t be, Op, const float* x, const float* y, const float* dy, float* dx,
                  std::size_t n) {
  using namespace gpu::detail;
  be.plan->add(op_kind::map_backward, n, &payload::map_backward,
               map_data{Op::formula, x, y, dy, dx});
}

namespace gpu {
namespace detail {
// The threads of a block as the plan sees them: thread t takes indices t, t + fused_threads, ...
// of an operation, and every thread passes every barrier. On a GPU each thread runs one t; on
// the host one caller runs them all, one after the other, so the partition, and with it every
// sum's order, is the GPU's.
//
// A block sum (sum()) adds the threads' values in one fixed tree, whichever side runs it: within
// each warp of 32, lane l + o into lane l for o = 16, 8, 4, 2, 1 (warp shuffles on a GPU: no
// barrier), then the 16 warps' sums the same way for o = 8, 4, 2, 1. `partial` holds
// fused_threads values, each thread's own at its index, and 16 more for the warps' sums; the
// total is thread 0's.
inline constexpr unsigned fused_warps = fused_threads / 32;
static_assert(fused_threads % 32 == 0 && fused_warps <= 32 &&
                  (fused_warps & (fused_warps - 1)) == 0,
              "a block sum adds whole warps, then the warps' sums in one warp");
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
struct device_threads {
  __device__ unsigned first() const { return threadIdx.x; }
  __device__ unsigned end() const { return threadIdx.x + 1; }
  __device__ void barrier() const { __syncthreads(); }
  __device__ std::uint64_t now() const { return static_cast<std::uint64_t>(clock64()); }
  template <class Acc>
  __device__ Acc sum(Acc* partial) const {
    const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    Acc v = partial[threadIdx.x];  // (its own value: no barrier needed)
    for (unsigned o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffffu, v, o);
    if (lane == 0) partial[fused_threads + warp] = v;
    __syncthreads();
    if (warp == 0) {
      v = lane < fused_warps ? partial[fused_threads + lane] : Acc(0);
      for (unsigned o = fused_warps / 2; o > 0; o /= 2) v += __shfl_down_sync(0xffffffffu, v, o);
    }
    return v;
  }
};
#endif
struct host_threads {
  unsigned first() const { return 0; }
  unsigned end() const { return fused_threads; }
  void barrier() const {}
  template <class Acc>
  Acc sum(Acc* partial) const {
    for (unsigned w = 0; w < fused_warps; ++w) {
      Acc* lanes = partial + 32 * w;
      for (unsigned o = 16; o > 0; o /= 2)
        for (unsigned l = 0; l < o; ++l) lanes[l] += lanes[l + o];
      partial[fused_threads + w] = lanes[0];
    }
    Acc* warps = partial + fused_threads;
    for (unsigned o = fused_warps / 2; o > 0; o /= 2)
      for (unsigned l = 0; l < o; ++l) warps[l] += warps[l + o];
    return warps[0];
  }
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

// f(0) + ... + f(items - 1) in Acc into *out (added to it when `adds`): each thread's share in
// index order, then the block sum over the threads' shares (two barriers in all). `partial`:
// fused_threads + fused_warps values of Acc.
template <class Acc, class Threads, class F>
FITCHECK_HOST_DEVICE void reduce(const Threads& t, Acc* partial, std::size_t items, const F& f,
                                 double* out, bool adds = false) {
  for (unsigned id = t.first(); id < t.end(); ++id) {
    Acc s = Acc(0);
    for (std::size_t i = id; i < items; i += fused_threads) s += f(i);
    partial[id] = s;
  }
  const Acc total = t.template sum<Acc>(partial);
  if (t.first() == 0) *out = adds ? *out + double(total) : double(total);
  t.barrier();
}

// The reductions' per-thread sums and their warps' (shared memory on a GPU).
struct partial_sums {
  float* single;
  double* wide;
};

// The plan's operations in order; `stamps`: fused_profile_stamps() (null: not profiled), which
// has room for the first fused_max_ops.
template <class Maps, class Threads>
FITCHECK_HOST_DEVICE void run_plan(const fused_op* ops, unsigned count, const Threads& t,
                                   partial_sums partial, std::uint64_t* stamps) {
  const bool profiled = stamps != nullptr && t.first() == 0;
  if (profiled) {
    stamps[0] = count < fused_max_ops ? count : fused_max_ops;
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
      case op_kind::penalties:
        reduce<double>(t, partial.wide, n, f.penalties, op.out, op.adds);
        break;
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
      case op_kind::map: each(t, n, map_apply<Maps>{f.map}); break;
      case op_kind::map_backward: each(t, n, map_derivative<Maps>{f.map_backward}); break;
    }
    if (profiled && k < fused_max_ops) {
      stamps[3 * k + 3] = static_cast<std::uint64_t>(op.what);
      stamps[3 * k + 4] = n;
      stamps[3 * k + 5] = t.now();
    }
  }
}

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
// The operations are in device memory, read by every thread (the same address: one load for the
// warp, through the read-only cache). Threads is fused_threads (a template: defined in a header).
// One block a launch, so every register a thread can have is free to take: without the 1, ptxas
// kept to 64 and spilled.
template <class Maps, unsigned Threads>
__global__ void __launch_bounds__(Threads, 1)
    fused_step_kernel(const fused_op* __restrict__ ops, unsigned count, std::uint64_t* stamps) {
  __shared__ float single[Threads + fused_warps];
  __shared__ double wide[Threads + fused_warps];
  run_plan<Maps>(ops, count, device_threads{}, partial_sums{single, wide}, stamps);
}
#endif

// Runs `count` operations at `ops` (device memory) as one launch on the compute stream, after
// the work queued before it, its map operations through `Maps`. (One table in a program, the
// engine's, so nvcc compiles one kernel.)
template <class Maps>
void launch_plan(const fused_op* ops, unsigned count) {
  std::uint64_t* const stamps = fused_profile_stamps().load(std::memory_order_relaxed);
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  fused_step_kernel<Maps, fused_threads><<<1, fused_threads>>>(ops, count, stamps);
  check(cudaGetLastError(), "the fused step's kernel launch");
#else
  float single[fused_threads + fused_warps];
  double wide[fused_threads + fused_warps];
  run_plan<Maps>(ops, count, host_threads{}, partial_sums{single, wide}, stamps);
#endif
  fused_launches().fetch_add(1, std::memory_order_relaxed);
}

// n bytes between pinned host memory and the device, either way (CUDA tells which from the
// addresses), queued on the compute stream.
inline void queue_copy(void* to, const void* from, std::size_t n) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  check(cudaMemcpyAsync(to, from, n, cudaMemcpyDefault, cudaStreamLegacy), "cudaMemcpyAsync");
#else
  std::memcpy(to, from, n);
#endif
}
}  // namespace detail

/// Where a step recorded into step_bundles is: its launch's number and its place in it.
struct bundled_step {
  std::uint64_t launch = 0;
  unsigned index = 0;
};

/// Fused steps launched several at a time (fit's StepsPerExecution), with one copy each way. A
/// step's batch and recorded operations are written to pinned host memory; launch() copies a
/// launch's batches and plans to the device in one copy, runs their operations in order in one
/// kernel, and copies back in one copy the values each step reduced (its loss sum, squared
/// gradient norm and penalty) and, when asked, its outputs. Per launch that is four calls into
/// CUDA (the copy up, the launch, the copy back, its event) and one wait, where a step launched
/// alone made about ten (its upload's copy and events, the launch, its results' copy and event,
/// the wait). A launch's memory is written again only once each of its steps has been read
/// (finish) and its copies are done.
class step_bundles {
public:
  /// What a launch's memory holds for each of its steps.
  struct shape {
    std::size_t steps = 1;         // steps a launch runs
    std::size_t batch_floats = 0;  // a step's batch: features, then labels
    std::size_t ops = 0;           // the operations a step records, at most
    std::size_t outputs = 0;       // a step's outputs (floats)
    [[nodiscard]] bool holds(const shape& s) const noexcept {
      return steps >= s.steps && batch_floats >= s.batch_floats && ops >= s.ops &&
             outputs >= s.outputs;
    }
  };
  /// The step being recorded: its batch's slot (host memory to fill, and the device address the
  /// step reads it at), the sink for its operations, and the device addresses its three scalars
  /// and its outputs are to land at.
  struct step {
    float* batch_host;
    float* batch_device;
    detail::plan_sink sink;
    double* scalars;
    float* outputs;
  };

  /// What runs a launch's operations: detail::launch_plan<Maps>, Maps the table its plans'
  /// map operations are evaluated by (the engine's: nn::detail::map_table; one in a program, so
  /// nvcc compiles one kernel).
  using launcher = void (*)(const detail::fused_op*, unsigned);

  /// Bundles whose launches run through `run`.
  explicit step_bundles(launcher run) noexcept : launcher_(run) {}
  step_bundles(const step_bundles&) = delete;
  step_bundles& operator=(const step_bundles&) = delete;

  /// Launches of `s.steps` steps from the next one opened, in memory that holds `s` (memory
  /// grows, never shrinks: a program that alternates shapes, as fit and predict on other batch
  /// types, does not allocate each time; memory too small is freed once read).
  void reshape(const shape& s) {
    const shape grown{std::max(s.steps, room_.steps), std::max(s.batch_floats, room_.batch_floats),
                      std::max(s.ops, room_.ops), std::max(s.outputs, room_.outputs)};
    if (s.steps == per_launch_ && room_.holds(grown)) return;
    launch();
    per_launch_ = s.steps;
    room_ = grown;
  }

  /// Opens the next step: in the launch being filled, or a new one.
  [[nodiscard]] step next() {
    if (open_ == nullptr) open_launch();
    buffer& b = *open_;
    const layout& l = b.at;
    std::byte* up_host = bytes(b.up_host.data());
    std::byte* up_device = bytes(b.up_device.data());
    std::byte* down_device = bytes(b.down_device.data());
    const std::size_t j = b.steps;
    return {reinterpret_cast<float*>(up_host + j * l.batch_bytes),
            reinterpret_cast<float*>(up_device + j * l.batch_bytes),
            {reinterpret_cast<detail::fused_op*>(up_host + l.ops_at) + b.ops,
             static_cast<unsigned>(l.s.ops), 0},
            reinterpret_cast<double*>(down_device) + 3 * j,
            reinterpret_cast<float*>(down_device + l.outputs_at) + j * l.s.outputs};
  }

  /// Ends the step next() opened, with `recorded` operations; `with_outputs`: its outputs come
  /// back. Launches when the launch is full.
  bundled_step close(unsigned recorded, bool with_outputs) {
    buffer& b = *open_;
    b.ops += recorded;
    b.outputs = b.outputs || with_outputs;
    ++b.unread;
    const bundled_step at{b.id, static_cast<unsigned>(b.steps++)};
    if (b.steps == b.at.s.steps) launch();
    return at;
  }

  /// Launches the steps recorded and not yet launched, if any.
  void launch() {
    buffer* const b = std::exchange(open_, nullptr);
    if (b == nullptr) return;
    const layout& l = b->at;
    std::byte* up_host = bytes(b->up_host.data());
    std::byte* up_device = bytes(b->up_device.data());
    const std::size_t ops_end = l.ops_at + b->ops * sizeof(detail::fused_op);
    if (b->steps == l.s.steps) {
      detail::queue_copy(up_device, up_host, ops_end);
    } else {  // not the slots no step filled
      detail::queue_copy(up_device, up_host, b->steps * l.batch_bytes);
      detail::queue_copy(up_device + l.ops_at, up_host + l.ops_at, ops_end - l.ops_at);
    }
    launcher_(reinterpret_cast<const detail::fused_op*>(up_device + l.ops_at),
              static_cast<unsigned>(b->ops));
    detail::queue_copy(b->down_host.data(), b->down_device.data(),
                            b->outputs ? l.outputs_at + b->steps * l.s.outputs * sizeof(float)
                                       : b->steps * 3 * sizeof(double));
    b->done.record();
  }

  /// The three scalars of step `at`, once its launch has run (launching it if it is still
  /// being filled). The step counts as read; its outputs stay until the next step is read.
  [[nodiscard]] const double* finish(bundled_step at) {
    buffer& b = find(at);
    if (&b == open_) launch();
    b.done.wait();
    --b.unread;
    last_read_ = &b;
    return reinterpret_cast<const double*>(b.down_host.data()) + 3 * at.index;
  }
  /// The outputs of step `at`, read last (finish), when it was closed with_outputs.
  [[nodiscard]] const float* outputs(bundled_step at) {
    buffer& b = find(at);
    return reinterpret_cast<const float*>(bytes(b.down_host.data()) + b.at.outputs_at) +
           at.index * b.at.s.outputs;
  }

  /// Every step counts as read (its reader left): their memory may be written again, once
  /// their launches have run.
  void forget() noexcept {
    for (auto& b : buffers_) b->unread = 0;
    last_read_ = nullptr;
  }

private:
  // Byte offsets in a launch's memory: up, each step's batch (256-byte aligned, so labels and
  // features keep cudaMalloc's alignment) then the operations; down, the scalars then the
  // outputs.
  struct layout {
    shape s;
    std::size_t batch_bytes, ops_at, up_bytes, outputs_at, down_bytes;
    explicit layout(const shape& sh) : s(sh) {
      batch_bytes = round(s.batch_floats * sizeof(float));
      ops_at = s.steps * batch_bytes;
      up_bytes = ops_at + s.steps * s.ops * sizeof(detail::fused_op);
      outputs_at = round(s.steps * 3 * sizeof(double));
      down_bytes = outputs_at + s.steps * s.outputs * sizeof(float);
    }
    static std::size_t round(std::size_t n) { return (n + 255) / 256 * 256; }
  };
  // `room`: what the memory was sized for; `at`: the layout of its current launch (per_launch_
  // steps, within it).
  struct buffer {
    explicit buffer(const shape& s)
        : room(s),
          at(s),
          up_host(words(at.up_bytes)),
          down_host(words(at.down_bytes)),
          up_device(words(at.up_bytes)),
          down_device(words(at.down_bytes)) {}
    shape room;
    layout at;
    pinned_buffer<std::uint64_t> up_host, down_host;
    device_buffer<std::uint64_t> up_device, down_device;
    device_event done;
    std::uint64_t id = 0;
    std::size_t steps = 0, ops = 0, unread = 0;
    bool outputs = false;
  };
  static std::size_t words(std::size_t bytes) { return (bytes + 7) / 8; }
  template <class T>
  static std::byte* bytes(T* p) noexcept {
    return reinterpret_cast<std::byte*>(p);
  }

  // A launch's memory none of whose steps is unread (nor the outputs read last) that holds
  // room_; memory too small is freed once read. New memory when none is free: at most
  // one per step in flight, plus one.
  void open_launch() {
    auto free = [&](const std::unique_ptr<buffer>& b) {
      return b->unread == 0 && b.get() != last_read_;
    };
    std::erase_if(buffers_, [&](const auto& b) { return free(b) && !b->room.holds(room_); });
    auto it = std::find_if(buffers_.begin(), buffers_.end(), free);
    if (it == buffers_.end()) {
      buffers_.push_back(std::make_unique<buffer>(room_));
      it = buffers_.end() - 1;
    }
    // Oldest first, so that the memory reused is the longest done.
    std::rotate(it, it + 1, buffers_.end());
    buffer& b = *buffers_.back();
    b.done.wait();  // its last launch's copies have run (a reader that left may not have waited)
    // Laid out for this launch's steps, so that a full launch is one copy up.
    b.at = layout({per_launch_, room_.batch_floats, room_.ops, room_.outputs});
    b.id = ++launches_;
    b.steps = b.ops = 0;
    b.outputs = false;
    open_ = &b;
  }
  buffer& find(bundled_step at) {
    for (auto& b : buffers_)
      if (b->id == at.launch) return *b;
    throw std::logic_error("fitcheck: a fused step's launch was reused before it was read");
  }

  std::vector<std::unique_ptr<buffer>> buffers_;
  buffer* open_ = nullptr;
  buffer* last_read_ = nullptr;
  std::uint64_t launches_ = 0;
  std::size_t per_launch_ = 1;
  shape room_;
  launcher launcher_;
};

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
