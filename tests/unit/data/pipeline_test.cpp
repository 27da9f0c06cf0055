// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// tf.data semantics of the stages, pass by pass.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <vector>

#include <support/pipelines.hpp>

namespace data_pipeline_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fc::test::batch_sizes;
using fc::test::count;
using fc::test::ids;
using fc::test::numbered;
using fc::test::range;

TEST_CASE("pipeline: a source yields its samples in order, every pass") {
  auto src = numbered(10);
  CHECK(ids(src) == range(0, 10));
  CHECK(ids(src) == range(0, 10));
  CHECK(src.cardinality() == fc::Cardinality::finite(10));
}

TEST_CASE("pipeline: batch keeps a partial last batch unless drop_remainder") {
  auto kept = numbered(10) | fd::batch<4>();
  CHECK(batch_sizes(kept) == std::vector<std::size_t>{4, 4, 2});
  CHECK(ids(kept) == range(0, 10));
  auto dropped = numbered(10) | fd::batch<4>(fd::drop_remainder);
  CHECK(batch_sizes(dropped) == std::vector<std::size_t>{4, 4});
  CHECK(ids(dropped) == range(0, 8));
  auto runtime = numbered(10) | fd::batch(3);
  CHECK(batch_sizes(runtime) == std::vector<std::size_t>{3, 3, 3, 1});
  auto runtime_dropped = numbered(10) | fd::batch(3, fd::drop_remainder);
  CHECK(batch_sizes(runtime_dropped) == std::vector<std::size_t>{3, 3, 3});
}

TEST_CASE("pipeline: batch().repeat() keeps every epoch whole, repeat().batch() straddles") {
  // [A3]: each epoch ends with its own partial batch, all samples every epoch.
  auto a3 = numbered(10) | fd::batch<4>() | fd::repeat(3);
  CHECK(batch_sizes(a3) == std::vector<std::size_t>{4, 4, 2, 4, 4, 2, 4, 4, 2});
  // [A4]: batches straddle epoch boundaries; fewer, full batches.
  auto a4 = numbered(10) | fd::repeat(3) | fd::batch<4>();
  CHECK(batch_sizes(a4) == std::vector<std::size_t>{4, 4, 4, 4, 4, 4, 4, 2});
  std::vector<int> three_epochs;
  for (int e = 0; e < 3; ++e)
    for (int i : range(0, 10)) three_epochs.push_back(i);
  CHECK(ids(a3) == three_epochs);
  CHECK(ids(a4) == three_epochs);
}

TEST_CASE("pipeline: repeat() is endless and counts as infinite, repeat(0) is empty") {
  auto forever = numbered(3) | fd::repeat();
  CHECK(forever.cardinality().is_infinite());
  CHECK(forever.epoch_cardinality() == fc::Cardinality::finite(3));
  std::vector<int> first;
  for (auto&& e : forever) {
    first.push_back(int(e.x[0]));
    if (first.size() == 10) break;
  }
  CHECK(first == std::vector<int>{0, 1, 2, 0, 1, 2, 0, 1, 2, 0});
  auto none = numbered(3) | fd::repeat(0);
  CHECK(count(none) == 0);
  CHECK(none.cardinality() == fc::Cardinality::finite(0));
  // An empty source repeated forever ends instead of spinning (tf.data: cardinality 0).
  auto empty = numbered(0) | fd::repeat();
  CHECK(count(empty) == 0);
  CHECK(empty.cardinality() == fc::Cardinality::finite(0));
}

TEST_CASE("pipeline: take, skip and shard select by position") {
  auto taken = numbered(10) | fd::take(3);
  CHECK(ids(taken) == range(0, 3));
  auto skipped = numbered(10) | fd::skip(7);
  CHECK(ids(skipped) == range(7, 10));
  auto window = numbered(10) | fd::skip(2) | fd::take(5);
  CHECK(ids(window) == range(2, 7));
  auto too_far = numbered(10) | fd::skip(20);
  CHECK(count(too_far) == 0);
  auto shard0 = numbered(10) | fd::shard(3, 0);
  auto shard1 = numbered(10) | fd::shard(3, 1);
  auto shard2 = numbered(10) | fd::shard(3, 2);
  CHECK(ids(shard0) == std::vector<int>{0, 3, 6, 9});
  CHECK(ids(shard1) == std::vector<int>{1, 4, 7});
  CHECK(ids(shard2) == std::vector<int>{2, 5, 8});
  auto endless_taken = numbered(4) | fd::repeat() | fd::take(10);
  CHECK(ids(endless_taken) == std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1});
  CHECK(endless_taken.cardinality() == fc::Cardinality::finite(10));
  CHECK_THROWS_AS((void)(numbered(10) | fd::shard(3, 3)), fc::argument_error);
}

