// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

#include <fitcheck/kernels/cpu/threads.hpp>

namespace kernels_cpu_threads_test {

namespace fkd = fitcheck::kernels::detail;

namespace {
// Sets (or, with nullopt, removes) an environment variable for one scope.
class scoped_env {
public:
  scoped_env(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

private:
  const char* name_;
  std::optional<std::string> old_;
};

unsigned allowed_cpus() {
#if defined(__linux__)
  cpu_set_t set;
  REQUIRE(sched_getaffinity(0, sizeof set, &set) == 0);
  return static_cast<unsigned>(CPU_COUNT(&set));
#else
  return std::thread::hardware_concurrency();
#endif
}
}  // namespace

TEST_CASE("kernels: the default thread count is FITCHECK_NUM_THREADS, else OMP_NUM_THREADS") {
  {
    const scoped_env ours("FITCHECK_NUM_THREADS", "3");
    const scoped_env omp("OMP_NUM_THREADS", "5");
    CHECK(fkd::default_thread_count() == 3);
  }
  {
    const scoped_env ours("FITCHECK_NUM_THREADS", std::nullopt);
    const scoped_env omp("OMP_NUM_THREADS", "5");
    CHECK(fkd::default_thread_count() == 5);
  }
  {
    // A count per nesting level: the outer one is the program's.
    const scoped_env ours("FITCHECK_NUM_THREADS", std::nullopt);
    const scoped_env omp("OMP_NUM_THREADS", "6,2");
    CHECK(fkd::default_thread_count() == 6);
  }
  {
    // Not a count: ignored, as a missing variable.
    const scoped_env ours("FITCHECK_NUM_THREADS", "many");
    const scoped_env omp("OMP_NUM_THREADS", "0");
    CHECK(fkd::default_thread_count() == allowed_cpus());
  }
}

TEST_CASE("kernels: the default thread count is the cores this process may run on") {
  const scoped_env ours("FITCHECK_NUM_THREADS", std::nullopt);
  const scoped_env omp("OMP_NUM_THREADS", std::nullopt);
  CHECK(fkd::default_thread_count() == allowed_cpus());
  // ctest also runs this case under `taskset -c 0` (threads.affinity), which must give 1 thread
  // on a machine of any size.
  if (const char* expect = std::getenv("FITCHECK_EXPECT_THREADS"))
    CHECK(fkd::default_thread_count() == static_cast<unsigned>(std::atoi(expect)));
}

}  // namespace kernels_cpu_threads_test
