// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <unistd.h>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/data/csv.hpp>

namespace data_csv_test {

namespace fc = fitcheck;
using fitcheck::test::contains;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;

using Iris = fd::CsvSource<fc::Features<4>, fc::ClassLabel<3>>;
static_assert(fd::dataset<Iris>);
static_assert(std::is_same_v<Iris::element_type, fd::Example<fc::Features<4>, fc::ClassLabel<3>>>);
static_assert(Iris::static_cardinality == fc::Cardinality::finite_at_runtime());
static_assert(!Iris::traits.batched && !Iris::traits.repeated && !Iris::traits.randomized &&
              !Iris::traits.cached && !Iris::traits.prefetched);
static_assert(std::is_copy_constructible_v<Iris> && std::is_nothrow_move_constructible_v<Iris>);

namespace {

const fs::path data_dir = fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "data";

const temp_dir& tmp() {
  static const temp_dir dir("csv_test");
  return dir;
}

template <class D>
std::vector<typename D::element_type> all_of(D& d) {
  std::vector<typename D::element_type> out;
  auto cursor = d.open();
  auto e = d.make_element();
  while (cursor.next(e)) out.push_back(e);
  return out;
}

template <class F, class L>
bool same(const fd::Example<F, L>& a, const fd::Example<F, L>& b) {
  return a.x == b.x && a.y == b.y;
}

template <class F, class L>
auto load(const std::string& text, fd::csv_options options = {}) {
  return fd::from_csv<F, L>(tmp().write("t.csv", text), options);
}

}  // namespace

TEST_CASE("csv: iris parses exactly (150 rows, CRLF line ends, sorted by label)") {
  auto iris = fd::from_csv<fc::Features<4>, fc::ClassLabel<3>>((data_dir / "iris.csv").string());
  CHECK(iris.cardinality() == fc::Cardinality::finite(150));
  CHECK(iris.epoch_cardinality() == fc::Cardinality::finite(150));
  CHECK(iris.size() == 150);
  REQUIRE(iris.column_names().size() == 5);
  CHECK(iris.column_names()[0] == "sepal_length_cm");
  CHECK(iris.column_names()[4] == "label");

  const auto rows = all_of(iris);
  REQUIRE(rows.size() == 150);
  CHECK(rows.front().x == std::array<float, 4>{5.1f, 3.5f, 1.4f, 0.2f});
  CHECK(rows.front().label() == 0);
  CHECK(rows[1].x == std::array<float, 4>{4.9f, 3.0f, 1.4f, 0.2f});
  CHECK(rows.back().x == std::array<float, 4>{5.9f, 3.0f, 5.1f, 1.8f});
  CHECK(rows.back().label() == 2);
  std::array<int, 3> per_class{};
  for (const auto& r : rows) ++per_class[static_cast<std::size_t>(r.label())];
  CHECK(per_class == std::array<int, 3>{50, 50, 50});
  CHECK(rows[49].label() == 0);
  CHECK(rows[50].label() == 1);

  // A second pass (and the range interface) yields the same sequence.
  std::size_t i = 0;
  bool equal = true;
  for (const auto& e : iris) equal = equal && i < rows.size() && same(e, rows[i++]);
  CHECK(equal);
  CHECK(i == 150);
}

TEST_CASE("csv: digits as Features<8, 8> and as Features<64>") {
  const auto path = (data_dir / "digits.csv").string();
  auto img = fd::from_csv<fc::Features<8, 8>, fc::ClassLabel<10>>(path);
  auto flat = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(path);
  CHECK(img.cardinality() == fc::Cardinality::finite(1797));
  const auto a = all_of(img);
  const auto b = all_of(flat);
  REQUIRE(a.size() == 1797);
  REQUIRE(b.size() == 1797);
  const std::array<float, 16> first_two_rows{0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0};
  CHECK(std::equal(first_two_rows.begin(), first_two_rows.end(), a.front().x.begin()));
  CHECK(a.front().label() == 0);
  CHECK(a[1].label() == 1);
  CHECK(a.back().label() == 8);
  CHECK(a.back().x[2] == 10.0f);
  CHECK(a.back().x[63] == 0.0f);
  CHECK(a.back().x[62] == 1.0f);
  bool equal = true;
  for (std::size_t i = 0; i < a.size(); ++i) equal = equal && a[i].x == b[i].x && a[i].y == b[i].y;
  CHECK(equal);
  std::array<int, 10> per_class{};
  for (const auto& r : a) ++per_class[static_cast<std::size_t>(r.label())];
  for (int c : per_class) CHECK(c >= 170);
  CHECK(all_of(img).size() == 1797);  // again: a new pass
}

TEST_CASE("csv: feature and label columns by name and by index") {
  const std::string text = "id,label,a,b,c\n7,1,1.5,2.5,3.5\n8,0,-1,-2,-3\n";
  using F2 = fc::Features<2>;
  using B = fc::BinaryLabel;

  SUBCASE("label by name, features the rest except an id chosen away") {
    auto s = load<F2, B>(text, {.features = {"c", "a"}, .label = "label"});
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].x == std::array<float, 2>{3.5f, 1.5f});  // in the order chosen
    CHECK(rows[0].label() == 1);
    CHECK(rows[1].x == std::array<float, 2>{-3.0f, -1.0f});
    CHECK(rows[1].label() == 0);
  }
  SUBCASE("by 0-based index") {
    auto s = load<F2, B>(text, {.features = {2, 4}, .label = 1});
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].x == std::array<float, 2>{1.5f, 3.5f});
    CHECK(rows[1].label() == 0);
  }
  SUBCASE("label by index 0, every other column a feature by default") {
    auto s = load<fc::Features<4>, fc::ClassLabel<9>>(text, {.label = 0});
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].label() == 7);
    CHECK(rows[0].x == std::array<float, 4>{1, 1.5f, 2.5f, 3.5f});
  }
  SUBCASE("names as a std::vector") {
    auto s = load<F2, B>(text, {.features = std::vector<std::string>{"a", "b"}, .label = "label"});
    CHECK(all_of(s)[0].x == std::array<float, 2>{1.5f, 2.5f});
  }
}

