// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/data/assert_cardinality.hpp>
#include <fitcheck/data/generator.hpp>
#include <fitcheck/data/prefetch.hpp>

namespace data_prefetch_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

using namespace std::chrono_literals;
using F = fc::Features<3>;
using L = fc::ClassLabel<7>;
using Ex = fd::Example<F, L>;
using Batch = fd::BatchData<F, L>;

// What a test source did, shared with the test: the producer thread writes it.
struct probe {
  std::atomic<std::size_t> opens{0};
  std::atomic<std::size_t> next_calls{0};
  std::atomic<bool> in_next{false};
};

// A test-only source of n Examples (x = {i, 2i, 3i}, y = i % 7) with hooks: throw at element
// `throw_at`, sleep `delay` in each next(). Stands in for from_tensor_slices.
class ListSource : public fd::dataset_interface<ListSource> {
public:
  using element_type = Ex;
  static constexpr fc::Cardinality static_cardinality = fc::Cardinality::finite_at_runtime();
  static constexpr fd::pipeline_traits traits{.randomized = true};

  explicit ListSource(std::size_t n, std::shared_ptr<probe> p = std::make_shared<probe>())
      : n_(n), probe_(std::move(p)) {}
  ListSource& throw_at(std::size_t i) {
    throw_at_ = i;
    return *this;
  }
  ListSource& delay(std::chrono::microseconds d) {
    delay_ = d;
    return *this;
  }

  [[nodiscard]] fc::Cardinality cardinality() const { return fc::Cardinality::finite(n_); }
  [[nodiscard]] element_type make_element() const { return {}; }

  class cursor {
  public:
    explicit cursor(const ListSource* s) : s_(s) {}
    bool next(element_type& out) {
      s_->probe_->in_next = true;
      ++s_->probe_->next_calls;
      if (s_->delay_.count() > 0) std::this_thread::sleep_for(s_->delay_);
      s_->probe_->in_next = false;
      if (i_ == s_->n_) return false;
      if (s_->throw_at_ && i_ == *s_->throw_at_)
        throw fc::data_error("element " + std::to_string(i_) + " is broken", "mend it");
      const auto v = static_cast<float>(i_);
      out.x = {v, 2 * v, 3 * v};
      out.y = {static_cast<int>(i_ % 7)};
      ++i_;
      return true;
    }

  private:
    const ListSource* s_;
    std::size_t i_ = 0;
  };
  [[nodiscard]] cursor open() {
    ++probe_->opens;
    return cursor(this);
  }

private:
  std::size_t n_;
  std::shared_ptr<probe> probe_;
  std::optional<std::size_t> throw_at_;
  std::chrono::microseconds delay_{0};
};

// A test-only batched source: the n samples of ListSource in batches of `size`, the last one
// partial. Stands in for batch<N>().
class BatchSource : public fd::dataset_interface<BatchSource> {
public:
  using element_type = Batch;
  static constexpr fc::Cardinality static_cardinality = fc::Cardinality::finite_at_runtime();
  static constexpr fd::pipeline_traits traits{.batched = true, .repeated = true};

  BatchSource(std::size_t n, std::size_t size) : samples_(n), size_(size) {}
  [[nodiscard]] fc::Cardinality cardinality() const {
    return samples_.cardinality().batch(size_);
  }
  [[nodiscard]] element_type make_element() const { return Batch(size_); }

  class cursor {
  public:
    explicit cursor(BatchSource& b) : samples_(b.samples_.open()) {}
    bool next(element_type& out) {
      out.clear();
      while (!out.full() && samples_.next(sample_)) out.push(sample_);
      return !out.empty();
    }

  private:
    ListSource::cursor samples_;
    Ex sample_{};
  };
  [[nodiscard]] cursor open() { return cursor(*this); }

private:
  ListSource samples_;
  std::size_t size_;
};

// One element as plain numbers, so sequences compare with ==.
std::vector<float> flat(const Ex& e) {
  return {e.x[0], e.x[1], e.x[2], static_cast<float>(e.y[0])};
}
std::vector<float> flat(const Batch& b) {
  std::vector<float> v(b.x_data(), b.x_data() + b.size() * 3);
  v.insert(v.end(), b.y_data(), b.y_data() + b.size());
  return v;
}

