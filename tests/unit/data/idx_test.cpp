// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// from_idx: IDX files (MNIST's format), plain and gzip'd, every type code, the shapes a sample
// may take, each way a file can be wrong, and the real Fashion-MNIST test set.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <ratio>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#if defined(FITCHECK_WITH_ZLIB)
#include <zlib.h>
#endif

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/batch.hpp>
#include <fitcheck/data/idx.hpp>
#include <fitcheck/data/shuffle.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/rescaling.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/train/preflight.hpp>

namespace data_idx_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;

namespace {

const temp_dir& tmp() {
  static const temp_dir dir("idx_test");
  return dir;
}

using bytes = std::vector<unsigned char>;

void put_be32(bytes& b, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<unsigned char>(v >> s));
}

/// An IDX file: magic (0, 0, type, rank), big-endian dimensions, then `data` as given.
bytes idx(unsigned char type, const std::vector<std::uint32_t>& dims, const bytes& data) {
  bytes b = {0, 0, type, static_cast<unsigned char>(dims.size())};
  for (auto d : dims) put_be32(b, d);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

std::string write(const std::string& name, const bytes& b) {
  const std::string path = tmp().file(name);
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  return path;
}

#if defined(FITCHECK_WITH_ZLIB)
std::string write_gz(const std::string& name, const bytes& b) {
  const std::string path = tmp().file(name);
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, b.data(), static_cast<unsigned>(b.size())) == static_cast<int>(b.size()));
  REQUIRE(gzclose(f) == Z_OK);
  return path;
}
bytes read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
#endif


// Five 2x3 images whose pixels are 10 * sample + position, and labels 0, 1, 2, 3, 1.
bytes pixels() {
  bytes p;
  for (unsigned i = 0; i < 5; ++i)
    for (unsigned k = 0; k < 6; ++k) p.push_back(static_cast<unsigned char>(10 * i + k));
  return p;
}
const bytes images = idx(0x08, {5, 2, 3}, pixels());
const bytes labels = idx(0x08, {5}, {0, 1, 2, 3, 1});

template <class P>
std::vector<std::vector<float>> features_of(P& source) {
  std::vector<std::vector<float>> out;
  for (const auto& e : source) out.emplace_back(e.x.begin(), e.x.end());
  return out;
}
template <class P>
std::vector<int> labels_of(P& source) {
  std::vector<int> out;
  for (const auto& e : source) out.push_back(e.y[0]);
  return out;
}

const std::string fashion = "/usr/share/datasets/fashion-mnist/";

}  // namespace

TEST_CASE("idx: u8 images and labels read as floats and class labels, in order") {
  const auto x = write("images", images);
  const auto y = write("labels", labels);
  auto s = fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, y);
  CHECK(s.size() == 5);
  CHECK(s.cardinality() == fc::Cardinality::finite(5));
  const auto f = features_of(s);
  REQUIRE(f.size() == 5);
  CHECK(f[0] == std::vector<float>{0, 1, 2, 3, 4, 5});
  CHECK(f[4] == std::vector<float>{40, 41, 42, 43, 44, 45});
  CHECK(labels_of(s) == std::vector<int>{0, 1, 2, 3, 1});
  // A second pass reads the same.
  CHECK(features_of(s) == f);
}

TEST_CASE("idx: an image fits Features<H, W>, Features<H, W, 1> and Features<H * W>") {
  const auto x = write("images", images);
  const auto y = write("labels", labels);
  auto channel = fd::from_idx<fc::Features<2, 3, 1>, fc::ClassLabel<4>>(x, y);
  auto flat = fd::from_idx<fc::Features<6>, fc::ClassLabel<4>>(x, y);
  CHECK(features_of(channel)[3] == std::vector<float>{30, 31, 32, 33, 34, 35});
  CHECK(features_of(flat)[3] == std::vector<float>{30, 31, 32, 33, 34, 35});
  const auto msg = message_of<fc::shape_error>(
      [&] { (void)fd::from_idx<fc::Features<3, 2>, fc::ClassLabel<4>>(x, y); });
  CHECK(msg.find(x + ": images of shape (5, 2, 3) do not match Features<3, 2> (samples first)") == 0);
  CHECK(msg.find("Fix: declare Features<2, 3> (Features<2, 3, 1> with a channel axis, or "
                 "Features<6> flat)") != std::string::npos);
}