TEST_CASE("csv: options: no header, other delimiters, whitespace, a leading '+'") {
  SUBCASE("header = false: every line is a row") {
    auto s = load<fc::Features<2>, fc::ClassLabel<3>>("1,2,0\n3,4,2\n", {.header = false});
    CHECK(s.cardinality() == fc::Cardinality::finite(2));
    CHECK(s.column_names().empty());
    const auto rows = all_of(s);
    CHECK(rows[1].x == std::array<float, 2>{3, 4});
    CHECK(rows[1].label() == 2);
  }
  SUBCASE("semicolon") {
    auto s = load<fc::Features<2>, fc::BinaryLabel>("a;b;y\n1.5;2;1\n", {.delimiter = ';'});
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].x == std::array<float, 2>{1.5f, 2.0f});
    CHECK(rows[0].label() == 1);
  }
  SUBCASE("tab-separated with spaces around the fields") {
    auto s = load<fc::Features<2>, fc::RegressionTarget<>>("a\tb\ty\n 1.25 \t +2\t-0.5e1\n",
                                                           {.delimiter = '\t'});
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].x == std::array<float, 2>{1.25f, 2.0f});
    CHECK(rows[0].label() == -5.0f);
  }
}

TEST_CASE("csv: a decimal comma with a semicolon delimiter is a clear error") {
  const auto msg = message_of<fc::data_error>([] {
    (void)load<fc::Features<2>, fc::BinaryLabel>("a;b;y\n1,5;2;1\n", {.delimiter = ';'});
  });
  CHECK(contains(msg, "t.csv:2:1 (column 'a'): '1,5' is not a number"));
}

