// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include <unistd.h>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/data/npy.hpp>

namespace data_npy_test {

namespace fc = fitcheck;
using fitcheck::test::contains;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;

using Src = fd::NpySource<fc::Features<3>, fc::ClassLabel<4>>;
static_assert(fd::dataset<Src>);
static_assert(Src::static_cardinality == fc::Cardinality::finite_at_runtime());
static_assert(!Src::traits.batched && !Src::traits.repeated && !Src::traits.randomized &&
              !Src::traits.cached && !Src::traits.prefetched);
static_assert(std::is_copy_constructible_v<Src> && std::is_nothrow_move_constructible_v<Src>);

namespace {

const temp_dir& tmp() {
  static const temp_dir dir("npy_test");
  return dir;
}

/// What numpy.save writes: magic, version, header length, a dict padded with spaces to a
/// multiple of 64 bytes and ended by '\n', then the raw data. `dict` replaces the dict.
struct npy_spec {
  std::string descr = "<f4";
  std::vector<std::size_t> shape{};
  std::string data{};
  int major = 1;
  int minor = 0;
  bool fortran = false;
  std::optional<std::string> dict{};
};

std::string npy_file(const npy_spec& s) {
  std::string dict;
  if (s.dict) {
    dict = *s.dict;
  } else {
    std::string shape = "(";
    for (std::size_t i = 0; i < s.shape.size(); ++i) {
      if (i != 0) shape += ", ";
      shape += std::to_string(s.shape[i]);
    }
    if (s.shape.size() == 1) shape += ",";
    shape += ")";
    dict = "{'descr': '" + s.descr + "', 'fortran_order': " + (s.fortran ? "True" : "False") +
           ", 'shape': " + shape + ", }";
  }
  const std::size_t len_bytes = s.major == 1 ? 2 : 4;
  std::size_t total = 8 + len_bytes + dict.size() + 1;
  dict += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += static_cast<char>(s.major);
  out += static_cast<char>(s.minor);
  for (std::size_t k = 0; k < len_bytes; ++k) out += static_cast<char>((dict.size() >> (8 * k)) & 0xff);
  return out + dict + s.data;
}

template <class T>
std::string raw(const std::vector<T>& v) {
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <class D>
std::vector<typename D::element_type> all_of(const D& d) {
  std::vector<typename D::element_type> out;
  auto cursor = d.open();
  auto e = d.make_element();
  while (cursor.next(e)) out.push_back(e);
  return out;
}

// 5 samples of 3 features: sample i is (i, i + 0.5, -i), label i % 4.
std::vector<float> five_x() {
  std::vector<float> x;
  for (int i = 0; i < 5; ++i) x.insert(x.end(), {float(i), float(i) + 0.5f, -float(i)});
  return x;
}

std::string x_file(int major = 1) {
  return tmp().write(std::string("x") + std::to_string(major) + ".npy",
                     npy_file({.shape = {5, 3}, .data = raw(five_x()), .major = major}));
}

std::string y_file(const std::string& descr, const std::string& data,
                   std::vector<std::size_t> shape = {5}, const std::string& name = "y.npy") {
  return tmp().write(name, npy_file({.descr = descr, .shape = std::move(shape), .data = data}));
}

std::string y_i4() { return y_file("<i4", raw(std::vector<std::int32_t>{0, 1, 2, 3, 0})); }

void check_five(const std::vector<Src::element_type>& rows) {
  REQUIRE(rows.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    const float f = static_cast<float>(i);
    CHECK(rows[i].x == std::array<float, 3>{f, f + 0.5f, -f});
    CHECK(rows[i].label() == static_cast<int>(i % 4));
  }
}

}  // namespace

TEST_CASE("npy: round trip of format versions 1.0, 2.0 and 3.0") {
  for (int major : {1, 2, 3}) {
    CAPTURE(major);
    auto s = fd::from_npy<fc::Features<3>, fc::ClassLabel<4>>(x_file(major), y_i4());
    CHECK(s.cardinality() == fc::Cardinality::finite(5));
    CHECK(s.epoch_cardinality() == fc::Cardinality::finite(5));
    CHECK(s.size() == 5);
    check_five(all_of(s));
    check_five(all_of(s));  // a second pass is the same
    std::size_t n = 0;
    for (const auto& e : s) n += e.x.size() == 3;
    CHECK(n == 5);  // the runtime cardinality is what a pass yields
  }
}

TEST_CASE("npy: label dtypes and shapes for each label kind") {
  const auto x = x_file();
  SUBCASE("int64, uint8 and (N, 1) class labels") {
    check_five(all_of(Src(x, y_file("<i8", raw(std::vector<std::int64_t>{0, 1, 2, 3, 0})))));
    check_five(all_of(Src(x, y_file("|u1", raw(std::vector<std::uint8_t>{0, 1, 2, 3, 0})))));
    check_five(all_of(
        Src(x, y_file("<i4", raw(std::vector<std::int32_t>{0, 1, 2, 3, 0}), {5, 1}))));
  }
  SUBCASE("one-hot float32 labels (N, K)") {
    std::vector<float> y(15, 0.0f);
    for (std::size_t i = 0; i < 5; ++i) y[i * 3 + i % 3] = 1.0f;
    fd::NpySource<fc::Features<3>, fc::OneHotLabel<3>> s(x, y_file("<f4", raw(y), {5, 3}));
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 5);
    CHECK(rows[4].y == std::array<float, 3>{0, 1, 0});
  }
  SUBCASE("regression targets from float64 and from int32") {
    fd::NpySource<fc::Features<3>, fc::RegressionTarget<>> a(
        x, y_file("<f8", raw(std::vector<double>{0.5, -1.25, 2, 3, 1e30})));
    CHECK(all_of(a)[1].label() == -1.25f);
    CHECK(all_of(a)[4].label() == 1e30f);
    fd::NpySource<fc::Features<3>, fc::RegressionTarget<>> b(
        x, y_file("<i4", raw(std::vector<std::int32_t>{7, 8, 9, 10, 11}), {5, 1}));
    CHECK(all_of(b)[3].label() == 10.0f);
  }
  SUBCASE("multi-dimensional features and float64 features") {
    std::vector<double> xd;
    for (int i = 0; i < 8; ++i) xd.push_back(i * 0.25);
    const auto xp = tmp().write("x22.npy", npy_file({.descr = "<f8", .shape = {2, 2, 2}, .data = raw(xd)}));
    fd::NpySource<fc::Features<2, 2>, fc::BinaryLabel> s(
        xp, y_file("<i8", raw(std::vector<std::int64_t>{1, 0}), {2}));
    const auto rows = all_of(s);
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].x == std::array<float, 4>{1.0f, 1.25f, 1.5f, 1.75f});
    CHECK(rows[1].label() == 0);
  }
}