TEST_CASE("idx: every type code converts from big-endian") {
  // i8, i16, i32 labels; f32 and f64 images.
  const auto y8 = write("y8", idx(0x09, {2}, {1, 0}));
  const auto y16 = write("y16", idx(0x0B, {2}, {0, 2, 0, 1}));
  const auto y32 = write("y32", idx(0x0C, {2}, {0, 0, 0, 3, 0, 0, 0, 0}));
  bytes f32, f64;
  for (float v : {1.5f, -2.0f, 0.25f, 100.0f}) put_be32(f32, std::bit_cast<std::uint32_t>(v));
  for (double v : {1.5, -2.0, 0.25, 100.0}) {
    const auto u = std::bit_cast<std::uint64_t>(v);
    put_be32(f64, static_cast<std::uint32_t>(u >> 32));
    put_be32(f64, static_cast<std::uint32_t>(u));
  }
  const auto x32 = write("x32", idx(0x0D, {2, 2}, f32));
  const auto x64 = write("x64", idx(0x0E, {2, 2}, f64));
  const std::vector<std::vector<float>> want = {{1.5f, -2.0f}, {0.25f, 100.0f}};
  auto a = fd::from_idx<fc::Features<2>, fc::ClassLabel<4>>(x32, y8);
  CHECK(features_of(a) == want);
  CHECK(labels_of(a) == std::vector<int>{1, 0});
  auto b = fd::from_idx<fc::Features<2>, fc::ClassLabel<4>>(x64, y16);
  CHECK(features_of(b) == want);
  CHECK(labels_of(b) == std::vector<int>{2, 1});
  auto c = fd::from_idx<fc::Features<2>, fc::ClassLabel<4>>(x32, y32);
  CHECK(labels_of(c) == std::vector<int>{3, 0});
  // Float labels are not class labels.
  const auto msg = message_of<fc::data_error>(
      [&] { (void)fd::from_idx<fc::Features<2>, fc::ClassLabel<4>>(x32, x32); });
  CHECK(msg.find(x32 + ": holds f32 values, but class labels are integers") == 0);
}

TEST_CASE("idx: a malformed file is a data_error naming the file and the fault") {
  const auto y = write("labels", labels);
  const auto load = [&](const std::string& x) {
    return message_of<fc::data_error>(
        [&] { (void)fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, y); });
  };
  auto cut = images;
  cut.resize(cut.size() - 7);
  const auto x = write("cut", cut);
  CHECK(load(x).find(x + ": is truncated: shape (5, 2, 3) of u8 needs 30 data bytes, the file "
                         "holds 23") == 0);
  auto longer = images;
  longer.push_back(0);
  const auto x2 = write("longer", longer);
  CHECK(load(x2).find(x2 + ": holds 1 bytes more than its header's shape (5, 2, 3) of u8 "
                           "declares") == 0);
  auto code = images;
  code[2] = 0x0A;
  const auto x3 = write("code", code);
  CHECK(load(x3).find(x3 + ": has the unknown IDX type code 0x0A") == 0);
  const auto x4 = write("text", {'P', 'K', 3, 4, 0, 0});
  CHECK(load(x4).find(x4 + ": is not an IDX file (its first two bytes are not 0)") == 0);
  const auto x5 = write("short", {0, 0});
  CHECK(load(x5).find(x5 + ": is 2 bytes, too short for an IDX header (4 bytes)") == 0);
  const auto x6 = write("header", {0, 0, 8, 3, 0, 0, 0, 5, 0, 0});
  CHECK(load(x6).find(x6 + ": is truncated in its header: 3 dimensions need 16 bytes, the file "
                           "holds 10") == 0);
  const auto x7 = write("rank0", {0, 0, 8, 0});
  CHECK(load(x7).find(x7 + ": declares no dimensions") == 0);
  const auto missing = tmp().file("absent");
  CHECK(load(missing).find(missing + ": no such file") == 0);
}

