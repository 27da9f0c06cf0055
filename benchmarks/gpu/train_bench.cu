// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Training throughput of the GPU backend through Model::fit (fc::cuda_t), in samples/s, for the
// workloads of bench_train (the MLPs, also at batch 1024 and 4096, and the CNN; the small MLPs with
// and without the fused step, and with steps in flight), numeric guards
// off (they copy the gradients to the host each step) and on; then, for the small MLPs, where the
// fused step's device time goes, operation by operation. The PyTorch CUDA peer is benchmarks/peers/train_torch_cuda.py (same models, data
// sizes, batch sizes, Adam). Needs a GPU; built with FITCHECK_ENABLE_CUDA=ON.
// Usage: bench_gpu_train [seconds_per_workload=3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ratio>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "../runtime/train_workloads.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using fitcheck::bench::epoch_seconds;
using fitcheck::bench::random_data;

namespace gpu = fitcheck::kernels::gpu;

// `fusion`: when the step runs as one launch (kernels/gpu/fused_step.hpp); the default, the
// automatic policy, fuses the seed model's step and not the others'. `in_flight`: fit's
// StepsPerExecution.
template <class Net, class Loss, class In, std::size_t Classes, std::size_t Batch,
          class... Options>
void workload(const char* name, std::size_t n, double seconds,
              gpu::step_fusion fusion = gpu::step_fusion::automatic, std::size_t in_flight = 1) {
  gpu::set_step_fusion(fusion);
  auto train = random_data<In, Classes>(n) | fd::batch<Batch>();
  fc::Model<Net, Loss, fc::cuda_t, Options...> on(fc::optim::Adam{.learning_rate = 1e-3f});
  fc::Model<Net, Loss, fc::cuda_t, Options...> off(fc::optim::Adam{.learning_rate = 1e-3f});
  const fc::NumericGuards no_guards{.enabled = false};
  const fc::Preflight no_scan{.level = fc::check::off};
  const fc::StepsPerExecution k{in_flight};
  (void)epoch_seconds(on, train, no_scan, k);  // warm-up: device buffers, scratch memory
  (void)epoch_seconds(off, train, no_scan, k, no_guards);
  double best_on = 1e30, best_off = 1e30;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    best_on = std::min(best_on, epoch_seconds(on, train, no_scan, k));
    best_off = std::min(best_off, epoch_seconds(off, train, no_scan, k, no_guards));
  } while (std::chrono::steady_clock::now() < end);
  std::printf("%-18s %16.0f %16.0f\n", name, double(n) / best_off, double(n) / best_on);
  gpu::set_step_fusion(gpu::step_fusion::automatic);
}

// evaluate's samples/s on the training data (fit's validation pass), the forward pass and loss
// of each batch as one launch (the automatic policy on a small network) or kernel by kernel.
template <class Net, class Loss, class In, std::size_t Classes, std::size_t Batch>
void evaluation(const char* name, std::size_t n, double seconds, gpu::step_fusion fusion) {
  gpu::set_step_fusion(fusion);
  auto data = random_data<In, Classes>(n) | fd::batch<Batch>();
  fc::Model<Net, Loss, fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t> model(
      fc::optim::Adam{.learning_rate = 1e-3f});
  (void)model.evaluate(data);  // warm-up
  double best = 1e30;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    const auto t0 = std::chrono::steady_clock::now();
    (void)model.evaluate(data);
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  } while (std::chrono::steady_clock::now() < end);
  std::printf("%-18s %16.0f %16s\n", name, double(n) / best, "(evaluate)");
  gpu::set_step_fusion(gpu::step_fusion::automatic);
}

