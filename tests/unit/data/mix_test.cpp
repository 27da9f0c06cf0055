// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// concatenate and sample_from_datasets: what a pass yields, in order or in proportion, their
// cardinality by type and at run time, a new order each epoch from the seed, the weights' checks,
// the A17 warning, and the ordering rules that see through them.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include <support/pipelines.hpp>

namespace data_mix_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fc::Cardinality;
using fc::test::ids;
using fc::test::numbered;
using fc::test::range;

namespace {
// Samples numbered from `from`: ids from, from + 1, ...
auto numbered_from(int from, std::size_t n) {
  return numbered(std::size_t(from) + n) | fd::skip(std::size_t(from));
}
}  // namespace

TEST_CASE("concatenate: each part in turn, every pass, with its cardinality") {
  auto p = fd::concatenate(numbered(3), numbered_from(10, 2), numbered_from(20, 4));
  std::vector<int> want = {0, 1, 2, 10, 11, 20, 21, 22, 23};
  CHECK(ids(p) == want);
  CHECK(ids(p) == want);  // a second pass reads every part again
  CHECK(p.cardinality() == Cardinality::finite(9));
  static_assert(decltype(p)::static_cardinality.is_finite());
  // Batched after joining: batches cross the parts' boundaries.
  auto batched = fd::concatenate(numbered(3), numbered_from(10, 2)) | fd::batch<2>();
  CHECK(fc::test::batch_sizes(batched) == std::vector<std::size_t>{2, 2, 1});
  CHECK(batched.cardinality() == Cardinality::finite(3));
  // An empty part is skipped; a filtered one makes the count unknown.
  auto empty_first = fd::concatenate(numbered(0), numbered(2));
  CHECK(ids(empty_first) == std::vector<int>{0, 1});
  auto filtered = fd::concatenate(
      numbered(4) | fd::filter([](const auto& e) { return e.x[0] > 1; }), numbered(1));
  CHECK(filtered.cardinality().is_unknown());
  CHECK(ids(filtered) == std::vector<int>{2, 3, 0});
}

TEST_CASE("concatenate: an infinite last part makes the whole infinite, repeat after it") {
  auto tail = fd::concatenate(numbered(2), numbered_from(5, 1) | fd::repeat());
  static_assert(decltype(tail)::static_cardinality.is_infinite());
  CHECK(tail.cardinality().is_infinite());
  auto first = tail.begin();
  std::vector<int> got;
  for (int i = 0; i < 5; ++i, ++first) got.push_back(int((*first).x[0]));
  CHECK(got == std::vector<int>{0, 1, 5, 5, 5});
  auto repeated = fd::concatenate(numbered(2), numbered_from(5, 1)) | fd::repeat(2);
  CHECK(ids(repeated) == std::vector<int>{0, 1, 5, 0, 1, 5});
  CHECK(repeated.epoch_cardinality() == Cardinality::finite(3));
}

TEST_CASE("concatenate: the ordering rules see the parts' stages") {
  using Shuffled = decltype(fd::concatenate(numbered(3) | fd::shuffle(3), numbered(2)));
  static_assert(Shuffled::traits.randomized);  // so shard or cache after it does not compile
  static_assert(!Shuffled::traits.batched);
  // One process's share only if every part is (DataParallel's compile-time H1 rule).
  static_assert(!Shuffled::traits.sharded);
  static_assert(
      !decltype(fd::concatenate(numbered(3) | fd::shard(2, 0), numbered(2)))::traits.sharded);
  static_assert(decltype(fd::concatenate(numbered(3) | fd::shard(2, 0),
                                         numbered(2) | fd::shard(2, 0)))::traits.sharded);
  fc::warning_capture cap;
  auto p = fd::concatenate(numbered(3) | fd::prefetch(2), numbered(2));
  CHECK(cap.count("A8") == 1);
  CHECK(fc::test::count(p) == 5);
}

TEST_CASE("sample_from_datasets: every sample once, interleaved, a new order each epoch") {
  // Continuing with the rest (tf.data's default): all of each finite dataset, in a random order
  // that keeps each dataset's own order.
  const fc::warning_capture quiet;  // 3 and 4 samples at weights 1/2: A17, tested below
  auto p = fd::sample_from_datasets({0.5, 0.5}, fc::Seed{3}, numbered(3), numbered_from(10, 4));
  CHECK(p.cardinality() == Cardinality::finite(7));
  static_assert(decltype(p)::static_cardinality.is_finite());
  const auto first = ids(p);
  auto sorted = first;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == std::vector<int>{0, 1, 2, 10, 11, 12, 13});
  std::vector<int> a, b;
  for (const int id : first) (id < 10 ? a : b).push_back(id);
  CHECK(a == range(0, 3));
  CHECK(b == range(10, 14));
  // The next epochs draw other orders (the seed's stream for each epoch), reproducibly.
  bool differs = false;
  for (int epoch = 0; epoch < 4 && !differs; ++epoch) differs = ids(p) != first;
  CHECK(differs);
  auto again = fd::sample_from_datasets({0.5, 0.5}, fc::Seed{3}, numbered(3), numbered_from(10, 4));
  CHECK(ids(again) == first);
}