#if defined(FITCHECK_WITH_ZLIB)
TEST_CASE("idx: gzip'd files read the same as plain ones, recognised by content, not name") {
  const auto x = write_gz("images.gz", images);
  const auto y = write_gz("labels-no-suffix", labels);
  auto s = fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, y);
  auto plain = fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(write("images", images),
                                                                  write("labels", labels));
  CHECK(features_of(s) == features_of(plain));
  CHECK(labels_of(s) == std::vector<int>{0, 1, 2, 3, 1});
}

TEST_CASE("idx: a damaged gzip'd file is a data_error: truncated, corrupt, or more than declared") {
  const auto y = write("labels", labels);
  const auto load = [&](const std::string& x) {
    return message_of<fc::data_error>(
        [&] { (void)fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, y); });
  };
  const bytes packed = read_all(write_gz("images.gz", images));
  bytes cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(packed.size() / 2));
  const auto x = write("cut.gz", cut);
  CHECK(load(x).find(x + ": is a truncated gzip stream: it ends after ") == 0);
  // A stream whose content ends early (the header promises more) is a truncated IDX file.
  bytes short_content = images;
  short_content.resize(short_content.size() - 4);
  const auto x1 = write_gz("short.gz", short_content);
  CHECK(load(x1).find(x1 + ": is truncated: shape (5, 2, 3) of u8 needs 30 data bytes, the file "
                           "holds 26") == 0);
  bytes extra = images;
  extra.push_back(9);
  const auto x2 = write_gz("extra.gz", extra);
  CHECK(load(x2).find(x2 + ": holds 1 bytes more than its header's shape") == 0);
  bytes flipped = packed;
  flipped[flipped.size() - 6] ^= 0xFF;  // the CRC-32 in gzip's trailer
  const auto x3 = write("flipped.gz", flipped);
  CHECK(load(x3).find(x3 + ": is a corrupt gzip stream (zlib: incorrect data check)") == 0);
  // A header that declares more than the stream can hold: refused before allocating it.
  const auto x5 = write_gz("huge.gz", {0, 0, 8, 1, 0xF0, 0, 0, 0});
  CHECK(load(x5).find(x5 + ": declares the shape (4026531840) of u8 (4026531848 bytes), more than "
                           "its ") == 0);
  const auto x4 = write_gz("text.gz", {'h', 'e', 'l', 'l', 'o'});
  CHECK(load(x4).find(x4 + ": is not an IDX file") == 0);
}

#else
TEST_CASE("idx: without zlib, a gzip'd file is a data_error that says what to install") {
  const bytes gz = {0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3};
  const auto x = write("images.gz", gz);
  const auto y = write("labels", labels);
  const auto msg = message_of<fc::data_error>(
      [&] { (void)fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, y); });
  CHECK(msg.find(x + ": is gzip-compressed, and this build of fitcheck has no zlib") == 0);
  CHECK(msg.find("install zlib1g-dev") != std::string::npos);
}
#endif

