// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fitcheck/data/generator.hpp>

namespace data_generator_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

using F2 = fc::Features<2>;
using Class3 = fc::ClassLabel<3>;
using Row = std::pair<std::array<float, 2>, int>;

// Every element of one pass, as (x0, x1, label) triples, so passes compare with ==.
template <class D>
std::vector<std::tuple<float, float, std::int32_t>> drain(D& d) {
  std::vector<std::tuple<float, float, std::int32_t>> seen;
  auto cursor = d.open();
  auto e = d.make_element();
  while (cursor.next(e)) seen.emplace_back(e.x[0], e.x[1], e.y[0]);
  return seen;
}

// A generator counting 0, 1, ..., n - 1 as (features {i, 10 i}, label i % 3).
struct counting_generator {
  int n;
  int i = 0;
  std::optional<Row> operator()() {
    if (i == n) return std::nullopt;
    const int k = i++;
    return Row{{static_cast<float>(k), 10.0f * static_cast<float>(k)}, k % 3};
  }
};

// A hand-written input range computing its items on the fly: i -> ({i / 2, -i}, i % 3).
class lazy_rows {
public:
  explicit lazy_rows(int n) : n_(n) {}
  class iterator {
  public:
    using value_type = std::pair<std::array<double, 2>, int>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(int i, int n) : i_(i), n_(n) {}
    value_type operator*() const { return {{i_ * 0.5, -i_ * 1.0}, i_ % 3}; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    void operator++(int) { ++i_; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.i_ == it.n_; }

  private:
    int i_ = 0;
    int n_ = 0;
  };
  [[nodiscard]] iterator begin() const { return {0, n_}; }
  [[nodiscard]] std::default_sentinel_t end() const { return {}; }

private:
  int n_;
};
static_assert(std::ranges::input_range<lazy_rows>);

const std::vector<std::tuple<float, float, std::int32_t>> counted_4{
    {0.0f, 0.0f, 0}, {1.0f, 10.0f, 1}, {2.0f, 20.0f, 2}, {3.0f, 30.0f, 0}};

// The exception from one pass, so the tests can check its type and text.
template <class E, class D>
E failure_of(D& d, std::size_t& yielded_before) {
  auto cursor = d.open();
  auto e = d.make_element();
  yielded_before = 0;
  try {
    while (cursor.next(e)) ++yielded_before;
  } catch (const E& error) {
    return error;
  }
  FAIL("the pass did not throw");
  return E("", "");
}

}  // namespace

TEST_CASE("from_generator: a callable generator yields its items, then ends at nullopt") {
  auto source = fd::from_generator<F2, Class3>([] { return counting_generator{4}; });
  using S = decltype(source);
  static_assert(fd::dataset<S>);
  static_assert(std::is_same_v<fd::element_t<S>, fd::Example<F2, Class3>>);
  static_assert(S::static_cardinality == fc::Cardinality::unknown());
  static_assert(!S::traits.batched && !S::traits.repeated && !S::traits.randomized &&
                !S::traits.cached && !S::traits.prefetched);
  CHECK(source.cardinality() == fc::Cardinality::unknown());
  CHECK(source.epoch_cardinality() == fc::Cardinality::unknown());
  CHECK(drain(source) == counted_4);

  // After the end a cursor stays at the end only if the generator does; ours returns nullopt.
  auto cursor = source.open();
  auto e = source.make_element();
  for (int i = 0; i < 4; ++i) REQUIRE(cursor.next(e));
  CHECK_FALSE(cursor.next(e));
}

TEST_CASE("from_generator: an input range generator, owned or referenced") {
  const std::vector<Row> rows{{{1.0f, 2.0f}, 2}, {{3.0f, 4.0f}, 0}};
  const std::vector<std::tuple<float, float, std::int32_t>> expected{{1.0f, 2.0f, 2},
                                                                     {3.0f, 4.0f, 0}};

  auto owned = fd::from_generator<F2, Class3>([&] { return rows; });  // a copy per pass
  CHECK(drain(owned) == expected);
  CHECK(drain(owned) == expected);

  // Returned by reference, the user's container is iterated in place, not copied.
  auto referenced =
      fd::from_generator<F2, Class3>([&]() -> const std::vector<Row>& { return rows; });
  CHECK(drain(referenced) == expected);

#if !defined(__clang__) || __clang_major__ >= 15  // clang 14 cannot use libstdc++ 12's views
  auto viewed = fd::from_generator<F2, Class3>([&] { return std::views::all(rows); });
  CHECK(drain(viewed) == expected);
  auto transformed = fd::from_generator<F2, Class3>([] {
    return std::views::iota(0, 3) | std::views::transform([](int i) {
             return std::pair{std::array<float, 2>{1.0f * i, 0.0f}, i};
           });
  });
  CHECK(drain(transformed).back() == std::tuple{2.0f, 0.0f, 2});
#endif

  // A lazy input range: features computed on the fly (doubles), label from a plain int.
  auto lazy = fd::from_generator<F2, Class3>([] { return lazy_rows(5); });
  const auto seen = drain(lazy);
  REQUIRE(seen.size() == 5);
  CHECK(seen[4] == std::tuple{2.0f, -4.0f, 1});

  // Items may be Examples already.
  std::vector<fd::Example<F2, Class3>> examples(3);
  examples[2].x = {7.0f, 8.0f};
  examples[2].y = {2};
  auto of_examples = fd::from_generator<F2, Class3>([&]() -> auto& { return examples; });
  const auto ex_seen = drain(of_examples);
  REQUIRE(ex_seen.size() == 3);
  CHECK(ex_seen[2] == std::tuple{7.0f, 8.0f, 2});
}