TEST_CASE(
    "sample_from_datasets: draws in the weights' proportions, oversampling a repeated source") {
  // tf.data's oversampling recipe: both sources repeated, 3 : 1 weights, 4000 draws.
  auto p = fd::sample_from_datasets({0.75, 0.25}, fc::Seed{11}, numbered(5) | fd::repeat(),
                                    numbered_from(100, 2) | fd::repeat()) |
           fd::take(4000);
  static_assert(decltype(fd::sample_from_datasets(
      {0.75, 0.25}, numbered(5) | fd::repeat(),
      numbered(2) | fd::repeat()))::static_cardinality.is_infinite());
  std::size_t from_b = 0, total = 0;
  for (const int id : ids(p)) {
    from_b += id >= 100;
    ++total;
  }
  CHECK(total == 4000);
  // Binomial(4000, 1/4): mean 1000, standard deviation 27; 5 deviations either way.
  CHECK(from_b > 865);
  CHECK(from_b < 1135);
  // A weight of 0: never drawn.
  auto never = fd::sample_from_datasets({1.0, 0.0}, numbered(4), numbered_from(10, 3));
  CHECK(ids(never) == range(0, 4));
  CHECK(never.cardinality() == Cardinality::finite(4));
}

TEST_CASE("sample_from_datasets: stop_on_empty_dataset ends the pass with the first to run out") {
  auto p = fd::sample_from_datasets({0.5, 0.5}, fc::Seed{5}, fd::stop_on_empty_dataset, numbered(3),
                                    numbered_from(10, 50));
  static_assert(decltype(p)::static_cardinality.is_unknown());
  CHECK(p.cardinality().is_unknown());
  const auto got = ids(p);
  // The pass ends at the draw that finds the small dataset empty: all 3 of it were drawn, and
  // about as many of the other.
  CHECK(std::count_if(got.begin(), got.end(), [](int id) { return id < 10; }) == 3);
  CHECK(got.size() < 3 + 30);
  auto forever = fd::sample_from_datasets({0.5, 0.5}, fc::Seed{5}, fd::stop_on_empty_dataset,
                                          numbered(3) | fd::repeat(), numbered(2) | fd::repeat());
  static_assert(decltype(forever)::static_cardinality.is_infinite());
}

TEST_CASE("sample_from_datasets: weights are checked, with the index and the value") {
  const auto bad = [](std::array<double, 2> w) {
    return fd::sample_from_datasets(w, numbered(2), numbered(2));
  };
  CHECK_THROWS_WITH_AS(
      (void)bad({0.5, -1.0}),
      doctest::Contains("weight 1 is -1, but a weight must be a finite number >= 0"),
      fc::argument_error);
  CHECK_THROWS_WITH_AS((void)bad({std::nan(""), 1.0}), doctest::Contains("weight 0 is nan"),
                       fc::argument_error);
  CHECK_THROWS_WITH_AS((void)bad({0.0, 0.0}), doctest::Contains("every weight is 0"),
                       fc::argument_error);
}

TEST_CASE("sample_from_datasets: A17, weights that only reorder finite datasets") {
  {
    fc::warning_capture cap;
    auto p = fd::sample_from_datasets({0.5, 0.5}, numbered(90), numbered(10));
    REQUIRE(cap.count("A17") == 1);
    const std::string m = cap.warnings().front().message();
    CHECK(m.find("finite datasets of 90 and 10 samples with weights 0.5 and 0.5") !=
          std::string::npos);
    CHECK(m.find("in the proportions 0.9 and 0.1") != std::string::npos);
    CHECK(m.find("repeat() each dataset") != std::string::npos);
    CHECK(fc::test::count(p) == 100);
  }
  {
    fc::warning_capture cap;
    // Weights matching the sizes, repeated sources, or stopping at the first empty: no warning.
    (void)fd::sample_from_datasets({0.9, 0.1}, numbered(90), numbered(10));
    (void)fd::sample_from_datasets({0.5, 0.5}, numbered(90) | fd::repeat(),
                                   numbered(10) | fd::repeat());
    (void)fd::sample_from_datasets({0.5, 0.5}, fc::Seed{0}, fd::stop_on_empty_dataset, numbered(90),
                                   numbered(10));
    (void)fd::sample_from_datasets({1.0, 0.0}, numbered(4), numbered(30));  // b never drawn
    CHECK(cap.count("A17") == 0);
  }
}

TEST_CASE("sample_from_datasets: the rules after it see a random stage") {
  const fc::warning_capture quiet;
  using P = decltype(fd::sample_from_datasets({0.5, 0.5}, numbered(2), numbered(2)));
  static_assert(P::traits.randomized);  // cache after it is A7, shard after it A13
  static_assert(!P::traits.batched);
  auto shuffled = fd::sample_from_datasets({0.5, 0.5}, numbered(2), numbered(2)) | fd::shuffle(4) |
                  fd::batch<2>();
  CHECK(fc::test::count(shuffled) == 2);
}

}  // namespace data_mix_test