TEST_CASE("pipeline: shuffle is a permutation of each epoch, reshuffled each epoch") {
  auto shuffled = numbered(100) | fd::shuffle(100, fc::Seed{7});
  const auto e1 = ids(shuffled);
  const auto e2 = ids(shuffled);
  auto s1 = e1, s2 = e2;
  std::sort(s1.begin(), s1.end());
  std::sort(s2.begin(), s2.end());
  CHECK(s1 == range(0, 100));  // nothing lost or duplicated
  CHECK(s2 == range(0, 100));
  CHECK(e1 != range(0, 100));  // it did shuffle
  CHECK(e1 != e2);             // and reshuffled

  auto same_seed = numbered(100) | fd::shuffle(100, fc::Seed{7});
  CHECK(ids(same_seed) == e1);  // same seed, same order, epoch by epoch
  CHECK(ids(same_seed) == e2);
  auto other_seed = numbered(100) | fd::shuffle(100, fc::Seed{8});
  CHECK(ids(other_seed) != e1);

  auto fixed = numbered(100) | fd::shuffle(100, fc::Seed{7}, fd::reshuffle::never);
  const auto f1 = ids(fixed);
  CHECK(ids(fixed) == f1);
}

TEST_CASE("pipeline: shuffle draws from a sliding window of `buffer` elements") {
  // tf.data's buffer: output k is one of the first k + buffer input elements, and a buffer of
  // one changes nothing.
  auto one = numbered(50) | fd::shuffle(1, fc::Seed{3});
  CHECK(ids(one) == range(0, 50));
  for (std::size_t buffer : {2u, 5u, 16u}) {
    auto s = numbered(200) | fd::shuffle(buffer, fc::Seed{11});
    const auto out = ids(s);
    REQUIRE(out.size() == 200);
    for (std::size_t k = 0; k < out.size(); ++k) CHECK(out[k] < int(k + buffer));
  }
}

TEST_CASE("pipeline: shuffle -> repeat -> batch: whole epochs, each a fresh permutation") {
  auto p = numbered(10) | fd::shuffle(10, fc::Seed{1}) | fd::repeat(3) | fd::batch<4>();
  const auto all = ids(p);
  REQUIRE(all.size() == 30);
  std::vector<std::vector<int>> epochs;
  for (int e = 0; e < 3; ++e) {
    std::vector<int> ep(all.begin() + 10 * e, all.begin() + 10 * (e + 1));
    epochs.push_back(ep);
    std::sort(ep.begin(), ep.end());
    CHECK(ep == range(0, 10));
  }
  CHECK((epochs[0] != epochs[1] || epochs[1] != epochs[2]));
}

TEST_CASE("pipeline: batches carry (batch, features...) and (batch) xtensor views") {
  auto p = numbered(5) | fd::batch<2>();
  std::vector<std::size_t> rows;
  for (auto&& [x, y] : p) {
    REQUIRE(x.dimension() == 2);
    CHECK(x.shape()[1] == 3);
    CHECK(y.dimension() == 1);
    CHECK(y.shape()[0] == x.shape()[0]);
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      CHECK(x(i, 1) == 10.0f * x(i, 0));
      CHECK(y(i) == int(x(i, 0)) % 4);
    }
    rows.push_back(x.shape()[0]);
  }
  CHECK(rows == std::vector<std::size_t>{2, 2, 1});
}

TEST_CASE("pipeline: map transforms samples, filter drops them") {
  auto doubled = numbered(5) | fd::map([](const auto& e) {
                   auto out = e;
                   out.x[0] *= 2;
                   return out;
                 });
  CHECK(ids(doubled) == std::vector<int>{0, 2, 4, 6, 8});

  // map may change the feature shape and the label kind: checked at compile time.
  auto binary = numbered(6) | fd::map([](const auto& e) {
                  fd::Example<fc::Features<1>, fc::BinaryLabel> out;
                  out.x[0] = e.x[0];
                  out.y[0] = e.y[0] >= 2 ? 1 : 0;
                  return out;
                });
  static_assert(std::is_same_v<fd::element_t<decltype(binary)>,
                               fd::Example<fc::Features<1>, fc::BinaryLabel>>);
  std::vector<int> labels;
  for (auto&& e : binary) labels.push_back(e.label());
  CHECK(labels == std::vector<int>{0, 0, 1, 1, 0, 0});

  auto odd = numbered(10) | fd::filter([](const auto& e) { return int(e.x[0]) % 2 == 1; });
  CHECK(ids(odd) == std::vector<int>{1, 3, 5, 7, 9});
  CHECK(odd.cardinality().is_unknown());
}

TEST_CASE("pipeline: cache stores the first complete pass and replays it") {
  int calls = 0;
  auto counted = numbered(6) | fd::map([&calls](const auto& e) {
                   ++calls;
                   return e;
                 }) |
                 fd::cache();
  CHECK_FALSE(counted.complete());
  CHECK(ids(counted) == range(0, 6));
  CHECK(calls == 6);
  CHECK(counted.complete());
  CHECK(ids(counted) == range(0, 6));
  CHECK(calls == 6);  // the second pass never reached the map

  // A pass stopped early is discarded: the next pass reads the source again.
  int calls2 = 0;
  auto partial = numbered(6) | fd::map([&calls2](const auto& e) {
                   ++calls2;
                   return e;
                 }) |
                 fd::cache();
  for (auto&& e : partial) {
    if (e.x[0] == 2) break;
  }
  CHECK_FALSE(partial.complete());
  CHECK(ids(partial) == range(0, 6));
  CHECK(partial.complete());

  // cache -> shuffle: every epoch reshuffles the cached data.
  auto reshuffled = numbered(30) | fd::cache() | fd::shuffle(30, fc::Seed{2});
  CHECK(ids(reshuffled) != ids(reshuffled));
  CHECK_THROWS_AS((void)(numbered(3) | fd::repeat() | fd::cache()), fc::argument_error);
}