TEST_CASE("csv: label kinds with several columns, floats and binary values") {
  SUBCASE("one-hot over the last three columns by default") {
    auto s = load<fc::Features<2>, fc::OneHotLabel<3>>("a,b,c0,c1,c2\n1,2,0,1,0\n3,4,1,0,0\n");
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].x == std::array<float, 2>{1, 2});
    CHECK(rows[0].y == std::array<float, 3>{0, 1, 0});
    CHECK(rows[1].y == std::array<float, 3>{1, 0, 0});
  }
  SUBCASE("one-hot with two ones is rejected") {
    const auto msg = message_of<fc::data_error>([] {
      (void)load<fc::Features<2>, fc::OneHotLabel<3>>("a,b,c0,c1,c2\n1,2,0,1,0\n3,4,1,1,0\n");
    });
    CHECK(contains(msg, "t.csv:3: a one-hot label has 2 ones; it needs exactly one"));
  }
  SUBCASE("multi-label columns by name") {
    auto s = load<fc::Features<1>, fc::MultiLabel<2>>("x,p,q\n0.5,1,1\n",
                                                      {.features = "x", .label = {"q", "p"}});
    CHECK(all_of(s)[0].y == std::array<float, 2>{1, 1});
  }
  SUBCASE("a label count that does not fit the kind is a shape_error") {
    const auto msg = message_of<fc::shape_error>([] {
      (void)load<fc::Features<1>, fc::MultiLabel<2>>("x,p,q\n0.5,1,1\n", {.label = "p"});
    });
    CHECK(contains(msg, "1 label columns chosen, but the label kind holds 2 values per sample"));
  }
  SUBCASE("binary labels must be 0 or 1") {
    const auto msg = message_of<fc::data_error>(
        [] { (void)load<fc::Features<1>, fc::BinaryLabel>("x,y\n1,0\n2,1\n3,2\n"); });
    CHECK(contains(msg, "t.csv:4:2 (column 'y'): label '2' is not 0 or 1"));
  }
  SUBCASE("a non-finite regression target is rejected") {
    const auto msg = message_of<fc::data_error>(
        [] { (void)load<fc::Features<1>, fc::RegressionTarget<>>("x,y\n1,0.5\n2,nan\n"); });
    CHECK(contains(msg, "t.csv:3:2 (column 'y'): label 'nan' is not a finite number"));
  }
}

TEST_CASE("csv: CRLF, a missing final newline, trailing blank lines and a BOM") {
  using S = fd::CsvSource<fc::Features<2>, fc::ClassLabel<3>>;
  const std::vector<std::string> texts = {
      "a,b,y\n1,2,0\n3,4,2\n",
      "a,b,y\r\n1,2,0\r\n3,4,2\r\n",
      "a,b,y\n1,2,0\n3,4,2",
      "a,b,y\r\n1,2,0\r\n3,4,2",
      "a,b,y\n1,2,0\n3,4,2\n\n\n",
      "a,b,y\r\n1,2,0\r\n3,4,2\r\n\r\n  \r\n",
      "\xEF\xBB\xBF" "a,b,y\n1,2,0\n3,4,2\n",
  };
  for (const auto& text : texts) {
    CAPTURE(text);
    S s(tmp().write("eol.csv", text), {.features = {"a", "b"}});
    CHECK(s.cardinality() == fc::Cardinality::finite(2));
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].x == std::array<float, 2>{1, 2});
    CHECK(rows[1].x == std::array<float, 2>{3, 4});
    CHECK(rows[1].label() == 2);
  }
}

TEST_CASE("csv: a file of many chunks, rows spanning chunk edges, any chunk size") {
  // ~330 KiB, five default chunks; rows of varying length so edges fall everywhere in a row.
  std::string text = "a,b,c,label\n";
  std::vector<std::array<float, 3>> want;
  const std::size_t n = 12000;
  for (std::size_t i = 0; i < n; ++i) {
    const std::array<float, 3> x{static_cast<float>(i), static_cast<float>(i % 97) * 0.25f,
                                 -static_cast<float>(i * 7 % 1000) / 8.0f};
    want.push_back(x);
    text += std::to_string(i) + "," + std::to_string(x[1]) + "," + std::to_string(x[2]) + "," +
            std::to_string(i % 5) + (i % 3 == 0 ? "\r\n" : "\n");
  }
  REQUIRE(text.size() > 4 * 64 * 1024);
  const auto path = tmp().write("big.csv", text);

  for (std::size_t chunk : {std::size_t{64} * 1024, std::size_t{4096}, std::size_t{7},
                            std::size_t{1}}) {
    CAPTURE(chunk);
    auto s = fd::from_csv<fc::Features<3>, fc::ClassLabel<5>>(path, {.chunk_size = chunk});
    CHECK(s.cardinality() == fc::Cardinality::finite(n));
    std::size_t i = 0;
    bool ok = true;
    auto cursor = s.open();
    auto e = s.make_element();
    while (cursor.next(e)) {
      ok = ok && i < n && e.x == want[i] && e.label() == static_cast<int>(i % 5);
      ++i;
    }
    CHECK(ok);
    CHECK(i == n);  // the runtime cardinality is what a pass yields
  }
}

