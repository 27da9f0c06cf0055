// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Data-parallel training over MPI: the process group fc::DataParallel trains with
// (train/data_parallel.hpp), on the MPI the system provides (Open MPI from Debian's packages).
// Not part of <fitcheck/fitcheck.hpp>: include it, and link MPI (CMake: fitcheck::mpi, or
// MPI::MPI_CXX). docs/distributed.md shows a whole program.
//
//   int main(int argc, char** argv) {
//     fc::mpi::Environment mpi(argc, argv);
//     const fc::mpi::World world = mpi.world();
//     auto train = source | fc::data::shard(world) | fc::data::shuffle(1000) |
//     fc::data::batch<32>(); model.fit(train, 10, fc::DataParallel{world});
//   }
//
// and then: mpiexec -n 4 ./train

#include <algorithm>
#include <climits>
#include <cstddef>
#include <span>
#include <string>

// Only MPI's C interface is used: without these, Open MPI's and MPICH's mpi.h also pull in their
// deprecated C++ bindings, which need a library of their own at link time.
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <fitcheck/core/error.hpp>
#include <fitcheck/train/data_parallel.hpp>

namespace fitcheck::mpi {

/// A group of MPI processes (a communicator; MPI_COMM_WORLD by default): a `process_group` for
/// fc::DataParallel, and `shard(world)`'s size and rank. A handle: copies name the same group.
class World {
 public:
  /// The processes of `comm` (MPI must be initialised: fc::mpi::Environment).
  explicit World(MPI_Comm comm = MPI_COMM_WORLD) : comm_(comm) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized == 0)
      throw argument_error("fc::mpi::World: MPI is not initialised",
                           "create an fc::mpi::Environment at the start of main, before any "
                           "World, and keep it alive until training ends");
    int r = 0, s = 0;
    MPI_Comm_rank(comm_, &r);
    MPI_Comm_size(comm_, &s);
    rank_ = static_cast<std::size_t>(r);
    size_ = static_cast<std::size_t>(s);
  }

  /// This process's rank, 0-based.
  [[nodiscard]] std::size_t rank() const noexcept { return rank_; }
  /// The number of processes.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// The communicator.
  [[nodiscard]] MPI_Comm communicator() const noexcept { return comm_; }

  /// Element-wise sums over the group, in place.
  void all_reduce_sum(std::span<float> v) const { reduce(v.data(), v.size(), MPI_FLOAT, MPI_SUM); }
  /// Element-wise sums over the group, in place.
  void all_reduce_sum(std::span<double> v) const {
    reduce(v.data(), v.size(), MPI_DOUBLE, MPI_SUM);
  }
  /// Element-wise maxima over the group, in place.
  void all_reduce_max(std::span<double> v) const {
    reduce(v.data(), v.size(), MPI_DOUBLE, MPI_MAX);
  }
  /// `root`'s bytes in every process.
  void broadcast(std::span<std::byte> v, std::size_t root) const {
    for (std::size_t at = 0; at < v.size(); at += chunk) {
      const std::size_t n = std::min(chunk, v.size() - at);
      MPI_Bcast(v.data() + at, static_cast<int>(n), MPI_BYTE, static_cast<int>(root), comm_);
    }
  }

 private:
  // MPI counts are int: larger buffers go in pieces.
  static constexpr std::size_t chunk = std::size_t{1} << 30;

  template <class T>
  void reduce(T* data, std::size_t n, MPI_Datatype type, MPI_Op op) const {
    for (std::size_t at = 0; at < n; at += chunk) {
      const std::size_t k = std::min(chunk, n - at);
      MPI_Allreduce(MPI_IN_PLACE, data + at, static_cast<int>(k), type, op, comm_);
    }
  }

  MPI_Comm comm_;
  std::size_t rank_ = 0, size_ = 1;
};

/// MPI for the life of the program: initialises it (thread support "serialized": MPI is called
/// from one thread at a time, the one inside fit; fitcheck's prefetch and map workers never call
/// it) and finalises it at the end of main. One per program, created before any World.
class Environment {
 public:
  /// Initialises MPI from the program's arguments (mpiexec passes its own through them).
  Environment(int& argc, char**& argv) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (initialized != 0)
      throw argument_error("fc::mpi::Environment: MPI is initialised already",
                           "create one fc::mpi::Environment, at the start of main");
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    if (provided < MPI_THREAD_SERIALIZED) {
      MPI_Finalize();
      throw resource_error(
          "fc::mpi::Environment: this MPI cannot be used from a program with "
          "threads (it provides thread level " +
              std::to_string(provided) + ")",
          "use an MPI built with thread support (Debian's Open MPI is)");
    }
  }
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  ~Environment() { MPI_Finalize(); }

  /// Every process of the run (MPI_COMM_WORLD).
  [[nodiscard]] World world() const { return World(MPI_COMM_WORLD); }
};

static_assert(process_group<World>);

}  // namespace fitcheck::mpi
