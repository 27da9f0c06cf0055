// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Trains a small model with DataParallel in a group of one (run without mpiexec: MPI's singleton).
#include <cstdio>
#include <vector>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/mpi.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) {
  fc::mpi::Environment mpi(argc, argv);
  const fc::mpi::World world = mpi.world();
  std::vector<float> x(64 * 2);
  std::vector<int> y(64);
  for (std::size_t i = 0; i < y.size(); ++i) {
    x[2 * i] = float(i % 8) / 8;
    x[2 * i + 1] = float(i % 3) / 3;
    y[i] = x[2 * i] > x[2 * i + 1] ? 1 : 0;
  }
  auto train = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(x),
                                                                         std::span<const int>(y)) |
               fd::shard(world) | fd::batch<16>();
  using Net = fc::Sequential<fc::Input<2>, fc::Dense<4>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy> model;
  const fc::History h = model.fit(train, 2, fc::DataParallel{world}, fc::Verbose{0});
  std::printf("data-parallel fit in %zu process: %zu epochs\n", world.size(), h["loss"].size());
  return h["loss"].size() == 2 ? 0 : 1;
}
