// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// For many pipelines and sizes: the static cardinality, the run-time cardinality and the number
// of elements a pass actually yields all agree.
#include <doctest/doctest.h>

#include <tuple>

#include <xtensor/xfixed.hpp>

#include <support/pipelines.hpp>

namespace data_cardinality_consistency_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fc::Cardinality;

namespace {
template <class P>
void check_agrees(P& p, const char* name, std::size_t n) {
  CAPTURE(name);
  CAPTURE(n);
  const Cardinality runtime = p.cardinality();
  constexpr Cardinality type = P::static_cardinality;
  // What the type says must hold for the value.
  if constexpr (type.is_exact()) CHECK(runtime == type);
  if constexpr (type.is_finite()) CHECK(runtime.is_finite());
  if constexpr (type.is_infinite()) CHECK(runtime.is_infinite());
  if (runtime.is_exact()) {
    CHECK(fc::test::count(p) == runtime.count);
    CHECK(fc::test::count(p) == runtime.count);  // and again: a second pass
  }
  if (runtime.is_infinite()) CHECK(type.is_infinite());
}

template <class Build>
void over_sizes(const char* name, Build build) {
  for (std::size_t n : {0u, 1u, 3u, 4u, 5u, 10u, 33u}) {
    auto p = build(fc::test::numbered(n));
    check_agrees(p, name, n);
  }
}
}  // namespace

TEST_CASE("cardinality agrees with what pipelines yield") {
  const fc::warning_capture quiet;  // small sizes trigger A10; not the subject here
  over_sizes("source", [](auto s) { return s; });
  over_sizes("batch<4>", [](auto s) { return s | fd::batch<4>(); });
  over_sizes("batch(3)", [](auto s) { return s | fd::batch(3); });
  over_sizes("shuffle|batch<4>", [](auto s) { return s | fd::shuffle(5) | fd::batch<4>(); });
  over_sizes("batch<4>|repeat(3)", [](auto s) { return s | fd::batch<4>() | fd::repeat(3); });
  over_sizes("repeat(3)|batch<4>", [](auto s) { return s | fd::repeat(3) | fd::batch<4>(); });
  over_sizes("repeat(3)|batch<2,drop>",
             [](auto s) { return s | fd::repeat(3) | fd::batch<2>(fd::drop_remainder); });
  over_sizes("repeat()|take(7)", [](auto s) { return s | fd::repeat() | fd::take(7); });
  over_sizes("take(4)|batch(3)", [](auto s) { return s | fd::take(4) | fd::batch(3); });
  over_sizes("skip(2)|batch<2>", [](auto s) { return s | fd::skip(2) | fd::batch<2>(); });
  over_sizes("shard(3,2)|batch<2>", [](auto s) { return s | fd::shard(3, 2) | fd::batch<2>(); });
  over_sizes("shard(2,0)|shuffle|repeat(2)",
             [](auto s) { return s | fd::shard(2, 0) | fd::shuffle(3) | fd::repeat(2); });
  over_sizes("cache|shuffle|batch<3>",
             [](auto s) { return s | fd::cache() | fd::shuffle(4) | fd::batch<3>(); });
  over_sizes("take(3)|cache|repeat(2)",
             [](auto s) { return s | fd::take(3) | fd::cache() | fd::repeat(2); });
  over_sizes("cache|repeat(2)|take(5)",
             [](auto s) { return s | fd::cache() | fd::repeat(2) | fd::take(5); });
  over_sizes("map|skip(1)|repeat(2)|batch<2>", [](auto s) {
    return s | fd::map([](const auto& e) { return e; }) | fd::skip(1) | fd::repeat(2) |
           fd::batch<2>();
  });
}

TEST_CASE("infinite pipelines are infinite by type, and one epoch is one pass") {
  auto p = fc::test::numbered(10) | fd::shuffle(10) | fd::repeat() | fd::batch<4>();
  static_assert(decltype(p)::static_cardinality.is_infinite());
  CHECK(p.cardinality().is_infinite());
  CHECK(p.epoch_cardinality() == Cardinality::finite(3));  // batches per epoch: 4 + 4 + 2
  auto dropped = fc::test::numbered(10) | fd::repeat() | fd::batch<4>(fd::drop_remainder);
  CHECK(dropped.epoch_cardinality() == Cardinality::finite(2));
}

TEST_CASE("fixed-shape arrays make the sample count static") {
  xt::xtensor_fixed<float, xt::xshape<6, 2>> x;
  xt::xtensor_fixed<int, xt::xshape<6>> y;
  for (std::size_t i = 0; i < 6; ++i) {
    x(i, 0) = float(i);
    x(i, 1) = 0.0f;
    y(i) = int(i % 2);
  }
  auto src = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y);
  static_assert(decltype(src)::static_cardinality == Cardinality::finite(6));
  auto p = src | fd::batch<4>();
  static_assert(decltype(p)::static_cardinality == Cardinality::finite(2));
  static_assert(fc::static_count_v<decltype(p)::static_cardinality> == 2);
  CHECK(fc::test::batch_sizes(p) == std::vector<std::size_t>{4, 2});
  auto twice = src | fd::batch<4>() | fd::repeat(2);
  static_assert(!decltype(twice)::static_cardinality.is_exact());  // the count is a run-time value
  CHECK(twice.cardinality() == Cardinality::finite(4));
}

}  // namespace data_cardinality_consistency_test