TEST_CASE("pipeline: A9 at run time: drop_remainder with a batch larger than the data") {
  try {
    (void)(numbered(10) | fd::batch<20>(fd::drop_remainder));
    FAIL("batch<20>(drop_remainder) on 10 samples must throw");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() ==
          "batch(20, drop_remainder) on a data set of 10 elements yields no batch at all, so "
          "nothing would train [A9]");
    CHECK(e.fix() == "use a batch size of at most 10, or keep the partial batch");
  }
  CHECK_THROWS_AS((void)(numbered(10) | fd::batch(11, fd::drop_remainder)), fc::data_error);
  CHECK_NOTHROW((void)(numbered(10) | fd::batch(10, fd::drop_remainder)));
  CHECK_THROWS_AS((void)(numbered(10) | fd::batch(0)), fc::argument_error);
}

TEST_CASE("pipeline: A10 warns when one partial batch is all an epoch holds") {
  fc::warning_capture seen;
  auto p = numbered(10) | fd::batch<20>();
  REQUIRE(seen.count("A10") == 1);
  CHECK(seen.warnings()[0].problem ==
        "batch(20) on a data set of 10 elements yields one partial batch per epoch");
  CHECK(batch_sizes(p) == std::vector<std::size_t>{10});
  auto fine = numbered(10) | fd::batch<10>();
  CHECK(seen.count("A10") == 1);
}

TEST_CASE("pipeline: A11 warns when the shuffle buffer cannot mix data sorted by label") {
  fc::warning_capture seen;
  auto sorted = numbered(150, true);  // like iris: 50 of each class in a row
  CHECK(sorted.longest_label_run() == 38);  // 150 samples over 4 classes
  auto small = sorted | fd::shuffle(10);
  REQUIRE(seen.count("A11") == 1);
  const auto& w = seen.warnings()[0];
  CHECK(w.problem.find("shuffle(10) on 150 samples") != std::string::npos);
  CHECK(w.problem.find("runs of up to 38 equal values") != std::string::npos);
  CHECK(w.fix == "shuffle(150) with a buffer as large as the data set");
  auto full = numbered(150, true) | fd::shuffle(150);
  auto unsorted = numbered(150) | fd::shuffle(10);  // runs of 1: no warning
  CHECK(seen.count("A11") == 1);
}

TEST_CASE("pipeline: warnings can be errors") {
  const bool before = fc::set_warnings_as_errors(true);
  try {
    (void)(numbered(10) | fd::batch<20>());
    FAIL("a warning must throw when warnings are errors");
  } catch (const fc::warning_error& e) {
    CHECK(e.code() == "A10");
    CHECK(std::string(e.what()).find("[A10] batch(20) on a data set of 10 elements") == 0);
  }
  fc::set_warnings_as_errors(before);
}

TEST_CASE("pipeline: shuffle(0) is an argument_error") {
  CHECK_THROWS_AS((void)(numbered(5) | fd::shuffle(0)), fc::argument_error);
}

TEST_CASE("pipeline: A8 warns when a stage follows prefetch") {
  fc::warning_capture seen;
  auto late = numbered(10) | fd::prefetch(2) | fd::batch<5>();
  REQUIRE(seen.count("A8") == 1);
  CHECK(seen.warnings()[0].problem ==
        "batch after prefetch: the prefetch buffers single elements, not what the model consumes");
  CHECK(seen.warnings()[0].fix == "make prefetch(n) the last stage");
  CHECK(batch_sizes(late) == std::vector<std::size_t>{5, 5});
  auto last = numbered(10) | fd::batch<5>() | fd::prefetch(2);
  CHECK(seen.count("A8") == 1);
  CHECK(batch_sizes(last) == std::vector<std::size_t>{5, 5});
}

TEST_CASE("pipeline: shuffle over in-memory data (index window) keeps tf.data's draw order") {
  // A map hides random access, so the second pipeline shuffles whole elements: both must give
  // the same order for the same seed, epoch after epoch, for a partial and a full buffer.
  for (std::size_t buffer : {7u, 100u}) {
    auto by_index = numbered(100) | fd::shuffle(buffer, fc::Seed{5});
    auto by_element = numbered(100) | fd::map([](const auto& e) { return e; }) |
                      fd::shuffle(buffer, fc::Seed{5});
    CAPTURE(buffer);
    CHECK(ids(by_index) == ids(by_element));
    CHECK(ids(by_index) == ids(by_element));
  }
}

}  // namespace data_pipeline_test
