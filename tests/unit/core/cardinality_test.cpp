// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <string>

#include <fitcheck/core/cardinality.hpp>

namespace core_cardinality_test {

namespace fc = fitcheck;
using C = fc::Cardinality;

// The same algebra at run time, on values a program only learns while running (here: read
// through a volatile so the compiler cannot fold them).
namespace {
std::size_t runtime(std::size_t v) {
  volatile std::size_t x = v;
  return x;
}
}  // namespace

TEST_CASE("cardinality: batch keeps or drops the partial last batch") {
  const C n = C::finite(runtime(150));
  CHECK(n.batch(runtime(32)) == C::finite(5));
  CHECK(n.batch(runtime(32), true) == C::finite(4));
  CHECK(n.batch(runtime(50)) == C::finite(3));
  CHECK(n.batch(runtime(50), true) == C::finite(3));
  CHECK(n.batch(runtime(200)) == C::finite(1));        // one partial batch [A10]
  CHECK(n.batch(runtime(200), true) == C::finite(0));  // nothing at all (A9)
  CHECK(C::finite(0).batch(runtime(4)) == C::finite(0));
  CHECK(C::infinite().batch(runtime(4)) == C::infinite());
  CHECK(C::unknown().batch(runtime(4)) == C::unknown());
}

TEST_CASE("cardinality: batch size zero is an argument_error") {
  CHECK_THROWS_AS((void)C::finite(10).batch(runtime(0)), fc::argument_error);
  try {
    (void)C::infinite().batch(runtime(0));
    FAIL("batch(0) must throw");
  } catch (const fc::argument_error& e) {
    CHECK(std::string(e.what()).find("batch size 0") != std::string::npos);
    CHECK(e.fix().find("batch<32>()") != std::string::npos);
  }
}

TEST_CASE("cardinality: repeat, with and without a count, as tf.data counts it") {
  CHECK(C::finite(runtime(10)).repeat() == C::infinite());
  CHECK(C::finite(runtime(0)).repeat() == C::finite(0));  // an empty data set stays empty
  CHECK(C::unknown().repeat() == C::infinite());
  CHECK(C::finite(runtime(10)).repeat(runtime(3)) == C::finite(30));
  CHECK(C::finite(runtime(10)).repeat(runtime(0)) == C::finite(0));
  CHECK(C::infinite().repeat(runtime(0)) == C::finite(0));
  CHECK(C::unknown().repeat(runtime(2)) == C::unknown());
  CHECK(C::infinite().repeat(runtime(2)) == C::infinite());
  CHECK_THROWS_AS((void)C::finite(runtime(1) << 40).repeat(runtime(1) << 40), fc::argument_error);
}

TEST_CASE("cardinality: concatenate adds the parts, and the largest kind wins") {
  CHECK(C::finite(runtime(10)).concatenate(C::finite(runtime(5))) == C::finite(15));
  CHECK(C::finite(runtime(0)).concatenate(C::finite(runtime(0))) == C::finite(0));
  CHECK(C::finite(runtime(10)).concatenate(C::infinite()) == C::infinite());
  CHECK(C::unknown().concatenate(C::infinite()) == C::infinite());
  CHECK(C::finite(runtime(10)).concatenate(C::unknown()) == C::unknown());
  CHECK(C::finite(runtime(10)).concatenate(C::finite_at_runtime()) == C::finite_at_runtime());
  // The largest count that fits: one below the marker of a count known only at run time.
  const std::size_t half = C::runtime_count / 2;
  CHECK(C::finite(runtime(half)).concatenate(C::finite(runtime(half))) == C::finite(2 * half));
  try {
    (void)C::finite(runtime(half) + 1).concatenate(C::finite(runtime(half)));
    FAIL("an overflowing concatenate must throw");
  } catch (const fc::argument_error& e) {
    const std::string what = e.what();
    CHECK(what.find("concatenating " + std::to_string(half + 1) + " and " +
                    std::to_string(half) + " elements overflows") != std::string::npos);
    CHECK(e.fix().find("take(n)") != std::string::npos);
  }
}

TEST_CASE("cardinality: batch-then-repeat and repeat-then-batch") {
  // batch(32).repeat(3): every epoch has its partial batch [A3].
  CHECK(C::finite(runtime(100)).batch(32).repeat(3) == C::finite(12));
  // repeat(3).batch(32): batches straddle epochs, so fewer of them (A4).
  CHECK(C::finite(runtime(100)).repeat(3).batch(32) == C::finite(10));
}

TEST_CASE("cardinality: take and skip") {
  CHECK(C::finite(runtime(10)).take(runtime(3)) == C::finite(3));
  CHECK(C::finite(runtime(10)).take(runtime(30)) == C::finite(10));
  CHECK(C::infinite().take(runtime(7)) == C::finite(7));
  CHECK(C::unknown().take(runtime(7)) == C::unknown());
  CHECK(C::unknown().take(runtime(0)) == C::finite(0));
  CHECK(C::finite(runtime(10)).skip(runtime(3)) == C::finite(7));
  CHECK(C::finite(runtime(10)).skip(runtime(30)) == C::finite(0));
  CHECK(C::infinite().skip(runtime(3)) == C::infinite());
  CHECK(C::unknown().skip(runtime(3)) == C::unknown());
}

TEST_CASE("cardinality: shard splits the remainder over the first shards") {
  const C n = C::finite(runtime(10));
  CHECK(n.shard(3, runtime(0)) == C::finite(4));  // elements 0, 3, 6, 9
  CHECK(n.shard(3, runtime(1)) == C::finite(3));  // 1, 4, 7
  CHECK(n.shard(3, runtime(2)) == C::finite(3));  // 2, 5, 8
  CHECK(C::infinite().shard(2, 1) == C::infinite());
  CHECK_THROWS_AS((void)n.shard(runtime(3), runtime(3)), fc::argument_error);
  CHECK_THROWS_AS((void)n.shard(runtime(0), runtime(0)), fc::argument_error);
}

TEST_CASE("cardinality: filter makes the count unknown") {
  CHECK(C::finite(runtime(10)).filter() == C::unknown());
  CHECK(C::finite(runtime(0)).filter() == C::finite(0));
  CHECK(C::infinite().filter() == C::unknown());
}

TEST_CASE("cardinality: a count known only at run time stays finite and unresolved") {
  const C r = C::finite_at_runtime();
  CHECK(r.is_finite());
  CHECK_FALSE(r.is_exact());
  CHECK(r.batch(32) == r);
  CHECK(r.repeat() == C::infinite());
  CHECK(r.repeat(2) == r);
  CHECK(r.take(5) == r);
  CHECK(r.skip(5) == r);
  CHECK(r.shard(2, 0) == r);
  CHECK(r.filter() == C::unknown());
}

TEST_CASE("cardinality: messages name the count") {
  CHECK(fc::to_string(C::finite(1)) == "1 element");
  CHECK(fc::to_string(C::finite(150)) == "150 elements");
  CHECK(fc::to_string(C::finite_at_runtime()) == "a finite number of elements known at run time");
  CHECK(fc::to_string(C::unknown()) == "an unknown number of elements");
  CHECK(fc::to_string(C::infinite()) == "infinitely many elements");
}

}  // namespace core_cardinality_test