// Where a fused step's time goes: the device clocks of each recorded operation (a
// fused_step_profile, the mean of `steps` steps, in microseconds at the GPU's peak clock) against
// the wall time of a synchronous train_step (upload, launch, wait, read back) on the same batch.
template <class Net, class Loss, class In, std::size_t Classes, std::size_t Batch>
void profile(const char* name, std::size_t steps = 200) {
  gpu::set_step_fusion(gpu::step_fusion::always);
  auto train = random_data<In, Classes>(Batch * 16) | fd::batch<Batch>();
  fc::Model<Net, Loss, fc::cuda_t> model(fc::optim::Adam{.learning_rate = 1e-3f});
  (void)epoch_seconds(model, train, fc::Preflight{.level = fc::check::off});  // warm-up
  const auto batch = *train.begin();
  int khz = 0;
  cudaDeviceGetAttribute(&khz, cudaDevAttrClockRate, 0);
  const double us_per_clock = khz > 0 ? 1e3 / double(khz) : 0.0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < steps; ++i) (void)model.train_step(batch);
  const double wall_us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() /
      double(steps);
  std::vector<gpu::fused_step_profile::operation> total;
  {
    const gpu::fused_step_profile p;
    for (std::size_t i = 0; i < steps; ++i) {
      (void)model.train_step(batch);
      const auto ops = p.last();
      if (i == 0) {
        total = ops;
        continue;
      }
      for (std::size_t k = 0; k < ops.size() && k < total.size(); ++k)
        total[k].clocks += ops[k].clocks;
    }
  }
  gpu::set_step_fusion(gpu::step_fusion::automatic);
  double sum = 0;
  for (const auto& op : total) sum += double(op.clocks) / double(steps);
  std::printf("\n%s: the fused step's operations, device clocks (mean of %zu steps, %.0f MHz "
              "peak)\n",
              name, steps, khz / 1e3);
  std::printf("%3s %-20s %8s %10s %8s %6s\n", "op", "kind", "items", "clocks", "us", "share");
  for (std::size_t k = 0; k < total.size(); ++k) {
    const double c = double(total[k].clocks) / double(steps);
    std::printf("%3zu %-20s %8llu %10.0f %8.2f %5.1f%%\n", k, total[k].name,
                static_cast<unsigned long long>(total[k].items), c, c * us_per_clock,
                100.0 * c / sum);
  }
  std::printf("    %-20s %8s %10.0f %8.2f\n", "kernel (sum)", "", sum, sum * us_per_clock);
  std::printf("    %-20s %8s %10s %8.2f  (synchronous train_step: upload, launch, wait, read)\n",
              "step wall", "", "", wall_us);
}
}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  std::printf("%-18s %16s %16s\n", "model", "guards off/s", "guards on/s");
  using Seed = fc::Sequential<fc::Input<10>, fc::Dense<128>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  workload<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>("seed", 16384, seconds);
  // The fused step against the kernels launched one by one, both ways on the small MLPs.
  workload<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>("seed unfused", 16384,
                                                                        seconds,
                                                                        gpu::step_fusion::never);
  // Steps in flight (fit's StepsPerExecution): the host's per-step work off the critical path,
  // and k / 2 fused steps to a launch, with one copy each way (4 at k=8, 16 at k=32).
  workload<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>(
      "seed k=8", 16384, seconds, gpu::step_fusion::automatic, 8);
  workload<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>(
      "seed k=32", 16384, seconds, gpu::step_fusion::automatic, 32);
  using Digits = fc::Sequential<fc::Input<64>, fc::Dense<256>, fc::ReLU, fc::Dense<128>, fc::ReLU,
                                fc::Dense<10>, fc::Softmax>;
  workload<Digits, fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>(
      "digits", 8192, seconds);
  workload<Digits, fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>(
      "digits fused", 8192, seconds, gpu::step_fusion::always);
  workload<Digits, fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>(
      "digits k=8", 8192, seconds, gpu::step_fusion::automatic, 8);
  workload<Digits, fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>(
      "digits fused k=8", 8192, seconds, gpu::step_fusion::always, 8);
  workload<fc::Sequential<fc::Input<784>, fc::Dense<512>, fc::ReLU, fc::Dense<256>, fc::ReLU,
                          fc::Dense<10>, fc::Softmax>,
           fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 256>("wide", 65536, seconds);
  // The large batches, where the GEMMs' speed decides (the PyTorch peer's wide1k, wide4k).
  using Wide = fc::Sequential<fc::Input<784>, fc::Dense<512>, fc::ReLU, fc::Dense<256>, fc::ReLU,
                              fc::Dense<10>, fc::Softmax>;
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 1024>(
      "wide1k", 131072, seconds);
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 4096>(
      "wide4k", 131072, seconds);
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 16384>(
      "wide16k", 131072, seconds);
  // The precision policies (with FITCHECK_USE_CUBLAS, cuBLAS' TF32 and bfloat16 tensor-core
  // compute types; fitcheck's own kernel only rounds the operands): against PyTorch's bf16
  // autocast column.
  using TF32 = fc::Precision<fc::precision::tf32>;
  using BF16 = fc::Precision<fc::precision::bf16>;
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 4096, TF32>(
      "wide4k tf32", 131072, seconds);
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 4096, BF16>(
      "wide4k bf16", 131072, seconds);
  workload<Wide, fc::loss::SparseCategoricalCrossentropy, fc::Features<784>, 10, 16384, BF16>(
      "wide16k bf16", 131072, seconds);
  // Keras' Fashion-MNIST CNN, as bench_train's cnn (the PyTorch peer runs it through cuDNN).
  workload<fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<32, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                          fc::Conv2D<64, 3>, fc::ReLU, fc::MaxPooling2D<2>, fc::Flatten,
                          fc::Dense<128>, fc::ReLU, fc::Dropout<std::ratio<1, 2>>, fc::Dense<10>,
                          fc::Softmax>,
           fc::loss::SparseCategoricalCrossentropy, fc::Features<28, 28, 1>, 10, 64>("cnn", 8192,
                                                                                     seconds);
  // Validation on the seed model: each batch one launch, or kernel by kernel.
  evaluation<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>(
      "seed evaluate", 16384, seconds, gpu::step_fusion::automatic);
  evaluation<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>(
      "seed eval unfused", 16384, seconds, gpu::step_fusion::never);
  // Where the small nets' fused steps spend their time on the device.
  profile<Seed, fc::loss::BinaryCrossentropy, fc::Features<10>, 2, 32>("seed");
  profile<Digits, fc::loss::SparseCategoricalCrossentropy, fc::Features<64>, 10, 64>("digits");
  return 0;
}