TEST_CASE("npy: copies share the open files, which outlive the source") {
  std::optional<Src> original(std::in_place, x_file(), y_i4());
  Src copy = *original;
  auto cursor = original->open();
  original.reset();  // the cursor and the copy keep the files open
  Src::element_type e{};
  CHECK(cursor.next(e));
  CHECK(e.x[1] == 0.5f);
  Src moved = std::move(copy);
  check_five(all_of(moved));
}

TEST_CASE("npy: a larger file streams in chunks, rows across chunk edges") {
  const std::size_t n = 20000;
  std::vector<float> x(n * 16);
  std::vector<std::int32_t> y(n);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 1000) * 0.5f;
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<std::int32_t>(i % 10);
  const auto xp = tmp().write("bx.npy", npy_file({.shape = {n, 16}, .data = raw(x), .major = 2}));
  const auto yp = y_file("<i4", raw(y), {n}, "by.npy");
  auto s = fd::from_npy<fc::Features<16>, fc::ClassLabel<10>>(xp, yp);
  CHECK(s.cardinality() == fc::Cardinality::finite(n));
  double sum = 0;
  long labels = 0;
  std::size_t seen = 0;
  for (const auto& e : s) {
    for (float v : e.x) sum += v;
    labels += e.label();
    ++seen;
  }
  double want = 0;
  for (float v : x) want += v;
  CHECK(seen == n);
  CHECK(sum == want);
  CHECK(labels == 45L * (n / 10));
}