TEST_CASE("csv: a line longer than the chunk grows the buffer once") {
  std::string header, row;
  for (int i = 0; i < 3000; ++i) {
    header += 'f';
    header += std::to_string(i);
    header += ',';
    row += std::to_string(i);
    row += ".5,";
  }
  const std::string text = header + "y\n" + row + "1\n" + row + "0";
  auto s = load<fc::Features<3000>, fc::BinaryLabel>(text, {.chunk_size = 100});
  const auto rows = all_of(s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].x[2999] == 2999.5f);
  CHECK(rows[1].label() == 0);
}

TEST_CASE("csv: the runtime cardinality equals the elements a pass yields") {
  for (std::size_t rows : {1u, 2u, 31u, 32u, 33u}) {
    std::string text = "x,y\n";
    for (std::size_t i = 0; i < rows; ++i) text += std::to_string(i) + ",1\n";
    auto s = load<fc::Features<1>, fc::BinaryLabel>(text);
    std::size_t seen = 0;
    for (const auto& e : s) seen += e.label() == 1;
    CHECK(s.cardinality() == fc::Cardinality::finite(seen));
    CHECK(seen == rows);
  }
}

TEST_CASE("csv: copies share the layout and read independently") {
  auto a = load<fc::Features<1>, fc::BinaryLabel>("x,y\n1,0\n2,1\n");
  auto b = a;
  auto ca = a.open();
  auto cb = b.open();
  fd::Example<fc::Features<1>, fc::BinaryLabel> ea{}, eb{};
  CHECK(ca.next(ea));
  CHECK(ca.next(ea));
  CHECK(cb.next(eb));
  CHECK(ea.x[0] == 2.0f);
  CHECK(eb.x[0] == 1.0f);
  CHECK_FALSE(ca.next(ea));
  CHECK_FALSE(ca.next(ea));  // stays at the end
}

TEST_CASE("csv: missing, unreadable and empty files") {
  using S = fd::CsvSource<fc::Features<1>, fc::BinaryLabel>;
  const auto missing = (tmp().path / "nope.csv").string();
  auto msg = message_of<fc::data_error>([&] { S s(missing); });
  CHECK(contains(msg, missing + ": no such file"));
  CHECK(contains(msg, "Fix: check the path"));

  msg = message_of<fc::data_error>([&] { S s(tmp().path.string()); });
  CHECK(contains(msg, ": is a directory, not a regular file"));
  CHECK(contains(msg, "Fix: give the path of a CSV file"));

  if (::geteuid() != 0) {  // root reads any file
    const auto locked = tmp().write("locked.csv", "x,y\n1,0\n");
    fs::permissions(locked, fs::perms::none);
    msg = message_of<fc::data_error>([&] { S s(locked); });
    CHECK(contains(msg, locked + ": permission denied"));
  }

  msg = message_of<fc::data_error>([&] { S s(tmp().write("empty.csv", "")); });
  CHECK(contains(msg, "empty.csv: the file is empty"));
  msg = message_of<fc::data_error>([&] { S s(tmp().write("blank.csv", "\n \r\n\n")); });
  CHECK(contains(msg, "blank.csv: the file is empty"));

  msg = message_of<fc::data_error>([&] { S s(tmp().write("header.csv", "x,y\n")); });
  CHECK(contains(msg, "header.csv: no data rows, only the header"));
  CHECK(contains(msg, "Fix: add the samples"));
  msg = message_of<fc::data_error>([&] { S s(tmp().write("header2.csv", "x,y\r\n\r\n")); });
  CHECK(contains(msg, "header2.csv: no data rows"));
}

