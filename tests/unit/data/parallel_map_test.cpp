// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// map(fn, Parallel{n}): the same outputs as map(fn) in the same order, fn really on n threads,
// errors (fn's and the source's) in their place, a pass stopped early, and Parallel{0}.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/data/generator.hpp>
#include <fitcheck/data/map.hpp>
#include <fitcheck/data/tensor_slices.hpp>

namespace data_parallel_map_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fitcheck::test::message_of;
using namespace std::chrono_literals;

namespace {

using F = fc::Features<2>;
using L = fc::ClassLabel<3>;
using E = fd::Example<F, L>;

auto numbers(std::size_t n) {
  static std::vector<float> x;
  static std::vector<int> y;
  x.clear();
  y.clear();
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(float(i));
    x.push_back(float(i) * 0.5f);
    y.push_back(int(i % 3));
  }
  return fd::from_tensor_slices<F, L>(std::span<const float>(x), std::span<const int>(y));
}

// Some arithmetic per sample, so the threads have work to interleave.
const auto work = [](const E& e) {
  E out = e;
  float v = e.x[0];
  for (int k = 0; k < 200; ++k) v = v * 0.999f + 1.0f;
  out.x[1] = v;
  return out;
};

template <class P>
std::vector<std::pair<float, float>> outputs(P& p) {
  std::vector<std::pair<float, float>> out;
  for (const auto& e : p) out.emplace_back(e.x[0], e.x[1]);
  return out;
}

}  // namespace

TEST_CASE("map(Parallel): the outputs of map(fn), in the input's order, every pass") {
  auto serial = numbers(1000) | fd::map(work);
  const auto expected = outputs(serial);
  REQUIRE(expected.size() == 1000);
  for (std::size_t n : {1u, 2u, 3u}) {
    auto parallel = numbers(1000) | fd::map(work, fd::Parallel{n});
    CHECK(parallel.workers() == n);
    CHECK(outputs(parallel) == expected);
    CHECK(outputs(parallel) == expected);  // a second pass, new threads
  }
  auto empty = numbers(0) | fd::map(work, fd::Parallel{2});
  CHECK(outputs(empty).empty());
}

TEST_CASE("map(Parallel): fn runs on several threads at once") {
  // The first call waits until a second call is running beside it: one thread alone would wait
  // for the whole timeout and record that.
  std::mutex m;
  std::condition_variable cv;
  int active = 0;
  bool met = false;
  std::atomic<bool> timed_out{false};
  auto meet = [&](const E& e) {
    std::unique_lock lock(m);
    ++active;
    cv.notify_all();
    if (!met && !cv.wait_for(lock, 10s, [&] { return active >= 2 || met; })) timed_out = true;
    met = true;
    --active;
    return e;
  };
  auto p = numbers(8) | fd::map(meet, fd::Parallel{2});
  CHECK(outputs(p).size() == 8);
  CHECK(met);
  CHECK_FALSE(timed_out);
}

TEST_CASE("map(Parallel): an error of fn or of the source comes in its place, after the elements before it") {
  auto failing = [](const E& e) {
    if (e.x[0] == 5.0f) throw fc::data_error("sample 5 is bad", "drop it");
    return e;
  };
  auto p = numbers(20) | fd::map(failing, fd::Parallel{3});
  std::vector<float> seen;
  const auto msg = message_of<fc::data_error>([&] {
    for (const auto& e : p) seen.push_back(e.x[0]);
  });
  CHECK(msg.find("sample 5 is bad") == 0);
  CHECK(seen == std::vector<float>{0, 1, 2, 3, 4});

  // A generator that fails after 7 rows: the 7 rows, then its error.
  struct seven {
    int i = 0;
    std::optional<std::pair<std::array<float, 2>, int>> operator()() {
      if (i == 7) throw fc::data_error("the generator broke", "fix it");
      const int k = i++;
      return std::pair<std::array<float, 2>, int>{{float(k), 0.0f}, k % 3};
    }
  };
  auto g = fd::from_generator<F, L>([] { return seven{}; }) | fd::map(work, fd::Parallel{2});
  std::size_t rows = 0;
  const auto broke = message_of<fc::data_error>([&] {
    for (const auto& e : g) {
      (void)e;
      ++rows;
    }
  });
  CHECK(broke.find("the generator broke") == 0);
  CHECK(rows == 7);
}

TEST_CASE("map(Parallel): a pass stopped early joins its threads, Parallel{0} is refused") {
  auto p = numbers(100) | fd::map(work, fd::Parallel{2});
  for (int round = 0; round < 3; ++round) {
    auto cursor = p.open();
    auto e = p.make_element();
    for (int k = 0; k < 3; ++k) REQUIRE(cursor.next(e));
    CHECK(e.x[0] == 2.0f);
  }
  const auto msg = message_of<fc::argument_error>([] { (void)fd::Parallel{0}; });
  CHECK(msg.find("Parallel{0}: no thread would call the function") == 0);
}

}  // namespace data_parallel_map_test