TEST_CASE("from_generator: the factory is called once per pass, so every epoch is whole (B2)") {
  int calls = 0;
  auto source = fd::from_generator<F2, Class3>([&calls] {
    ++calls;
    return counting_generator{4};
  });
  CHECK(calls == 0);  // nothing runs before a pass starts
  CHECK(drain(source) == counted_4);
  CHECK(calls == 1);
  CHECK(drain(source) == counted_4);
  CHECK(drain(source) == counted_4);
  CHECK(calls == 3);

  // The range interface opens a pass too.
  std::size_t n = 0;
  for (auto&& [x, y] : source) n += (x[0] >= 0.0f && y[0] >= 0) ? 1 : 0;
  CHECK(n == 4);
  CHECK(calls == 4);
}

TEST_CASE("from_generator: a one-shot generator gives epoch 2 nothing (B2, reported by fit: B1)") {
  // The factory hands back the same generator each time, which keeps its position.
  counting_generator shared{3};
  auto source = fd::from_generator<F2, Class3>([&shared]() -> counting_generator& {
    return shared;
  });
  CHECK(drain(source).size() == 3);
  CHECK(drain(source).empty());

  // Likewise a fresh lambda over a position captured by reference.
  std::vector<Row> rows{{{1.0f, 1.0f}, 1}, {{2.0f, 2.0f}, 2}};
  auto it = rows.begin();
  auto by_ref = fd::from_generator<F2, Class3>([&] {
    return [&]() -> std::optional<Row> {
      if (it == rows.end()) return std::nullopt;
      return *it++;
    };
  });
  CHECK(drain(by_ref).size() == 2);
  CHECK(drain(by_ref).empty());
}

TEST_CASE("from_generator: multi-dimensional features and vector-valued labels") {
  using Img = fc::Features<2, 3>;
  using OneHot = fc::OneHotLabel<3>;
  auto source = fd::from_generator<Img, OneHot>([] {
    return std::vector<std::pair<std::vector<float>, std::array<float, 3>>>{
        {{0, 1, 2, 3, 4, 5}, {0, 0, 1}}, {{6, 7, 8, 9, 10, 11}, {1, 0, 0}}};
  });
  auto cursor = source.open();
  auto e = source.make_element();
  REQUIRE(cursor.next(e));
  CHECK(e.features()(1, 2) == 5.0f);
  CHECK(e.y == std::array<float, 3>{0, 0, 1});
  REQUIRE(cursor.next(e));
  CHECK(e.features()(0, 0) == 6.0f);
  CHECK(e.y == std::array<float, 3>{1, 0, 0});
  CHECK_FALSE(cursor.next(e));

  // A regression target from a span and a tuple; a span of features too.
  const std::array<float, 4> storage{0.5f, 1.5f, 2.5f, 3.5f};
  auto spans = fd::from_generator<F2, fc::RegressionTarget<>>([&] {
    return std::vector{std::tuple{std::span<const float>(storage.data(), 2), 0.0},
                       std::tuple{std::span<const float>(storage.data() + 2, 2), 0.25}};
  });
  auto sc = spans.open();
  auto se = spans.make_element();
  REQUIRE(sc.next(se));
  REQUIRE(sc.next(se));
  CHECK(se.x == std::array<float, 2>{2.5f, 3.5f});
  CHECK(se.label() == 0.25f);
  CHECK_FALSE(sc.next(se));
}

TEST_CASE("from_generator: features of the wrong run-time size are a shape_error (B4)") {
  using Img = fc::Features<2, 2>;
  auto source = fd::from_generator<Img, fc::BinaryLabel>([] {
    return std::vector<std::pair<std::vector<float>, int>>{
        {{1, 2, 3, 4}, 0}, {{1, 2, 3, 4}, 1}, {{1, 2, 3}, 1}, {{1, 2, 3, 4}, 0}};
  });
  std::size_t before = 0;
  const auto e = failure_of<fc::shape_error>(source, before);
  CHECK(before == 2);  // the good elements before it arrived
  CHECK(e.problem() ==
        "from_generator: element 2 (0-based) has 3 feature values, expected 4 (shape (2, 2))");
  CHECK(e.fix() ==
        "yield exactly 4 feature values per element (row-major), or declare the Features<...> "
        "the data has");
}