TEST_CASE("csv: ragged rows say how many fields were expected and found") {
  auto msg = message_of<fc::data_error>(
      [] { (void)load<fc::Features<2>, fc::BinaryLabel>("a,b,y\n1,2,0\n1,2\n3,4,1\n"); });
  CHECK(contains(msg, "t.csv:3: expected 3 fields (as in the header), found 2"));
  msg = message_of<fc::data_error>(
      [] { (void)load<fc::Features<2>, fc::BinaryLabel>("a,b,y\n1,2,0,9\n"); });
  CHECK(contains(msg, "t.csv:2: expected 3 fields (as in the header), found 4"));
  msg = message_of<fc::data_error>([] {
    (void)load<fc::Features<2>, fc::BinaryLabel>("1,2,0\n1,2,1,5\n", {.header = false});
  });
  CHECK(contains(msg, "t.csv:2: expected 3 fields (as in the first row), found 4"));
  msg = message_of<fc::data_error>(
      [] { (void)load<fc::Features<2>, fc::BinaryLabel>("a,b,y\n\"1,5\",2,0\n"); });
  CHECK(contains(msg, "found 4; the line has quotes, and quoted fields are not supported"));
}

TEST_CASE("csv: bad fields name the file, line, column, text and a fix") {
  using S = fd::CsvSource<fc::Features<2>, fc::ClassLabel<3>>;
  auto msg = message_of<fc::data_error>(
      [] { S s(tmp().write("f.csv", "a,b,y\n1,2,0\n1,abc,0\n")); });
  CHECK(contains(msg, "f.csv:3:2 (column 'b'): 'abc' is not a number. Fix: "));

  const std::string long_text(100, 'z');
  msg = message_of<fc::data_error>(
      [&] { S s(tmp().write("f.csv", "a,b,y\n" + long_text + ",1,0\n")); });
  CHECK(contains(msg, "f.csv:2:1 (column 'a'): '" + std::string(40, 'z') + "...' is not a number"));
  CHECK_FALSE(contains(msg, std::string(41, 'z')));

  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,0\n1, ,0\n")); });
  CHECK(contains(msg, "f.csv:3:2 (column 'b'): empty field. Fix: fill in the missing value"));
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,\n")); });
  CHECK(contains(msg, "f.csv:2:3 (column 'y'): empty field"));

  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n\"1\",2,0\n")); });
  CHECK(contains(msg, "f.csv:2:1 (column 'a'): quoted field '\"1\"': quoted fields are not "
                      "supported"));

  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,nan,0\n")); });
  CHECK(contains(msg, "f.csv:2:2 (column 'b'): 'nan' is not a finite number"));
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,1e60,0\n")); });
  CHECK(contains(msg, "f.csv:2:2 (column 'b'): '1e60' is outside the range of float"));

  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,3\n")); });
  CHECK(contains(msg, "f.csv:2:3 (column 'y'): label '3' is not an integer in [0, 3)"));
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,-1\n")); });
  CHECK(contains(msg, "label '-1' is not an integer in [0, 3)"));
  msg = message_of<fc::data_error>(
      [] { S s(tmp().write("f.csv", "a,b,y\n1,2,99999999999999999999\n")); });
  CHECK(contains(msg, "label '99999999999999999999' is not an integer in [0, 3)"));
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,1.0\n")); });
  CHECK(contains(msg, "f.csv:2:3 (column 'y'): label '1.0' is not an integer"));
  CHECK(contains(msg, "Fix: write class labels as integers: an integer in [0, 3)"));
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,2,setosa\n")); });
  CHECK(contains(msg, "f.csv:2:3 (column 'y'): 'setosa' is not a number"));
  CHECK(contains(msg, "encode categories as numbers"));

  // Without a header the column is named by its number only.
  msg = message_of<fc::data_error>(
      [] { S s(tmp().write("f.csv", "1,2,0\n1,x\x01,0\n"), {.header = false}); });
  CHECK(contains(msg, "f.csv:2:2: 'x\\x01' is not a number"));

  // Columns not chosen are not parsed (an id or a name column may hold text).
  S s(tmp().write("f.csv", "name,a,b,y\nsetosa,1,2,0\n\"quoted\",3,4,1\n"),
      {.features = {"a", "b"}});
  const auto rows = all_of(s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].x == std::array<float, 2>{3, 4});
  CHECK(rows[1].label() == 1);
}