TEST_CASE("idx: labels that do not fit the label kind or the images are refused") {
  const auto x = write("images", images);
  const auto wrong = write("labels7", idx(0x08, {5}, {0, 1, 7, 3, 1}));
  auto s = fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, wrong);
  const auto msg = message_of<fc::data_error>([&] { (void)labels_of(s); });
  CHECK(msg.find(wrong + ": sample 2: label 7 is not an integer in [0, 4)") == 0);
  const auto four = write("labels4", idx(0x08, {4}, {0, 1, 2, 3}));
  const auto count = message_of<fc::shape_error>(
      [&] { (void)fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, four); });
  CHECK(count.find(x + " holds 5 samples but " + four + " holds 4") == 0);
  // The files swapped: images where labels belong.
  const auto swapped = message_of<fc::shape_error>(
      [&] { (void)fd::from_idx<fc::Features<2, 3>, fc::ClassLabel<4>>(x, x); });
  CHECK(swapped.find(x + ": labels of shape (5, 2, 3) do not match the label kind: expected (5)") ==
        0);
}

#if defined(FITCHECK_WITH_ZLIB)
TEST_CASE("idx: the Fashion-MNIST test set from Debian's dataset-fashion-mnist") {
  // Installed by scripts/deps --tests; its absence is a failure, not a skip.
  const std::string x = fashion + "t10k-images-idx3-ubyte.gz";
  const std::string y = fashion + "t10k-labels-idx1-ubyte.gz";
  REQUIRE_MESSAGE(fs::exists(x), "install dataset-fashion-mnist (scripts/deps --tests)");
  auto s = fd::from_idx<fc::Features<28, 28, 1>, fc::ClassLabel<10>>(x, y);
  REQUIRE(s.size() == 10000);
  std::array<std::size_t, 10> per_class{};
  float lo = 255, hi = 0;
  double sum = 0;
  for (const auto& e : s) {
    ++per_class[static_cast<std::size_t>(e.y[0])];
    for (float v : e.x) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      sum += v;
    }
  }
  // The test set holds 1,000 images of each of the 10 classes, pixels 0-255.
  for (std::size_t c = 0; c < 10; ++c) CHECK(per_class[c] == 1000);
  CHECK(lo == 0.0f);
  CHECK(hi == 255.0f);
  const double mean = sum / (10000.0 * 784);
  CHECK(mean > 60.0);  // Fashion-MNIST's mean pixel is about 72.9 (0.286 of 255)
  CHECK(mean < 80.0);
  // It batches and shuffles like any source.
  auto batches = fd::from_idx<fc::Features<784>, fc::ClassLabel<10>>(x, y) |
                 fd::shuffle(10000, fc::Seed{1}) | fd::batch<500>();
  std::size_t n = 0;
  for (const auto& b : batches) n += b.size();
  CHECK(n == 10000);
}

TEST_CASE("idx: 0-255 pixels straight into Dense raise D1, Rescaling<1/255> in the model silences it") {
  const std::string x = fashion + "t10k-images-idx3-ubyte.gz";
  const std::string y = fashion + "t10k-labels-idx1-ubyte.gz";
  REQUIRE_MESSAGE(fs::exists(x), "install dataset-fashion-mnist (scripts/deps --tests)");
  auto data = fd::from_idx<fc::Features<28, 28>, fc::ClassLabel<10>>(x, y) | fd::batch<256>();
  using Raw = fc::nn::Sequential<fc::nn::Input<28, 28>, fc::nn::Flatten, fc::nn::Dense<10>,
                                 fc::nn::Softmax>;
  using Scaled = fc::nn::Sequential<fc::nn::Input<28, 28>, fc::nn::Rescaling<std::ratio<1, 255>>,
                                    fc::nn::Flatten, fc::nn::Dense<10>, fc::nn::Softmax>;
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<Raw>(data);
    REQUIRE(cap.count("D1") == 1);
    for (const auto& w : cap.warnings())
      if (w.code == "D1") {
        CHECK(w.message().find("in [0, 255]") != std::string::npos);
        CHECK(w.message().find("Rescaling<std::ratio<1, S>>") != std::string::npos);
      }
  }
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<Scaled>(data);
    CHECK(cap.count("D1") == 0);
  }
}
#endif

}  // namespace data_idx_test
