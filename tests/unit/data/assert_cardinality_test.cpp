// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/data/assert_cardinality.hpp>
#include <fitcheck/data/generator.hpp>

namespace data_assert_cardinality_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

using F1 = fc::Features<1>;
using L = fc::BinaryLabel;
using Ex = fd::Example<F1, L>;
using Row = std::pair<std::array<float, 1>, int>;

// A generator source of n elements (x = i, y = i % 2), of unknown length as generators are.
auto generated(std::size_t n) {
  return fd::from_generator<F1, L>([n] {
    return [n, i = std::size_t{0}]() mutable -> std::optional<Row> {
      if (i == n) return std::nullopt;
      const auto k = i++;
      return std::pair{std::array<float, 1>{static_cast<float>(k)}, static_cast<int>(k % 2)};
    };
  });
}

// A test-only source over a vector, of a length it knows, with traits chosen by the test.
template <fd::pipeline_traits Traits = fd::pipeline_traits{}>
class ListSource : public fd::dataset_interface<ListSource<Traits>> {
public:
  using element_type = Ex;
  static constexpr fc::Cardinality static_cardinality = fc::Cardinality::finite_at_runtime();
  static constexpr fd::pipeline_traits traits = Traits;

  explicit ListSource(std::size_t n) : n_(n) {}
  [[nodiscard]] fc::Cardinality cardinality() const { return fc::Cardinality::finite(n_); }
  [[nodiscard]] element_type make_element() const { return {}; }

  class cursor {
  public:
    explicit cursor(std::size_t n) : n_(n) {}
    bool next(element_type& out) {
      if (i_ == n_) return false;
      out.x = {static_cast<float>(i_)};
      out.y = {static_cast<int>(i_ % 2)};
      ++i_;
      return true;
    }

  private:
    std::size_t n_;
    std::size_t i_ = 0;
  };
  [[nodiscard]] cursor open() { return cursor(n_); }

private:
  std::size_t n_;
};

// An endless source, infinite by type and by value.
class Endless : public fd::dataset_interface<Endless> {
public:
  using element_type = Ex;
  static constexpr fc::Cardinality static_cardinality = fc::Cardinality::infinite();
  static constexpr fd::pipeline_traits traits{.repeated = true};
  [[nodiscard]] fc::Cardinality cardinality() const { return fc::Cardinality::infinite(); }
  [[nodiscard]] element_type make_element() const { return {}; }
  struct cursor {
    bool next(element_type&) { return true; }
  };
  [[nodiscard]] cursor open() { return {}; }
};

// How many elements one pass gave, and the data_error that ended it, if one did.
struct pass_result {
  std::size_t yielded = 0;
  std::vector<float> xs;
  std::optional<fc::data_error> error;
  bool next_after_error = true;
};

template <class D>
pass_result run_pass(D& d) {
  pass_result r;
  auto cursor = d.open();
  auto e = d.make_element();
  try {
    while (cursor.next(e)) {
      ++r.yielded;
      r.xs.push_back(e.x[0]);
    }
  } catch (const fc::data_error& error) {
    r.error = error;
    r.next_after_error = cursor.next(e);
  }
  return r;
}

}  // namespace

TEST_CASE("assert_cardinality: declares the count of a generator (B5)") {
  auto source = generated(5) | fd::assert_cardinality(5);
  using S = decltype(source);
  static_assert(std::is_same_v<S, fd::AssertCardinality<decltype(generated(5))>>);
  static_assert(fd::dataset<S>);
  static_assert(S::static_cardinality == fc::Cardinality::finite_at_runtime());
  static_assert(S::static_cardinality.is_finite() && !S::static_cardinality.is_exact());
  CHECK(generated(5).cardinality() == fc::Cardinality::unknown());
  CHECK(source.cardinality() == fc::Cardinality::finite(5));
  CHECK(source.epoch_cardinality() == fc::Cardinality::finite(5));
  // The algebra downstream now has a count to work with.
  CHECK(source.cardinality().batch(2) == fc::Cardinality::finite(3));
}

TEST_CASE("assert_cardinality: an exact count passes every pass unchanged") {
  auto source = generated(4) | fd::assert_cardinality(4);
  for (int pass = 0; pass < 3; ++pass) {
    const auto r = run_pass(source);
    CHECK_FALSE(r.error.has_value());
    CHECK(r.yielded == 4);
    CHECK(r.xs == std::vector<float>{0, 1, 2, 3});
  }
  // After the end the cursor stays ended.
  auto cursor = source.open();
  Ex e;
  for (int i = 0; i < 4; ++i) REQUIRE(cursor.next(e));
  CHECK_FALSE(cursor.next(e));
  CHECK_FALSE(cursor.next(e));
}