TEST_CASE("csv: a value too small for a float reads as strtof reads it, not as out of range") {
  auto d = load<fc::Features<3>, fc::BinaryLabel>("a,b,c,y\n1e-50,-1e-50,1e-40,1\n1e-400,2,3,0\n");
  const auto rows = all_of(d);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].x[0] == 0.0f);
  CHECK(std::signbit(rows[0].x[1]));
  CHECK(rows[0].x[2] == 1e-40f);  // a denormal, as strtof gives
  CHECK(rows[1].x[0] == 0.0f);
  // Too large stays an error.
  using S = fd::CsvSource<fc::Features<1>, fc::BinaryLabel>;
  const auto msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,y\n1e400,0\n")); });
  CHECK(contains(msg, "f.csv:2:1 (column 'a'): '1e400' is outside the range of float"));
}

TEST_CASE("csv: a delimiter at the end of every line is named as such") {
  using S = fd::CsvSource<fc::Features<3>, fc::BinaryLabel>;
  auto msg = message_of<fc::data_error>(
      [] { S s(tmp().write("trailing.csv", "a,b,c,y,\n1,2,3,0,\n4,5,6,1,\n")); });
  CHECK(contains(msg, "trailing.csv:1: the line ends with the delimiter ',', which makes an empty "
                      "last column (with no name and no values) where the label column is "
                      "expected"));
  CHECK(contains(msg, "Fix: remove the delimiter at the end of each line"));
  CHECK_FALSE(contains(msg, "Features<"));
  msg = message_of<fc::data_error>([] {
    S s(tmp().write("trailing.csv", "1;2;3;0;\n"), {.header = false, .delimiter = ';'});
  });
  CHECK(contains(msg, "trailing.csv:1: the line ends with the delimiter ';'"));
  // Columns chosen explicitly: the empty last column is simply not used.
  auto d = load<fc::Features<3>, fc::BinaryLabel>("a,b,c,y,\n1,2,3,0,\n",
                                                  {.features = {"a", "b", "c"}, .label = "y"});
  CHECK(all_of(d).size() == 1);
}

TEST_CASE("csv: CR-only line ends (classic Mac OS) are named, not a column count") {
  using S = fd::CsvSource<fc::Features<2>, fc::BinaryLabel>;
  const auto msg =
      message_of<fc::data_error>([] { S s(tmp().write("mac.csv", "a,b,y\r1,2,0\r3,4,1\r")); });
  CHECK(contains(msg, "mac.csv:1: the line holds carriage returns ('\\r') inside it: the file "
                      "ends its lines with '\\r' alone (classic Mac OS)"));
  CHECK(contains(msg, "Fix: convert the line ends to '\\n'"));
}

TEST_CASE("csv: bytes that are not UTF-8 are escaped in messages") {
  using S = fd::CsvSource<fc::Features<2>, fc::BinaryLabel>;
  // Latin-1 "café" (0xe9) in a field, and in a header name.
  auto msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,caf\xe9,0\n")); });
  CHECK(contains(msg, "f.csv:2:2 (column 'b'): 'caf\\xe9' is not a number"));
  msg = message_of<fc::data_error>(
      [] { S s(tmp().write("f.csv", "a,caf\xe9,y\n1,x,0\n")); });
  CHECK(contains(msg, "(column 'caf\\xe9'): 'x' is not a number"));
  // Valid UTF-8 stays as it is.
  msg = message_of<fc::data_error>([] { S s(tmp().write("f.csv", "a,b,y\n1,caf\xc3\xa9,0\n")); });
  CHECK(contains(msg, "'caf\xc3\xa9' is not a number"));
}