TEST_CASE("npy: a file truncated or rewritten under a source is a data_error, never a signal") {
  // 100,000 samples of 4 floats: 1.6 MB, several 256 KiB chunks.
  const std::size_t n = 100000;
  std::vector<float> x(n * 4, 0.25f);
  std::vector<std::int32_t> y(n, 1);
  const auto xp = tmp().write("tx.npy", npy_file({.shape = {n, 4}, .data = raw(x)}));
  const auto yp = y_file("<i4", raw(y), {n}, "ty.npy");
  using Big = fd::NpySource<fc::Features<4>, fc::ClassLabel<2>>;
  SUBCASE("truncated while a pass reads it (a memory map would die of SIGBUS)") {
    Big s(xp, yp);
    auto cursor = s.open();
    Big::element_type e{};
    REQUIRE(cursor.next(e));
    fs::resize_file(xp, fs::file_size(xp) / 2);
    const std::string what = message_of<fc::data_error>([&] {
      while (cursor.next(e)) {
      }
    });
    CHECK(what.find(xp + ": the file ended at byte ") == 0);
    CHECK(contains(what, "it is shorter than its header says"));
    CHECK(contains(what, "so it was truncated while being read"));
  }
  SUBCASE("truncated between passes") {
    Big s(xp, yp);
    fs::resize_file(yp, 1000);
    const std::string what = message_of<fc::data_error>([&] { (void)s.open(); });
    CHECK(what.find(yp + ": the file changed since it was opened (size ") == 0);
  }
  SUBCASE("rewritten with the same size between passes") {
    Big s(xp, yp);
    CHECK(all_of(s).size() == n);
    // Another modification time, as a rewrite gives (set explicitly: a rewrite within the
    // file system's timestamp granularity would look unchanged).
    std::vector<std::int32_t> other(n, 0);
    tmp().write("ty.npy", npy_file({.descr = "<i4", .shape = {n}, .data = raw(other)}));
    fs::last_write_time(yp, fs::last_write_time(yp) + std::chrono::seconds(2));
    const std::string what = message_of<fc::data_error>([&] { (void)s.open(); });
    CHECK(what.find(yp + ": the file changed since it was opened") == 0);
    CHECK(contains(what, "modified again"));
    CHECK(contains(what, "Fix: do not rewrite a .npy file while a pipeline reads it"));
  }
}

TEST_CASE("npy: file-level errors name the file and the fix") {
  const auto y = y_i4();
  const auto missing = (tmp().path / "missing.npy").string();
  auto msg = message_of<fc::data_error>([&] { Src s(missing, y); });
  CHECK(contains(msg, missing + ": no such file"));
  msg = message_of<fc::data_error>([&] { Src s(tmp().path.string(), y); });
  CHECK(contains(msg, ": is a directory, not a regular file"));
  msg = message_of<fc::data_error>([&] { Src s(tmp().write("empty.npy", ""), y); });
  CHECK(contains(msg, "empty.npy: the file is empty (0 bytes)"));
  if (::geteuid() != 0) {
    const auto locked = x_file();
    fs::permissions(locked, fs::perms::none);
    msg = message_of<fc::data_error>([&] { Src s(locked, y); });
    CHECK(contains(msg, locked + ": permission denied"));
    fs::permissions(locked, fs::perms::owner_all);
  }
}

TEST_CASE("npy: format errors") {
  const auto y = y_i4();
  const auto x = raw(five_x());
  auto fail = [&](const std::string& bytes) {
    const auto p = tmp().write("bad.npy", bytes);
    return message_of<fc::data_error>([&] { Src s(p, y); });
  };

  auto msg = fail("x,y\n1,2\n");
  CHECK(contains(msg, "bad.npy: not a .npy file (it does not start with \\x93NUMPY)"));
  CHECK(contains(msg, "Fix: save the array with numpy.save"));
  msg = fail(npy_file({.shape = {5, 3}, .data = x, .major = 4}));
  CHECK(contains(msg, "bad.npy: unsupported .npy format version 4.0"));
  msg = fail(npy_file({.shape = {5, 3}, .data = x, .major = 1, .minor = 1}));
  CHECK(contains(msg, "unsupported .npy format version 1.1"));
  msg = fail(std::string("\x93NUMPY\x01", 7));
  CHECK(contains(msg, "the header is truncated (no version)"));
  msg = fail(std::string("\x93NUMPY\x01\x00\x50", 9));
  CHECK(contains(msg, "the header is truncated (no length)"));
  msg = fail(npy_file({.shape = {5, 3}, .data = x}).substr(0, 40));
  CHECK(contains(msg, "the header is truncated: it declares 118 bytes, the file holds 30 after "
                      "the prefix"));

  msg = fail(npy_file({.shape = {5, 3}, .data = x, .fortran = true}));
  CHECK(contains(msg, "bad.npy: the array is stored in Fortran (column-major) order"));
  CHECK(contains(msg, "np.ascontiguousarray"));
  msg = fail(npy_file({.descr = "<i2", .shape = {5, 3}, .data = x}));
  CHECK(contains(msg, "bad.npy: unsupported dtype '<i2'"));
  CHECK(contains(msg, "'<f4'"));
  msg = fail(npy_file({.descr = ">f4", .shape = {5, 3}, .data = x}));
  CHECK(contains(msg, "bad.npy: dtype '>f4' is big-endian"));
  msg = fail(npy_file({.shape = {5, 3}, .data = x.substr(0, 50)}));
  CHECK(contains(msg, "bad.npy: the file is truncated: shape (5, 3) of '<f4' needs 60 data "
                      "bytes, the file holds 50"));
}