TEST_CASE("from_generator: a label of the wrong run-time size is a shape_error") {
  auto source = fd::from_generator<F2, fc::MultiLabel<3>>([] {
    return std::vector<std::pair<std::array<float, 2>, std::vector<float>>>{
        {{0, 0}, {1, 0, 1}}, {{0, 0}, {1, 0}}};
  });
  std::size_t before = 0;
  const auto e = failure_of<fc::shape_error>(source, before);
  CHECK(before == 1);
  CHECK(e.problem() ==
        "from_generator: element 1 (0-based) has 2 label values, expected 3 (label shape (3))");
  CHECK(e.fix().find("yield exactly 3 label values per element") == 0);
}

TEST_CASE("from_generator: a label the kind does not accept is a data_error naming it") {
  SUBCASE("a class index out of range") {
    auto source = fd::from_generator<F2, Class3>([] {
      return std::vector<Row>{{{0, 0}, 2}, {{0, 0}, 0}, {{0, 0}, 1}, {{0, 0}, 3}};
    });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(before == 3);
    CHECK(e.problem() ==
          "from_generator: element 3 (0-based) has label 3, expected an integer in [0, 3)");
    CHECK(e.fix() ==
          "correct the labels the generator yields, or declare the label kind the data has");
  }
  SUBCASE("a fractional class index is not truncated into a legal one") {
    auto source = fd::from_generator<F2, Class3>(
        [] { return std::vector<std::pair<std::array<float, 2>, double>>{{{0, 0}, 1.5}}; });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(before == 0);
    CHECK(e.problem() ==
          "from_generator: element 0 (0-based) has label 1.5, expected an integer in [0, 3)");
  }
  SUBCASE("an index too large for int32 does not wrap into a legal one") {
    auto source = fd::from_generator<F2, fc::BinaryLabel>([] {
      return std::vector<std::pair<std::array<float, 2>, std::int64_t>>{{{0, 0}, 1LL << 32}};
    });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(e.problem() ==
          "from_generator: element 0 (0-based) has label 4294967296, expected 0 or 1");

    // 2^31 as a float: one past int32's range, where a cast would be undefined.
    auto as_float = fd::from_generator<F2, fc::BinaryLabel>([] {
      return std::vector<std::pair<std::array<float, 2>, float>>{{{0, 0}, 2147483648.0f}};
    });
    const auto f = failure_of<fc::data_error>(as_float, before);
    CHECK(f.problem() ==
          "from_generator: element 0 (0-based) has label 2147483648, expected 0 or 1");
  }
  SUBCASE("a non-finite regression target") {
    auto source = fd::from_generator<F2, fc::RegressionTarget<>>([] {
      return std::vector<std::pair<std::array<float, 2>, double>>{
          {{0, 0}, 0.5}, {{0, 0}, std::numeric_limits<double>::quiet_NaN()}};
    });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(before == 1);
    CHECK(e.problem() == "from_generator: element 1 (0-based) has label nan, expected a finite "
                         "number");
  }
  SUBCASE("one value of a one-hot label") {
    auto source = fd::from_generator<F2, fc::OneHotLabel<3>>([] {
      return std::vector<std::pair<std::array<float, 2>, std::array<float, 3>>>{
          {{0, 0}, {0.0f, 0.5f, 0.5f}}};
    });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(e.problem() == "from_generator: element 0 (0-based) has label 0.5, expected 0 or 1, "
                         "exactly one 1 per sample");
  }
  SUBCASE("labels inside a yielded Example are checked too") {
    fd::Example<F2, Class3> bad;
    bad.y = {-1};
    auto source = fd::from_generator<F2, Class3>(
        [&] { return std::vector<fd::Example<F2, Class3>>{fd::Example<F2, Class3>{}, bad}; });
    std::size_t before = 0;
    const auto e = failure_of<fc::data_error>(source, before);
    CHECK(before == 1);
    CHECK(e.problem() ==
          "from_generator: element 1 (0-based) has label -1, expected an integer in [0, 3)");
  }
}

TEST_CASE("from_generator: element indices restart with each pass") {
  int pass = 0;
  auto source = fd::from_generator<F2, Class3>([&pass] {
    ++pass;
    // The second pass has a bad label at its element 1.
    return std::vector<Row>{{{0, 0}, 0}, {{0, 0}, pass == 2 ? 9 : 1}};
  });
  CHECK(drain(source).size() == 2);
  std::size_t before = 0;
  const auto e = failure_of<fc::data_error>(source, before);
  CHECK(before == 1);
  CHECK(e.problem().find("element 1 (0-based) has label 9") != std::string::npos);
}

TEST_CASE("from_generator: a mutable factory and a move-only generator") {
  auto source = fd::from_generator<F2, Class3>([n = 0]() mutable {
    ++n;  // each pass one element longer
    return [g = std::make_unique<counting_generator>(counting_generator{n})] { return (*g)(); };
  });
  CHECK(drain(source).size() == 1);
  CHECK(drain(source).size() == 2);
  CHECK(drain(source).size() == 3);

  // The source moves (pipelines own their stages) and keeps its factory's state.
  auto moved = std::move(source);
  CHECK(drain(moved).size() == 4);
}

}  // namespace data_generator_test