TEST_CASE("assert_cardinality: a source that ends early is a data_error after its elements") {
  auto source = generated(3) | fd::assert_cardinality(5);
  const auto r = run_pass(source);
  CHECK(r.yielded == 3);
  CHECK(r.xs == std::vector<float>{0, 1, 2});
  REQUIRE(r.error.has_value());
  CHECK(r.error->problem() == "assert_cardinality(5): the source ended after 3 elements");
  CHECK(r.error->fix() ==
        "declare the count the source has, assert_cardinality(3), or make the source yield 5 "
        "elements (a generator's factory must return a fresh generator for each pass)");
  CHECK_FALSE(r.next_after_error);

  auto one = generated(1) | fd::assert_cardinality(2);
  CHECK(run_pass(one).error->problem() ==
        "assert_cardinality(2): the source ended after 1 element");
}

TEST_CASE("assert_cardinality: a source that yields more is a data_error at element n + 1") {
  auto source = generated(7) | fd::assert_cardinality(5);
  const auto r = run_pass(source);
  CHECK(r.yielded == 5);  // the declared elements arrive; the sixth is the error
  CHECK(r.xs == std::vector<float>{0, 1, 2, 3, 4});
  REQUIRE(r.error.has_value());
  CHECK(r.error->problem() == "assert_cardinality(5): the source yields more than 5 elements");
  CHECK(r.error->fix() ==
        "declare the count the source has, or put take(5) before assert_cardinality to keep the "
        "first 5 elements");
  CHECK_FALSE(r.next_after_error);
}

TEST_CASE("assert_cardinality: zero elements") {
  auto empty = generated(0) | fd::assert_cardinality(0);
  CHECK(empty.cardinality() == fc::Cardinality::finite(0));
  const auto ok = run_pass(empty);
  CHECK(ok.yielded == 0);
  CHECK_FALSE(ok.error.has_value());

  auto not_empty = generated(1) | fd::assert_cardinality(0);
  const auto r = run_pass(not_empty);
  CHECK(r.yielded == 0);
  REQUIRE(r.error.has_value());
  CHECK(r.error->problem() == "assert_cardinality(0): the source yields more than 0 elements");
}

TEST_CASE("assert_cardinality: a one-shot generator fails in epoch 2 with the count (B2)") {
  std::size_t i = 0;  // the position outlives each generator: a one-shot source
  auto source = fd::from_generator<F1, L>([&i] {
                  return [&i]() -> std::optional<Row> {
                    if (i == 3) return std::nullopt;
                    return std::pair{std::array<float, 1>{static_cast<float>(i++)}, 0};
                  };
                }) |
                fd::assert_cardinality(3);
  CHECK_FALSE(run_pass(source).error.has_value());
  const auto second = run_pass(source);
  CHECK(second.yielded == 0);
  REQUIRE(second.error.has_value());
  CHECK(second.error->problem() == "assert_cardinality(3): the source ended after 0 elements");
}

TEST_CASE("assert_cardinality: a count the source already contradicts fails at once") {
  try {
    (void)(ListSource<>(10) | fd::assert_cardinality(5));
    FAIL("a known count of 10 against 5 must throw");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() == "assert_cardinality(5): the source has 10 elements");
    CHECK(e.fix() == "declare the count it has, assert_cardinality(10), or put take(5) before it");
  }
  try {
    (void)(Endless{} | fd::assert_cardinality(100));
    FAIL("an endless source must throw");
  } catch (const fc::data_error& e) {
    CHECK(e.problem() ==
          "assert_cardinality(100): the source never ends (it has infinitely many elements)");
    CHECK(e.fix() ==
          "put take(100) before it, or remove the repeat() that makes the source endless");
  }
  // A matching known count is accepted (and still verified).
  auto same = ListSource<>(6) | fd::assert_cardinality(6);
  CHECK(run_pass(same).yielded == 6);
}

TEST_CASE("assert_cardinality: traits and make_element pass through") {
  constexpr fd::pipeline_traits t{.batched = false, .repeated = true, .randomized = true,
                                  .cached = true, .prefetched = true};
  using S = fd::AssertCardinality<ListSource<t>>;
  static_assert(S::traits.repeated && S::traits.randomized && S::traits.cached &&
                S::traits.prefetched && !S::traits.batched);
  static_assert(std::is_same_v<fd::element_t<S>, Ex>);
  static_assert(!fd::AssertCardinality<ListSource<>>::traits.randomized);
  S s(ListSource<t>(2), 2);
  CHECK(s.cardinality() == fc::Cardinality::finite(2));
  CHECK(run_pass(s).xs == std::vector<float>{0, 1});
}

TEST_CASE("assert_cardinality: a negative count is an argument_error") {
  try {
    (void)fd::assert_cardinality(-1);
    FAIL("assert_cardinality(-1) must throw");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem() == "assert_cardinality(-1): an element count cannot be negative");
    CHECK(e.fix() == "pass the number of elements the source yields, 0 or more");
  }
  CHECK_NOTHROW((void)fd::assert_cardinality(0u));
  // Closures compose before a source is known.
  const auto declare = fd::assert_cardinality(std::size_t{2});
  auto source = generated(2) | declare;
  CHECK(source.cardinality() == fc::Cardinality::finite(2));
}

}  // namespace data_assert_cardinality_test