TEST_CASE("npy: malformed headers") {
  const auto y = y_i4();
  const auto x = raw(five_x());
  auto fail = [&](const std::string& dict) {
    const auto p = tmp().write("bad.npy", npy_file({.data = x, .dict = dict}));
    return message_of<fc::data_error>([&] { Src s(p, y); });
  };
  CHECK(contains(fail("{'descr': '<f4', 'shape': (5, 3), }"), "bad.npy: malformed header: no "
                                                               "'fortran_order' key"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False}"), "no 'shape' key"));
  CHECK(contains(fail("{'fortran_order': False, 'shape': (5, 3)}"), "no 'descr' key"));
  CHECK(contains(fail("not a dict"), "malformed header: expected '{' at byte 0"));
  CHECK(contains(fail("{'descr' '<f4', 'fortran_order': False, 'shape': (5, 3)}"),
                 "malformed header: expected ':' at byte 9 of the header \"{'descr' '<f4'"));
  CHECK(contains(fail("{'descr': '<f4, 'fortran_order': False, 'shape': (5, 3)}"),
                 "expected ',' or '}'"));
  CHECK(contains(fail("{'descr': '<f4"), "unterminated string"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (5, 3)}"),
                 "expected True or False"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (5, -3)}"),
                 "expected a dimension (a non-negative integer)"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (5 3)}"),
                 "expected ',' or ')' in the shape"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3), 'x': 1}"),
                 "unexpected key 'x'"));
  CHECK(contains(fail("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (5, 3)}"),
                 "the key 'descr' appears twice"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (5, 3)} x"),
                 "text after the closing '}'"));
  CHECK(contains(fail("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (5,)}"),
                 "bad.npy: the dtype is a structured (record) dtype"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
                 "a dimension too large"));
  CHECK(contains(fail("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4)}"),
                 "is too large to address"));
  // Double quotes and Python 2 long literals are what older numpy wrote: accepted.
  const auto p = tmp().write(
      "old.npy", npy_file({.data = x, .dict = "{\"descr\": \"<f4\", \"fortran_order\": False, "
                                              "\"shape\": (5L, 3L)}"}));
  check_five(all_of(Src(p, y)));
}

TEST_CASE("npy: dtypes and shapes that do not fit F or L") {
  const auto x = x_file();
  const auto y = y_i4();
  auto msg = message_of<fc::data_error>([&] {
    Src s(tmp().write("u8.npy", npy_file({.descr = "|u1", .shape = {5, 3}, .data = std::string(15, '\1')})), y);
  });
  CHECK(contains(msg, "u8.npy: features of dtype '|u1' are not read as features"));
  CHECK(contains(msg, "astype(np.float32)"));

  msg = message_of<fc::data_error>(
      [&] { Src s(x, y_file("<f4", raw(std::vector<float>{0, 1, 2, 3, 0}))); });
  CHECK(contains(msg, "y.npy: class labels of dtype '<f4' (floating point)"));
  CHECK(contains(msg, "y.astype(np.int32)"));

  msg = message_of<fc::shape_error>(
      [&] { fd::NpySource<fc::Features<4>, fc::ClassLabel<4>> s(x, y); });
  CHECK(contains(msg, "x1.npy: features of shape (5, 3) do not match Features<4>: expected "
                      "(5, 4) (samples first)"));
  msg = message_of<fc::shape_error>(
      [&] { fd::NpySource<fc::Features<3, 1>, fc::ClassLabel<4>> s(x, y); });
  CHECK(contains(msg, "features of shape (5, 3) do not match Features<3, 1>: expected (5, 3, 1)"));

  msg = message_of<fc::shape_error>(
      [&] { Src s(x, y_file("<i4", std::string(5 * 4 * 4, '\0'), {5, 4})); });
  CHECK(contains(msg, "y.npy: labels of shape (5, 4) do not match the label kind: expected (5)"));
  CHECK(contains(msg, "these look like one-hot labels: declare OneHotLabel<4>"));
  msg = message_of<fc::shape_error>([&] {
    fd::NpySource<fc::Features<3>, fc::OneHotLabel<3>> s(x, y_file("<f4", std::string(20, '\0')));
  });
  CHECK(contains(msg, "labels of shape (5) do not match the label kind: expected (5, 3)"));

  msg = message_of<fc::shape_error>(
      [&] { Src s(x, y_file("<i4", raw(std::vector<std::int32_t>{0, 1, 2, 3}), {4})); });
  CHECK(contains(msg, "x1.npy holds 5 samples but"));
  CHECK(contains(msg, "y.npy holds 4"));

  msg = message_of<fc::data_error>([&] {
    Src s(tmp().write("x0.npy", npy_file({.shape = {0, 3}})), y_file("<i4", "", {0}));
  });
  CHECK(contains(msg, "x0.npy: the arrays hold no samples (shape (0, 3))"));
}