TEST_CASE("csv: a quoted field with a delimiter in an unused column is still ragged") {
  const auto msg = message_of<fc::data_error>([] {
    (void)load<fc::Features<2>, fc::BinaryLabel>("name,a,b,y\n\"x, y\",1,2,0\n",
                                                 {.features = {"a", "b"}});
  });
  CHECK(contains(msg, "t.csv:2: expected 4 fields (as in the header), found 5; the line has "
                      "quotes"));
}

TEST_CASE("csv: blank lines are allowed only at the end") {
  auto msg = message_of<fc::data_error>(
      [] { (void)load<fc::Features<1>, fc::BinaryLabel>("x,y\n1,0\n\n2,1\n"); });
  CHECK(contains(msg, "t.csv:3: blank line before more data"));
  msg = message_of<fc::data_error>(
      [] { (void)load<fc::Features<1>, fc::BinaryLabel>("\nx,y\n2,1\n"); });
  CHECK(contains(msg, "t.csv:1: the header line is blank"));
}

TEST_CASE("csv: unknown columns, indices out of range and shape mismatches") {
  using S = fd::CsvSource<fc::Features<4>, fc::ClassLabel<3>>;
  const auto iris = (data_dir / "iris.csv").string();

  auto msg = message_of<fc::data_error>([&] { S s(iris, {.label = "species"}); });
  CHECK(contains(msg, "iris.csv:1: the header has no label column 'species' (it has "
                      "'sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', "
                      "'petal_width_cm', 'label')"));
  msg = message_of<fc::data_error>([&] {
    S s(iris, {.features = {"sepal_length_cm", "sepal_width", "petal_length_cm", "label"}});
  });
  CHECK(contains(msg, "the header has no feature column 'sepal_width'"));

  msg = message_of<fc::data_error>([&] { S s(iris, {.label = 5}); });
  CHECK(contains(msg, "iris.csv: label column index 5 is out of range: the file has 5 columns "
                      "(indices 0 to 4)"));
  msg = message_of<fc::data_error>([&] { S s(iris, {.features = {0, 1, 2, 9}}); });
  CHECK(contains(msg, "feature column index 9 is out of range"));

  msg = message_of<fc::shape_error>(
      [&] { fd::CsvSource<fc::Features<3>, fc::ClassLabel<3>> s(iris); });
  CHECK(contains(msg, "iris.csv: 4 feature columns (every column but the label column "
                      "'label'), but Features<3> holds 3"));
  CHECK(contains(msg, "Fix: declare Features<4> or choose 3 columns"));
  msg = message_of<fc::shape_error>(
      [&] { fd::CsvSource<fc::Features<2, 3>, fc::ClassLabel<3>> s(iris); });
  CHECK(contains(msg, "but Features<2, 3> holds 6"));
  msg = message_of<fc::shape_error>([&] { S s(iris, {.features = {0, 1}}); });
  CHECK(contains(msg, "2 feature columns chosen, but Features<4> holds 4"));

  // Too few columns at all (a wrong delimiter reads one column).
  msg = message_of<fc::shape_error>([&] { S s(iris, {.delimiter = ';'}); });
  CHECK(contains(msg, "iris.csv: the file has 1 column, too few"));
}