template <class D>
std::vector<std::vector<float>> drain(D& d, std::chrono::microseconds consumer_delay = {}) {
  std::vector<std::vector<float>> seen;
  auto cursor = d.open();
  auto e = d.make_element();
  while (cursor.next(e)) {
    seen.push_back(flat(e));
    if (consumer_delay.count() > 0) std::this_thread::sleep_for(consumer_delay);
  }
  return seen;
}

// Runs fn on a thread and waits at most `limit`: a deadlock would otherwise hang the test run
// forever, so it ends the process with a message instead.
template <class Fn>
auto within(std::chrono::seconds limit, Fn fn) {
  std::packaged_task<decltype(fn())()> task(std::move(fn));
  auto result = task.get_future();
  std::thread worker(std::move(task));
  if (result.wait_for(limit) != std::future_status::ready) {
    std::fprintf(stderr, "prefetch_test: did not finish within %lld s (deadlock?)\n",
                 static_cast<long long>(limit.count()));
    std::abort();
  }
  worker.join();
  return result.get();
}

// Polls `done` until it holds or `limit` passes; returns whether it held.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds limit = 10000ms) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

constexpr std::array<std::size_t, 3> depths{1, 2, 7};

}  // namespace

TEST_CASE("prefetch: the stage type, traits and cardinalities pass through") {
  auto p = ListSource(10) | fd::prefetch(2);
  using P = decltype(p);
  static_assert(std::is_same_v<P, fd::Prefetch<ListSource>>);
  static_assert(fd::dataset<P>);
  static_assert(std::is_same_v<fd::element_t<P>, Ex>);
  static_assert(P::static_cardinality == ListSource::static_cardinality);
  static_assert(P::traits.prefetched && P::traits.randomized && !P::traits.batched &&
                !P::traits.repeated && !P::traits.cached);
  static_assert(!ListSource::traits.prefetched);
  CHECK(p.cardinality() == fc::Cardinality::finite(10));
  CHECK(p.epoch_cardinality() == fc::Cardinality::finite(10));
  CHECK(p.depth() == 2);

  auto b = BatchSource(10, 4) | fd::prefetch(3);
  using PB = decltype(b);
  static_assert(PB::traits.prefetched && PB::traits.batched && PB::traits.repeated);
  CHECK(b.cardinality() == fc::Cardinality::finite(3));
  CHECK(b.make_element().capacity() == 4);

  // Over a generator the unknown count stays unknown; declared, it is known.
  auto g = fd::from_generator<F, L>([] { return std::vector<Ex>(3); }) | fd::prefetch(2);
  static_assert(decltype(g)::static_cardinality == fc::Cardinality::unknown());
  CHECK(g.cardinality() == fc::Cardinality::unknown());
  auto declared = fd::from_generator<F, L>([] { return std::vector<Ex>(3); }) |
                  (fd::assert_cardinality(3) | fd::prefetch(2));
  CHECK(declared.cardinality() == fc::Cardinality::finite(3));
  CHECK(drain(declared).size() == 3);
}

TEST_CASE("prefetch: yields exactly the source's sequence, for depths 1, 2 and 7") {
  for (const std::size_t n : {0u, 1u, 5u, 100u}) {
    ListSource plain(n);
    const auto expected = drain(plain);
    REQUIRE(expected.size() == n);
    for (const std::size_t depth : depths) {
      CAPTURE(n);
      CAPTURE(depth);
      auto p = ListSource(n) | fd::prefetch(depth);
      CHECK(within(30s, [&] { return drain(p); }) == expected);
    }
  }
}

TEST_CASE("prefetch: over batches, including the partial last one") {
  BatchSource plain(23, 4);
  const auto expected = drain(plain);
  REQUIRE(expected.size() == 6);
  REQUIRE(expected.back().size() == 3 * 4);  // 3 samples of 3 features and 1 label
  for (const std::size_t depth : depths) {
    CAPTURE(depth);
    auto p = BatchSource(23, 4) | fd::prefetch(depth);
    CHECK(within(30s, [&] { return drain(p); }) == expected);
  }
}