TEST_CASE("npy: values are checked while iterating") {
  const auto x = x_file();
  auto msg = message_of<fc::data_error>([&] {
    Src s(x, y_file("<i4", raw(std::vector<std::int32_t>{0, 1, 2, 4, 0})));
    (void)all_of(s);
  });
  CHECK(contains(msg, "y.npy: sample 3: label 4 is not an integer in [0, 4)"));
  msg = message_of<fc::data_error>([&] {
    Src s(x, y_file("<i8", raw(std::vector<std::int64_t>{0, 1, 2, 3, std::int64_t{1} << 40})));
    (void)all_of(s);
  });
  CHECK(contains(msg, "y.npy: sample 4: label 1099511627776 is not an integer in [0, 4)"));

  std::vector<float> bad = five_x();
  bad[7] = std::numeric_limits<float>::quiet_NaN();
  msg = message_of<fc::data_error>([&] {
    Src s(tmp().write("nan.npy", npy_file({.shape = {5, 3}, .data = raw(bad)})), y_i4());
    (void)all_of(s);
  });
  CHECK(contains(msg, "nan.npy: sample 2, feature 1: nan is not a finite number"));

  std::vector<double> huge(15, 1.0);
  huge[14] = 1e300;
  msg = message_of<fc::data_error>([&] {
    Src s(tmp().write("f8.npy", npy_file({.descr = "<f8", .shape = {5, 3}, .data = raw(huge)})),
          y_i4());
    (void)all_of(s);
  });
  CHECK(contains(msg, "f8.npy: sample 4, feature 2: 1e+300 is not a finite float32 number"));

  std::vector<float> y(15, 0.0f);
  for (std::size_t i = 0; i < 5; ++i) y[i * 3] = 1.0f;
  y[4] = 1.0f;  // sample 1 has two ones
  msg = message_of<fc::data_error>([&] {
    fd::NpySource<fc::Features<3>, fc::OneHotLabel<3>> s(x, y_file("<f4", raw(y), {5, 3}));
    (void)all_of(s);
  });
  CHECK(contains(msg, "y.npy: sample 1: a one-hot label has 2 ones; it needs exactly one"));
  y[4] = 0.5f;
  msg = message_of<fc::data_error>([&] {
    fd::NpySource<fc::Features<3>, fc::OneHotLabel<3>> s(x, y_file("<f4", raw(y), {5, 3}));
    (void)all_of(s);
  });
  CHECK(contains(msg, "y.npy: sample 1, value 1: label 0.5 is not 0 or 1, exactly one 1 per sample"));

  msg = message_of<fc::data_error>([&] {
    fd::NpySource<fc::Features<3>, fc::RegressionTarget<>> s(
        x, y_file("<f8", raw(std::vector<double>{0, 1, 1e300, 3, 4})));
    (void)all_of(s);
  });
  CHECK(contains(msg, "y.npy: sample 2: label 1e+300 is not a finite number"));
}

TEST_CASE("npy: npy_parse reads a buffer (the fuzzer's entry)") {
  const auto bytes = npy_file({.descr = "<i8", .shape = {2, 3, 4}, .data = std::string(192, '\0'), .major = 3});
  const auto a = fd::detail::npy_parse(reinterpret_cast<const unsigned char*>(bytes.data()),
                                       bytes.size(), "mem.npy");
  CHECK(a.type == fd::detail::npy_type::i8);
  CHECK(a.shape == std::vector<std::size_t>{2, 3, 4});
  CHECK(a.data_bytes == 192);
  CHECK(a.samples() == 2);
  CHECK(a.data == reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size() - 192);
}

}  // namespace data_npy_test