TEST_CASE("csv: arguments no file could satisfy are argument_errors") {
  using S = fd::CsvSource<fc::Features<1>, fc::BinaryLabel>;
  const auto path = tmp().write("args.csv", "x,y,z\n1,0,1\n");
  auto msg = message_of<fc::argument_error>([&] { S s(path, {.features = {"x"}, .label = "x"}); });
  CHECK(contains(msg, "column 'x' is chosen both as a feature and as the label"));
  msg = message_of<fc::argument_error>(
      [&] { fd::CsvSource<fc::Features<2>, fc::BinaryLabel> s(path, {.features = {0, 0}}); });
  CHECK(contains(msg, "feature column 0 is chosen twice"));
  msg = message_of<fc::argument_error>(
      [&] { S s(path, {.header = false, .features = {"x"}}); });
  CHECK(contains(msg, "feature columns chosen by name, but the file has no header"));
  msg = message_of<fc::argument_error>([&] { S s(path, {.chunk_size = 0}); });
  CHECK(contains(msg, "csv_options::chunk_size is 0"));
  msg = message_of<fc::argument_error>([&] { S s(path, {.delimiter = '"'}); });
  CHECK(contains(msg, "cannot separate fields"));
  msg = message_of<fc::argument_error>([] { fd::csv_columns c(-1); });
  CHECK(contains(msg, "negative column index"));
}

TEST_CASE("csv: a file changed during a pass is a data_error while iterating") {
  // Chunks of 4 bytes: opening a pass reads little more than the header, and the rest is read
  // after the file has changed under it.
  using S = fd::CsvSource<fc::Features<1>, fc::BinaryLabel>;
  const auto path = tmp().write("changing.csv", "x,y\n1,0\n2,1\n");
  S s(path, {.chunk_size = 4});
  REQUIRE(s.cardinality() == fc::Cardinality::finite(2));
  fd::Example<fc::Features<1>, fc::BinaryLabel> e{};
  const auto during = [&](const std::string& text) {
    return message_of<fc::data_error>([&] {
      auto c = s.open();
      tmp().write("changing.csv", text);
      while (c.next(e)) {
      }
    });
  };
  CHECK(contains(during("x,y\n1,0\n2,1\n3,0\n"),
                 "changing.csv:4: the file changed since it was loaded: it now has more rows than "
                 "the 2 counted"));
  tmp().write("changing.csv", "x,y\n1,0\n2,1\n");
  s = S(path, {.chunk_size = 4});
  CHECK(contains(during("x,y\n1,0\n"), "it now ends after 1 of the 2 rows counted"));
  tmp().write("changing.csv", "x,y\n1,0\n2,1\n");
  s = S(path, {.chunk_size = 4});
  CHECK(contains(during("x,y\n1,0\n2,7\n"), "changing.csv:3:2 (column 'y'): label '7' is not 0 or 1"));

  fs::remove(path);
  const auto msg = message_of<fc::data_error>([&] { (void)s.open(); });
  CHECK(contains(msg, "changing.csv: no such file"));
}

TEST_CASE("csv: a file rewritten between passes is refused when the next pass opens it") {
  // The same rows, other values: without the size and modification time check it would be read
  // silently as other data.
  using S = fd::CsvSource<fc::Features<1>, fc::BinaryLabel>;
  const auto path = tmp().write("rewritten.csv", "x,y\n1,0\n2,1\n");
  S s(path);
  CHECK(all_of(s).size() == 2);
  tmp().write("rewritten.csv", "x,y\n5,1\n6,0\n");
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(2));
  const auto msg = message_of<fc::data_error>([&] { (void)s.open(); });
  CHECK(msg.find(path + ": the file changed since it was loaded: its size or modification time "
                        "differs (12 -> 12 bytes)") == 0);
  CHECK(contains(msg, "Fix: do not modify a CSV file while a source reads it"));
}

TEST_CASE("csv: the in-memory constructor reads the same way (the fuzzer's entry)") {
  const std::string text = "a,b,y\n1,2,1\n3,4,0";
  fd::CsvSource<fc::Features<2>, fc::BinaryLabel> s(fd::detail::csv_in_memory_t{}, text,
                                                    "memory.csv", {.chunk_size = 3});
  const auto rows = all_of(s);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].x == std::array<float, 2>{3, 4});
  const auto msg = message_of<fc::data_error>([] {
    fd::CsvSource<fc::Features<2>, fc::BinaryLabel> bad(fd::detail::csv_in_memory_t{},
                                                        "a,b,y\n1,2\n", "memory.csv");
  });
  CHECK(contains(msg, "memory.csv:2: expected 3 fields"));
}

}  // namespace data_csv_test