TEST_CASE("prefetch: batches are handed over by swapping buffers, not copied") {
  for (const std::size_t depth : depths) {
    CAPTURE(depth);
    auto p = BatchSource(400, 4) | fd::prefetch(depth);
    const auto buffers = within(30s, [&] {
      std::set<const float*> seen;
      auto cursor = p.open();
      auto b = p.make_element();
      while (cursor.next(b)) seen.insert(b.x_data());
      return seen;
    });
    // The ring's buffers and the consumer's own, circulating: no batch was allocated.
    CHECK(buffers.size() <= depth + 1);
  }
  // A consumer buffer of another capacity is filled by copying and never enters the ring.
  auto p = BatchSource(10, 4) | fd::prefetch(2);
  auto cursor = p.open();
  Batch small(1);
  REQUIRE(cursor.next(small));
  CHECK(small.size() == 4);
  CHECK(small.capacity() == 4);
  CHECK(small.x()(3, 2) == 9.0f);
}

TEST_CASE("prefetch: each open() is a fresh pass") {
  auto pr = std::make_shared<probe>();
  auto p = ListSource(20, pr) | fd::prefetch(2);
  const auto expected = drain(p);
  CHECK(expected.size() == 20);
  CHECK(drain(p) == expected);
  CHECK(pr->opens == 2);

  // A pass abandoned halfway does not disturb the next one.
  within(30s, [&] {
    auto cursor = p.open();
    Ex e;
    for (int i = 0; i < 5; ++i) (void)cursor.next(e);
    return 0;
  });
  CHECK(within(30s, [&] { return drain(p); }) == expected);
  CHECK(pr->opens == 4);
}

TEST_CASE("prefetch: an exception from the source arrives after the elements before it") {
  for (const std::size_t depth : depths) {
    CAPTURE(depth);
    auto p = ListSource(50).throw_at(6) | fd::prefetch(depth);
    struct outcome {
      std::vector<float> xs;
      std::string what;
      bool right_type = false;
      bool next_after = true;
    };
    const auto r = within(30s, [&] {
      outcome o;
      auto cursor = p.open();
      Ex e;
      try {
        while (cursor.next(e)) o.xs.push_back(e.x[0]);
      } catch (const fc::data_error& error) {
        o.right_type = true;
        o.what = error.what();
        o.next_after = cursor.next(e);
      } catch (...) {
      }
      return o;
    });
    CHECK(r.xs == std::vector<float>{0, 1, 2, 3, 4, 5});
    CHECK(r.right_type);
    CHECK(r.what == "element 6 is broken. Fix: mend it");
    CHECK_FALSE(r.next_after);  // the pass is over
  }
  // At the very first element too.
  auto first = ListSource(5).throw_at(0) | fd::prefetch(2);
  auto cursor = first.open();
  Ex e;
  CHECK_THROWS_AS((void)cursor.next(e), fc::data_error);
}

TEST_CASE("prefetch: a generator's errors keep their type and place through the thread") {
  auto p = fd::from_generator<F, L>([] {
             return std::vector<std::pair<std::vector<float>, int>>{
                 {{1, 2, 3}, 1}, {{1, 2, 3}, 2}, {{1, 2}, 3}};
           }) |
           fd::prefetch(4);
  const auto r = within(30s, [&] {
    std::size_t before = 0;
    auto cursor = p.open();
    Ex e;
    try {
      while (cursor.next(e)) ++before;
    } catch (const fc::shape_error& error) {
      return std::pair{before, std::string(error.problem())};
    }
    return std::pair{before, std::string("no shape_error")};
  });
  CHECK(r.first == 2);
  CHECK(r.second == "from_generator: element 2 (0-based) has 2 feature values, expected 3 "
                    "(shape (3))");
}

