// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

// The CPU kernels' worker threads. A kernel splits its output into disjoint parts and runs them
// with `parallel_for`: part 0 on the caller, the others on persistent workers. No mutex and no
// allocation per call: a job is a function pointer and a context published through an atomic
// generation counter; waiting spins briefly (a training step issues kernels back to back) and
// then sleeps on the atomic (a futex), so idle workers cost nothing.
//
// The thread count: `set_max_threads(n)`, else default_thread_count(). Results never depend on it:
// each output element is computed by one thread, in the same order.

namespace fitcheck::kernels {

namespace detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/// The kernels' default thread count: the environment variable FITCHECK_NUM_THREADS, else
/// OMP_NUM_THREADS (the count given to the program's other parallel code: fitcheck's workers beside
/// OpenMP's would oversubscribe the cores), else the cores this process may run on (its affinity
/// mask: taskset, a cgroup's cpuset, a batch scheduler's allocation), else the machine's cores.
inline unsigned default_thread_count() noexcept {
  for (const char* name : {"FITCHECK_NUM_THREADS", "OMP_NUM_THREADS"}) {
    const char* env = std::getenv(name);
    if (env == nullptr) continue;
    // OMP_NUM_THREADS may list one count per nesting level ("8,2"): the first is ours.
    const long n = std::strtol(env, nullptr, 10);
    if (n >= 1 && n <= 1024) return static_cast<unsigned>(n);
  }
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<unsigned>(CPU_COUNT(&set));
#endif
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

class thread_pool {
public:
  using job_fn = void (*)(const void* ctx, unsigned part);

  /// The kernels' pool.
  static thread_pool& instance() {
    static thread_pool pool;
    return pool;
  }
  /// A pool of its own for up to `threads` parts (the caller's included), e.g. a pipeline
  /// stage's: its workers start on its first run and stop with it.
  explicit thread_pool(unsigned threads) : max_threads_(threads == 0 ? 1 : threads) {}

  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;
  ~thread_pool() { stop_workers(); }

  [[nodiscard]] unsigned max_threads() const noexcept {
    return max_threads_.load(std::memory_order_relaxed);
  }

  /// 0 restores the default. Call it between kernels, not from inside one.
  void set_max_threads(unsigned n) {
    const unsigned target = n == 0 ? default_thread_count() : n;
    if (target == max_threads()) return;
    stop_workers();
    max_threads_.store(target, std::memory_order_relaxed);
  }

  /// Runs job(ctx, p) for p in [0, parts), parts <= max_threads(). Serially when another
  /// thread is already using the pool (kernels called from several user threads at once).
  void run(unsigned parts, job_fn job, const void* ctx) {
    bool expected = false;
    if (parts <= 1 || !busy_.compare_exchange_strong(expected, true, std::memory_order_acquire)) {
      for (unsigned p = 0; p < parts; ++p) job(ctx, p);
      return;
    }
    ensure_workers(parts - 1);
    for (unsigned p = 1; p < parts; ++p) {
      worker& w = *workers_[p - 1];
      w.job = job;
      w.ctx = ctx;
      w.part = p;
      w.posted.fetch_add(1, std::memory_order_release);
      w.posted.notify_one();
    }
    job(ctx, 0);
    for (unsigned p = 1; p < parts; ++p) {
      worker& w = *workers_[p - 1];
      const std::uint32_t target = w.posted.load(std::memory_order_relaxed);
      wait_until(w.done, target);
    }
    busy_.store(false, std::memory_order_release);
  }

private:
  struct worker {
    std::atomic<std::uint32_t> posted{0};
    std::atomic<std::uint32_t> done{0};
    job_fn job = nullptr;
    const void* ctx = nullptr;
    unsigned part = 0;
    bool stop = false;
    std::thread thread;
  };

  thread_pool() : max_threads_(default_thread_count()) {}

  // Spin first: the next kernel of a step usually arrives within microseconds.
  static void wait_until(std::atomic<std::uint32_t>& a, std::uint32_t target) noexcept {
    for (int i = 0; i < 20000; ++i) {
      if (a.load(std::memory_order_acquire) == target) return;
      cpu_relax();
    }
    for (std::uint32_t seen = a.load(std::memory_order_acquire); seen != target;
         seen = a.load(std::memory_order_acquire))
      a.wait(seen, std::memory_order_acquire);
  }

  static void loop(worker* w) {
    std::uint32_t seen = 0;
    for (;;) {
      for (int i = 0; i < 20000 && w->posted.load(std::memory_order_acquire) == seen; ++i)
        cpu_relax();
      while (w->posted.load(std::memory_order_acquire) == seen)
        w->posted.wait(seen, std::memory_order_acquire);
      seen = w->posted.load(std::memory_order_acquire);
      if (w->stop) return;
      w->job(w->ctx, w->part);
      w->done.store(seen, std::memory_order_release);
      w->done.notify_one();
    }
  }

  void ensure_workers(unsigned n) {
    while (workers_.size() < n) {
      workers_.push_back(std::make_unique<worker>());
      worker* w = workers_.back().get();
      w->thread = std::thread(loop, w);
    }
  }

  void stop_workers() {
    for (auto& w : workers_) {
      w->stop = true;
      w->posted.fetch_add(1, std::memory_order_release);
      w->posted.notify_one();
      w->thread.join();
    }
    workers_.clear();
  }

  std::atomic<unsigned> max_threads_;
  std::atomic<bool> busy_{false};
  std::vector<std::unique_ptr<worker>> workers_;
};

}  // namespace detail

/// Threads the CPU kernels may use (the caller's included). 0 restores the default:
/// FITCHECK_NUM_THREADS, else OMP_NUM_THREADS, else the cores this process may run on.
inline void set_max_threads(unsigned n) { detail::thread_pool::instance().set_max_threads(n); }
[[nodiscard]] inline unsigned max_threads() noexcept {
  return detail::thread_pool::instance().max_threads();
}

/// Runs f(part) for part in [0, parts) on up to `parts` threads of `pool`; f must be callable
/// concurrently for distinct parts.
template <class F>
void parallel_for(detail::thread_pool& pool, unsigned parts, const F& f) {
  pool.run(parts, [](const void* ctx, unsigned part) { (*static_cast<const F*>(ctx))(part); },
           &f);
}

/// The same on the kernels' pool.
template <class F>
void parallel_for(unsigned parts, const F& f) {
  parallel_for(detail::thread_pool::instance(), parts, f);
}

}  // namespace fitcheck::kernels
