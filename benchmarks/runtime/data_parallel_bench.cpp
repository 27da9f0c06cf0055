// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// Data-parallel training throughput over MPI (fc::DataParallel), in samples/s of the whole group:
// run it under mpiexec with N processes, each on its shard of bench_train's random data with
// 1/N of the workload's batch (the group's step sees the batch one process sees in bench_train):
//   digits 64-256-128-10 softmax CE, Adam, 64 samples a step, 8192 samples
//   wide   784-512-256-10 softmax CE, Adam, 256 samples a step, 4096 samples
// Guards on (the default), pre-flight scan off, one kernel thread a process. After a warm-up
// epoch, epochs run for about `seconds`; the best epoch counts (rank 0's clock; every process
// takes part in every epoch). With one process it also times the same fit without DataParallel:
// what the group's meetings cost when there is no one to meet.
// Usage: mpiexec -n N bench_data_parallel [seconds=2] [workloads=digits,wide]
// Prints `result fitcheck <workload> <N> <samples/s>` lines (benchmarks/run_data_parallel_bench;
// with one process, the figure without DataParallel).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/mpi.hpp>
#include <span>
#include <string>

#include "train_workloads.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

// Whether any process says yes (so every process runs the same number of epochs).
bool any(const fc::mpi::World& world, bool yes) {
  std::array<double, 1> v{yes ? 1.0 : 0.0};
  world.all_reduce_max(v);
  return v[0] > 0;
}

template <class Net, class In, std::size_t Classes>
void workload(const fc::mpi::World& world, const char* name, std::size_t n, std::size_t step,
              double seconds) {
  using Loss = fc::loss::SparseCategoricalCrossentropy;
  const fc::Preflight no_scan{.level = fc::check::off};
  auto train =
      fc::bench::random_data<In, Classes>(n) | fd::shard(world) | fd::batch(step / world.size());
  fc::Model<Net, Loss> model(fc::optim::Adam{.learning_rate = 1e-3f});
  const fc::DataParallel group{world};
  (void)fc::bench::epoch_seconds(model, train, no_scan, group);  // warm-up: sizes the buffers
  double best = 1e30;
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    best = std::min(best, fc::bench::epoch_seconds(model, train, no_scan, group));
  } while (any(world, std::chrono::steady_clock::now() < end));
  double plain = 0;
  if (world.size() == 1) {
    auto alone = fc::bench::random_data<In, Classes>(n) | fd::batch(step);
    fc::Model<Net, Loss> other(fc::optim::Adam{.learning_rate = 1e-3f});
    (void)fc::bench::epoch_seconds(other, alone, no_scan);
    double best_plain = 1e30;
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    do {
      best_plain = std::min(best_plain, fc::bench::epoch_seconds(other, alone, no_scan));
    } while (std::chrono::steady_clock::now() < until);
    plain = double(n) / best_plain;
  }
  if (world.rank() == 0) {
    std::printf("%-7s %8zu %10zu %14.0f", name, world.size(), step / world.size(),
                double(n) / best);
    if (plain > 0) std::printf(" %14.0f", plain);
    // One process: the plain fit is the baseline (PyTorch's peer trains without DDP there).
    std::printf("\nresult fitcheck %s %zu %.0f\n", name, world.size(),
                plain > 0 ? plain : double(n) / best);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  fc::mpi::Environment mpi(argc, argv);
  const fc::mpi::World world = mpi.world();
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const std::string only = argc > 2 ? argv[2] : "digits,wide";
  auto wanted = [&](const char* name) {
    return ("," + only + ",").find("," + std::string(name) + ",") != std::string::npos;
  };
  fitcheck::kernels::set_max_threads(1);
  if (world.rank() == 0)
    std::printf("%-7s %8s %10s %14s %14s\n", "model", "process", "batch each", "group/s",
                "without DP/s");
  if (wanted("digits"))
    workload<fc::Sequential<fc::Input<64>, fc::Dense<256>, fc::ReLU, fc::Dense<128>, fc::ReLU,
                            fc::Dense<10>, fc::Softmax>,
             fc::Features<64>, 10>(world, "digits", 8192, 64, seconds);
  if (wanted("wide"))
    workload<fc::Sequential<fc::Input<784>, fc::Dense<512>, fc::ReLU, fc::Dense<256>, fc::ReLU,
                            fc::Dense<10>, fc::Softmax>,
             fc::Features<784>, 10>(world, "wide", 4096, 256, seconds);
  return 0;
}