TEST_CASE("prefetch: destroying a cursor mid-pass with a full queue stops the producer") {
  for (const std::size_t depth : depths) {
    CAPTURE(depth);
    auto pr = std::make_shared<probe>();
    auto p = ListSource(100000, pr) | fd::prefetch(depth);
    const auto calls_when_full = within(30s, [&] {
      auto cursor = p.open();
      Ex e;
      (void)cursor.next(e);
      // The producer fills the ring and blocks: 1 consumed + depth ready.
      const bool full = eventually([&] { return pr->next_calls >= depth + 1; });
      std::this_thread::sleep_for(20ms);
      return full ? pr->next_calls.load() : 0;
      // cursor destroyed here, with the producer blocked on the full ring
    });
    CHECK(calls_when_full == depth + 1);
    std::this_thread::sleep_for(20ms);
    CHECK(pr->next_calls == depth + 1);  // nothing pulled after the stop
  }
  // Opened and dropped before anything was consumed.
  auto pr = std::make_shared<probe>();
  auto p = ListSource(100000, pr) | fd::prefetch(3);
  within(30s, [&] {
    auto cursor = p.open();
    return 0;
  });
  CHECK(pr->opens == 1);
  CHECK(pr->next_calls <= 3);  // at most the ring's worth was produced
}

TEST_CASE("prefetch: destroying a cursor while the source is slow waits only for that call") {
  auto pr = std::make_shared<probe>();
  auto p = ListSource(1000, pr).delay(200ms) | fd::prefetch(4);
  const auto r = within(30s, [&] {
    auto cursor = std::make_optional(p.open());
    // Wait until the producer is inside a slow next().
    const bool inside = eventually([&] { return pr->in_next.load(); });
    const auto t0 = std::chrono::steady_clock::now();
    cursor.reset();
    const auto took = std::chrono::steady_clock::now() - t0;
    return std::pair{inside, took};
  });
  CHECK(r.first);
  // One slow call (200 ms) at most, not the depth-4 ring or the 1000 elements left.
  CHECK(r.second < 5s);
  const std::size_t calls = pr->next_calls;
  CHECK(calls <= 2);
  std::this_thread::sleep_for(300ms);
  CHECK(pr->next_calls == calls);
}

TEST_CASE("prefetch: a consumer slower than the producer, and one faster") {
  ListSource plain(60);
  const auto expected = drain(plain);
  for (const std::size_t depth : depths) {
    CAPTURE(depth);
    auto slow_consumer = ListSource(60) | fd::prefetch(depth);
    CHECK(within(60s, [&] { return drain(slow_consumer, 500us); }) == expected);
    auto slow_producer = ListSource(60).delay(500us) | fd::prefetch(depth);
    CHECK(within(60s, [&] { return drain(slow_producer); }) == expected);
  }
  auto slow_batches = BatchSource(40, 3) | fd::prefetch(2);
  BatchSource plain_batches(40, 3);
  CHECK(within(60s, [&] { return drain(slow_batches, 1ms); }) == drain(plain_batches));
}

TEST_CASE("prefetch: a depth below 1 is an argument_error") {
  try {
    (void)fd::prefetch(0);
    FAIL("prefetch(0) must throw");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem() == "prefetch(0): the buffer must hold at least one element");
    CHECK(e.fix() == "pass prefetch(1) or more; prefetch(2) overlaps preparing the next batch "
                     "with training on this one");
  }
  try {
    (void)fd::prefetch(-3);
    FAIL("prefetch(-3) must throw");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem() == "prefetch(-3): the buffer must hold at least one element");
  }
  CHECK_THROWS_AS(fd::Prefetch<ListSource>(ListSource(3), 0), fc::argument_error);
}

TEST_CASE("prefetch: the range interface iterates one pass") {
  auto p = ListSource(8) | fd::prefetch(3);
  const float sum = within(30s, [&] {
    float s = 0;
    for (auto&& [x, y] : p) s += x[0] + static_cast<float>(y[0]);
    return s;
  });
  CHECK(sum == (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7) + (0 + 1 + 2 + 3 + 4 + 5 + 6 + 0));
}

}  // namespace data_prefetch_test
