// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// The data pipeline's throughput: one epoch of `from_tensor_slices | shuffle(N) | batch<32>()`
// (and the same with `| prefetch(2)`) over N samples of 10 float32 features and an int32 class
// label, against a plain memcpy of the same bytes, same compiler, same flags, one run. The
// shuffle buffer holds the whole data set, so it shuffles fully (PyTorch's shuffle=True); each
// epoch opens a new pass (a new order), and its time includes filling the shuffle buffer.
//
// Prints samples/s (best epoch after a warm-up), heap allocations per epoch (counted by the
// global operator new below: a per-sample allocation would show as >= N), and the ratio to
// memcpy. The lines starting with `result` are machine-readable for benchmarks/run_pipeline_bench,
// which sets them beside the PyTorch peers (benchmarks/peers/pipeline_torch.py).
//
// Usage: bench_pipeline [samples=1000000] [epochs=5]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/data/prefetch.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

// ---- allocation counter: every operator new in the process, all threads --------------------
namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, std::align_val_t al) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(al);
  if (void* p = std::aligned_alloc(a, (std::max<std::size_t>(n, 1) + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
// These are the allocation functions: free() is what releases what they malloc. Inlined into a
// caller's new/delete pair, g++ 12 reads that as a mismatch (-Wmismatched-new-delete).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new[](std::size_t n, std::align_val_t al) { return ::operator new(n, al); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

using F = fc::Features<10>;
using L = fc::ClassLabel<10>;
constexpr std::size_t batch_size = 32;

volatile float sink;  // keeps results alive so the work is not optimised away

struct measured {
  double best_seconds = 1e30;
  std::size_t allocations = 0;  // per epoch, the most seen in any timed epoch
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One epoch the way a training loop reads it: a range-for over the pipeline, touching one float
// of every batch. Returns the batch count.
template <class Pipeline>
std::size_t one_epoch(Pipeline& pipeline) {
  float acc = 0.0f;
  std::size_t batches = 0;
  for (const auto& b : pipeline) {
    acc += b.x_data()[0];
    ++batches;
  }
  sink = acc;
  return batches;
}

template <class Pipeline>
measured time_epochs(Pipeline& pipeline, int epochs, std::size_t expect_batches) {
  measured m;
  for (int e = -1; e < epochs; ++e) {  // epoch -1 is the warm-up
    const std::size_t a0 = g_allocations.load();
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t batches = one_epoch(pipeline);
    const double s = seconds_since(t0);
    const std::size_t allocs = g_allocations.load() - a0;
    if (batches != expect_batches) {
      std::fprintf(stderr, "bench_pipeline: an epoch gave %zu batches, expected %zu\n", batches,
                   expect_batches);
      std::exit(1);
    }
    if (e >= 0) {
      m.best_seconds = std::min(m.best_seconds, s);
      m.allocations = std::max(m.allocations, allocs);
    }
  }
  return m;
}

// Untimed: one epoch delivers every sample exactly once with its own label, in a new order.
template <class Pipeline>
void check_epoch(Pipeline& pipeline, std::size_t n, const std::vector<std::int32_t>& labels,
                 const char* name) {
  std::vector<unsigned char> seen(n, 0);
  std::size_t count = 0, in_place = 0;
  for (const auto& b : pipeline) {
    for (std::size_t i = 0; i < b.size(); ++i) {
      const auto id = static_cast<std::size_t>(b.x_data()[i * F::size]);  // feature 0 = index
      if (id >= n || seen[id] || b.y_data()[i] != labels[id]) {
        std::fprintf(stderr, "bench_pipeline: %s delivered a wrong or repeated sample\n", name);
        std::exit(1);
      }
      seen[id] = 1;
      in_place += id == count;
      ++count;
    }
  }
  if (count != n || (n > 1000 && in_place > n / 100)) {
    std::fprintf(stderr, "bench_pipeline: %s: %zu samples, %zu in their original place\n", name,
                 count, in_place);
    std::exit(1);
  }
}

void report(const char* key, const char* label, std::size_t n, double seconds, double memcpy_s,
            std::size_t allocations) {
  const double sps = static_cast<double>(n) / seconds;
  std::printf("%-34s %14.0f %10.2f ms %9.1f %% %12zu\n", label, sps, seconds * 1e3,
              100.0 * memcpy_s / seconds, allocations);
  std::printf("result %s %.0f\n", key, sps);
  std::printf("result %s_allocs_per_epoch %zu\n", key, allocations);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::size_t batches = (n + batch_size - 1) / batch_size;

  // Feature 0 of sample i is i (exact in float below 2^24), so check_epoch can follow samples.
  std::vector<float> x(n * F::size);
  std::vector<std::int32_t> y(n);
  fc::Rng rng(7);
  for (std::size_t i = 0; i < n; ++i) {
    x[i * F::size] = static_cast<float>(i);
    for (std::size_t j = 1; j < F::size; ++j) x[i * F::size + j] = rng.uniform_float();
    y[i] = static_cast<std::int32_t>(rng.below(10));
  }
  const std::size_t sample_bytes = F::size * sizeof(float) + sizeof(std::int32_t);
  const std::size_t bytes = n * sample_bytes;

  // memcpy of the same bytes, buffer to buffer (destination faulted in first), best of several.
  double memcpy_s = 1e30;
  {
    std::vector<unsigned char> src(bytes), dst(bytes);
    std::memcpy(src.data(), x.data(), x.size() * sizeof(float));
    std::memcpy(src.data() + x.size() * sizeof(float), y.data(), y.size() * sizeof(std::int32_t));
    std::memset(dst.data(), 0, bytes);
    for (int r = 0; r < std::max(epochs, 5) * 2; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      std::memcpy(dst.data(), src.data(), bytes);
      memcpy_s = std::min(memcpy_s, seconds_since(t0));
      sink = static_cast<float>(dst[static_cast<std::size_t>(r) % bytes]);
    }
  }

  auto source = fd::from_tensor_slices<F, L>(std::span<const float>(x),
                                             std::span<const std::int32_t>(y));
  auto shuffled_batches = source | fd::shuffle(n, fc::Seed{42}) | fd::batch<batch_size>();
  auto prefetched = source | fd::shuffle(n, fc::Seed{42}) | fd::batch<batch_size>() | fd::prefetch(2);

  check_epoch(shuffled_batches, n, y, "shuffle+batch");
  check_epoch(prefetched, n, y, "shuffle+batch+prefetch");

  const measured sb = time_epochs(shuffled_batches, epochs, batches);
  const measured sbp = time_epochs(prefetched, epochs, batches);

  std::printf("bench_pipeline: %zu samples x %zu float32 features + int32 label (%zu bytes), "
              "batch %zu, best of %d epochs after a warm-up\n",
              n, F::size, sample_bytes, batch_size, epochs);
  std::printf("%-34s %14s %13s %11s %12s\n", "pipeline", "samples/s", "epoch", "of memcpy",
              "allocs/epoch");
  report("fitcheck_shuffle_batch", "fitcheck shuffle+batch", n, sb.best_seconds, memcpy_s,
         sb.allocations);
  report("fitcheck_shuffle_batch_prefetch", "fitcheck shuffle+batch+prefetch(2)", n,
         sbp.best_seconds, memcpy_s, sbp.allocations);
  report("memcpy", "memcpy of the same bytes", n, memcpy_s, memcpy_s, 0);
  std::printf("result memcpy_gbps %.2f\n", static_cast<double>(bytes) / memcpy_s / 1e9);
  std::printf("result samples %zu\n", n);
  return 0;
}
