// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The weights file: byte layout, round trips, and every way a file can be wrong (missing,
// truncated, corrupt, another architecture), and atomic writes that keep the previous file.
#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <typeinfo>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/weights.hpp>
#include <xtensor/xtensor.hpp>

namespace io_weights_test {

namespace fc = fitcheck;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
namespace fio = fitcheck::io;
namespace fs = std::filesystem;

namespace {

std::vector<unsigned char> bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void write_bytes(const std::string& path, const std::vector<unsigned char>& b) {
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
std::uint32_t le32(const std::vector<unsigned char>& b, std::size_t at) {
  return std::uint32_t(b[at]) | std::uint32_t(b[at + 1]) << 8 | std::uint32_t(b[at + 2]) << 16 |
         std::uint32_t(b[at + 3]) << 24;
}
bool temp_files_left(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  return false;
}

// A file as fitcheck wrote it before layer state (weights format 1).
std::vector<unsigned char> v1_file(const fio::Layout& layout, const std::vector<float>& params) {
  std::vector<std::byte> b;
  for (unsigned char c : fio::detail::weights_magic) b.push_back(std::byte{c});
  fio::detail::put_le<std::uint32_t>(b, 1);
  fio::detail::put_le<std::uint32_t>(b, 1);
  fio::detail::put_le<std::uint64_t>(b, fio::detail::fnv1a64(layout.description));
  fio::detail::put_le<std::uint64_t>(b, params.size());
  fio::detail::put_le<std::uint32_t>(b, std::uint32_t(layout.param_counts.size()));
  fio::detail::put_le<std::uint32_t>(b, std::uint32_t(layout.description.size()));
  for (auto c : layout.param_counts) fio::detail::put_le<std::uint64_t>(b, c);
  for (char c : layout.description) b.push_back(std::byte(c));
  for (float v : params) fio::detail::put_le<std::uint32_t>(b, std::bit_cast<std::uint32_t>(v));
  fio::detail::put_le<std::uint32_t>(b, fio::detail::crc32(0, b));
  std::vector<unsigned char> out;
  for (auto x : b) out.push_back(std::to_integer<unsigned char>(x));
  return out;
}
void fix_crc(std::vector<unsigned char>& b) {
  const auto crc = fio::detail::crc32(0, std::as_bytes(std::span(b.data(), b.size() - 4)));
  for (std::size_t i = 0; i < 4; ++i) b[b.size() - 4 + i] = static_cast<unsigned char>(crc >> (8 * i));
}

const fio::Layout small{"Input(2) -> Dense(1) 3 params", {3}};

using Small = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;
using Normalized =
    fc::Model<fc::nn::Sequential<fc::nn::Input<3>, fc::nn::Normalization, fc::nn::Dense<1>,
                                 fc::nn::Sigmoid>,
              fc::loss::BinaryCrossentropy>;
using Wide = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<4>, fc::nn::ReLU,
                                          fc::nn::Dense<1>, fc::nn::Sigmoid>,
                       fc::loss::BinaryCrossentropy>;

}  // namespace

TEST_CASE("weights: CRC-32 and FNV-1a match their published check values") {
  const char* check = "123456789";
  CHECK(fio::detail::crc32(0, std::as_bytes(std::span(check, 9))) == 0xCBF43926u);
  // Fed in two pieces, the running CRC is the same.
  const auto a = fio::detail::crc32(0, std::as_bytes(std::span(check, 4)));
  CHECK(fio::detail::crc32(a, std::as_bytes(std::span(check + 4, 5))) == 0xCBF43926u);
  CHECK(fio::detail::fnv1a64("") == 0xcbf29ce484222325ull);
  CHECK(fio::detail::fnv1a64("a") == 0xaf63dc4c8601ec8cull);
}

TEST_CASE("weights: the file holds magic, version, layout, little-endian floats and a CRC") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  const std::vector<float> params = {1.0f, -2.5f, 0.125f};
  fio::save_weights(path, params, small);
  const auto b = bytes_of(path);
  const std::size_t d = small.description.size();
  REQUIRE(b.size() == 48 + 16 + d + 3 * 4 + 4);
  const std::vector<unsigned char> magic = {0x89, 'F', 'C', 'W', '\r', '\n', 0x1A, '\n'};
  CHECK(std::equal(magic.begin(), magic.end(), b.begin()));
  CHECK(le32(b, 8) == 2);   // format version
  CHECK(le32(b, 12) == 1);  // float32
  CHECK(le32(b, 24) == 3);  // parameter count (low half)
  CHECK(le32(b, 28) == 0);
  CHECK(le32(b, 32) == 1);  // layers
  CHECK(le32(b, 36) == d);
  CHECK(le32(b, 40) == 0);  // state values
  CHECK(le32(b, 48) == 3);  // the layer's parameters
  CHECK(le32(b, 56) == 0);  // the layer's state values
  CHECK(std::string(b.begin() + 64, b.begin() + 64 + std::ptrdiff_t(d)) == small.description);
  CHECK(le32(b, 64 + d) == 0x3F800000u);      // 1.0f
  CHECK(le32(b, 64 + d + 4) == 0xC0200000u);  // -2.5f
  CHECK(le32(b, 64 + d + 8) == 0x3E000000u);  // 0.125f
  const auto body = std::as_bytes(std::span(b.data(), b.size() - 4));
  CHECK(le32(b, b.size() - 4) == fio::detail::crc32(0, body));
  CHECK_FALSE(temp_files_left(dir.path));
}

TEST_CASE("weights: layer state follows the parameters as little-endian float64") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  const fio::Layout layout{"N", {0, 2}, {3, 0}};
  const std::vector<double> state = {0.5, -1.0, 1.0};
  fio::save_weights(path, std::vector<float>{1.0f, 2.0f}, layout, state);
  const auto b = bytes_of(path);
  REQUIRE(b.size() == 48 + 32 + 1 + 2 * 4 + 3 * 8 + 4);
  CHECK(le32(b, 40) == 3);  // state values
  CHECK(le32(b, 64) == 3);  // layer 0's state values
  CHECK(le32(b, 72) == 0);
  const std::size_t at = 48 + 32 + 1 + 8;
  CHECK(le32(b, at) == 0u);  // 0.5 = 0x3FE0000000000000
  CHECK(le32(b, at + 4) == 0x3FE00000u);
  CHECK(le32(b, at + 12) == 0xBFF00000u);  // -1.0
  std::vector<float> params(2);
  std::vector<double> back(3);
  fio::load_weights(path, params, layout, back);
  CHECK(back == state);
  CHECK(fio::weights_layout(path) == layout);
  // A state buffer the layout does not count is the caller's mistake.
  const auto msg = message_of<fc::argument_error>(
      [&] { fio::save_weights(path, std::vector<float>{1.0f, 2.0f}, layout); });
  CHECK(msg.find("counts 2 parameters and 3 state values, but 2 and 0 were given") !=
        std::string::npos);
}

TEST_CASE("weights: raw parameters round-trip bit for bit") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  std::vector<float> params(1000);
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = float(i) * 0.37f - 100.0f;
  params[7] = -0.0f;
  const fio::Layout layout{"two layers", {600, 400}};
  fio::save_weights(path, params, layout);
  std::vector<float> back(1000, 42.0f);
  fio::load_weights(path, back, layout);
  CHECK(std::memcmp(back.data(), params.data(), params.size() * 4) == 0);
  CHECK(fio::weights_layout(path) == layout);
}

TEST_CASE("weights: a model's weights load into another model of the same architecture") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("model.fcw");
  Small a(fc::optim::Adam{}, fc::Seed{1});
  Small b(fc::optim::Adam{}, fc::Seed{2});
  REQUIRE(!std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  fio::save_weights(a, path);
  fio::load_weights(b, path);
  CHECK(std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin()));
  CHECK(fio::layout_of(a).description == "Input(2) -> Dense(1) 3 params -> Sigmoid(1)");
  CHECK(fio::layout_of(a).param_counts == std::vector<std::uint64_t>{3, 0});
  CHECK(fio::network_layout<Wide::network>().description ==
        "Input(2) -> Dense(4) 12 params -> ReLU(4) -> Dense(1) 5 params -> Sigmoid(1)");
}

TEST_CASE("weights: a CNN's BatchNormalization statistics travel with its weights") {
  using Net = fc::Sequential<fc::Input<6, 6, 1>, fc::Conv2D<4, 3, 1, fc::padding::same, 1, false>,
                             fc::BatchNormalization<>, fc::ReLU, fc::GlobalAveragePooling2D,
                             fc::Dense<3>, fc::Softmax>;
  using M = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy>;
  static_assert(Net::state_count == 8);
  xt::xtensor<float, 4> x = xt::zeros<float>({8, 6, 6, 1});
  xt::xtensor<int, 1> y = xt::zeros<int>({8});
  for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = float(i % 7) * 0.5f + 3.0f;
  for (std::size_t i = 0; i < y.size(); ++i) y(i) = int(i % 3);
  auto train = fc::data::from_tensor_slices<fc::Features<6, 6, 1>, fc::ClassLabel<3>>(x, y) |
               fc::data::batch<8>();
  M a(fc::optim::Adam{}, fc::Seed{1});
  for (const auto& batch : train) (void)a.train_step(batch);  // moves the moving statistics
  const auto& bn = std::get<1>(a.network_layers().layers());
  REQUIRE(bn.moving_mean()[0] != 0.0);
  const temp_dir dir("weights_test");
  const std::string path = dir.file("cnn.fcw");
  fio::save_weights(a, path);
  M b(fc::optim::Adam{}, fc::Seed{2});
  fio::load_weights(b, path);
  const auto& bn_b = std::get<1>(b.network_layers().layers());
  CHECK(std::equal(bn.moving_mean().begin(), bn.moving_mean().end(), bn_b.moving_mean().begin()));
  CHECK(std::equal(bn.moving_variance().begin(), bn.moving_variance().end(),
                   bn_b.moving_variance().begin()));
  // Inference uses the moving statistics: the same predictions, bit for bit.
  CHECK(a.predict(train) == b.predict(train));
  CHECK(fio::layout_of(a).description ==
        "Input(6x6x1) -> Conv2D(6x6x4) 36 params -> BatchNormalization(6x6x4) 8 params -> "
        "ReLU(6x6x4) -> GlobalAveragePooling2D(4) -> Dense(3) 15 params -> Softmax(3)");
}

TEST_CASE("weights: loading into another architecture names both and changes nothing") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("wide.fcw");
  Wide wide;
  fio::save_weights(wide, path);
  Small small_model;
  const std::vector<float> before(small_model.parameters().begin(), small_model.parameters().end());
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(small_model, path); });
  CHECK(msg.find(path + ": saved for Input(2) -> Dense(4) 12 params") == 0);
  CHECK(msg.find("(17 parameters)") != std::string::npos);
  CHECK(msg.find("this model is Input(2) -> Dense(1) 3 params -> Sigmoid(1) (3 parameters)") !=
        std::string::npos);
  CHECK(msg.find("Fix: load it into a model of the architecture it was saved for") !=
        std::string::npos);
  CHECK(std::equal(before.begin(), before.end(), small_model.parameters().begin()));

  // Same parameter count, another split across layers: still another architecture.
  fio::save_weights(path, std::vector<float>(3, 1.0f), fio::Layout{"A", {3}});
  std::vector<float> into(3, 0.0f);
  const auto same_count = message_of<fc::data_error>([&] {
    fio::load_weights(path, into, fio::Layout{"B", {1, 2}});
  });
  CHECK(same_count.find("saved for A (3 parameters), this model is B (3 parameters)") !=
        std::string::npos);
  CHECK(into == std::vector<float>(3, 0.0f));
}

TEST_CASE("weights: a truncated file is a data_error with the sizes") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  fio::save_weights(path, std::vector<float>{1, 2, 3}, small);
  auto b = bytes_of(path);
  const std::size_t full = b.size();
  b.resize(full - 6);
  write_bytes(path, b);
  std::vector<float> into(3, 0.0f);
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(msg.find(path + ": is truncated: " + std::to_string(full - 6) +
                 " bytes, but its header announces " + std::to_string(full)) == 0);
  CHECK(into == std::vector<float>(3, 0.0f));

  b.resize(20);
  write_bytes(path, b);
  const auto header =
      message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(header.find(path + ": is truncated: 20 bytes, shorter than the 40-byte header") == 0);

  fio::save_weights(path, std::vector<float>{1, 2, 3}, small);
  b = bytes_of(path);
  b.resize(44);
  write_bytes(path, b);
  const auto v2_header =
      message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(v2_header.find(path + ": is truncated: 44 bytes, shorter than the 48-byte header") == 0);

  write_bytes(path, {});
  const auto empty =
      message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(empty.find("is truncated: 0 bytes") != std::string::npos);
}

TEST_CASE("weights: a corrupted byte or trailing garbage is a data_error") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  fio::save_weights(path, std::vector<float>{1, 2, 3}, small);
  const auto good = bytes_of(path);
  std::vector<float> into(3, 0.0f);

  auto flipped = good;
  flipped[flipped.size() - 8] ^= 0x01;  // inside the last float
  write_bytes(path, flipped);
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(msg.find(path + ": is corrupt: checksum mismatch (stored CRC-32 ") == 0);
  CHECK(into == std::vector<float>(3, 0.0f));

  auto longer = good;
  longer.push_back(0);
  write_bytes(path, longer);
  const auto extra =
      message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(extra.find("is corrupt: 1 bytes more than its header announces") != std::string::npos);

  auto version = good;
  version[8] = 3;
  write_bytes(path, version);
  const auto v = message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(v.find("has format version 3, this fitcheck reads versions 1 to 2") != std::string::npos);

  write_bytes(path, {'l', 'o', 's', 's', ',', '1', '\n'});
  const auto text = message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(text.find(path + ": is not a fitcheck weights file") == 0);
}

TEST_CASE("weights: a missing file is a data_error naming it") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("absent.fcw");
  std::vector<float> into(3);
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(path, into, small); });
  CHECK(msg.find(path + ": no such file") == 0);
  const auto d =
      message_of<fc::data_error>([&] { fio::load_weights(dir.path.string(), into, small); });
  CHECK(d.find(dir.path.string() + ": is a directory, not a regular file") == 0);
}

TEST_CASE("weights: a layout that does not count the parameters is an argument_error") {
  std::vector<float> p(4);
  const auto msg = message_of<fc::argument_error>(
      [&] { fio::save_weights("/nonexistent/x.fcw", p, small); });
  CHECK(msg.find("counts 3 parameters and 0 state values, but 4 and 0 were given") !=
        std::string::npos);
  const auto load = message_of<fc::argument_error>(
      [&] { fio::load_weights("/nonexistent/x.fcw", p, small); });
  CHECK(load.find("the buffers hold 4 and 0") != std::string::npos);
}

TEST_CASE("weights: an unwritable location is a resource_error with the system's reason") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("no_such_dir/w.fcw");
  const auto msg = message_of<fc::resource_error>([&] {
    fio::save_weights(path, std::vector<float>{1, 2, 3}, small);
  });
  CHECK(msg.find(path + ": cannot create the temporary file " + path + ".tmp.") == 0);
  CHECK(msg.find(std::strerror(ENOENT)) != std::string::npos);
  CHECK(msg.find("Fix: check that the directory " + dir.file("no_such_dir") + " exists") !=
        std::string::npos);

  if (::geteuid() != 0) {  // root ignores permissions
    const std::string ro = dir.file("ro");
    fs::create_directory(ro);
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
    const auto denied = message_of<fc::resource_error>([&] {
      fio::save_weights(ro + "/w.fcw", std::vector<float>{1, 2, 3}, small);
    });
    CHECK(denied.find(std::strerror(EACCES)) != std::string::npos);
    fs::permissions(ro, fs::perms::owner_all);
  }
}

TEST_CASE("weights: a failed write keeps the previous file and leaves no temporary file") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("ckpt.fcw");
  const std::vector<float> v1 = {1, 2, 3}, v2 = {4, 5, 6};
  fio::save_weights(path, v1, small);
  std::vector<float> back(3);

  SUBCASE("the temporary path cannot be created") {
    fs::create_directory(fio::temp_path_for(path));  // open() of a directory for writing fails
    const auto msg =
        message_of<fc::resource_error>([&] { fio::save_weights(path, v2, small); });
    CHECK(msg.find(path + ": cannot create the temporary file") == 0);
    CHECK(msg.find(std::strerror(EISDIR)) != std::string::npos);
    fs::remove(fio::temp_path_for(path));
  }
  SUBCASE("the disk fills up halfway through the write") {
    // A file size limit makes write() fail with EFBIG after the header, as a full disk would.
    struct rlimit old {};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit tiny = old;
    tiny.rlim_cur = 48;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    std::string msg;
    try {
      fio::save_weights(path, std::vector<float>(1000, 7.0f), fio::Layout{"big", {1000}});
    } catch (const fc::resource_error& e) {
      msg = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
    CHECK(msg.find(path + ": cannot write (the previous file, if any, is kept): " +
                   std::strerror(EFBIG)) == 0);
  }
  SUBCASE("the target is a directory, so the rename fails") {
    const std::string target = dir.file("is_a_dir");
    fs::create_directory(target);
    const auto msg =
        message_of<fc::resource_error>([&] { fio::save_weights(target, v2, small); });
    CHECK(msg.find(target + ": cannot replace the file") == 0);
    CHECK(fs::is_directory(target));
  }
  fio::load_weights(path, back, small);
  CHECK(back == v1);
  CHECK_FALSE(temp_files_left(dir.path));
}

TEST_CASE("weights: the next save removes temporary files left by killed writers, only theirs") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("ckpt.fcw");
  // A process that has exited and been reaped: its pid names no process now.
  const ::pid_t dead = ::fork();
  REQUIRE(dead >= 0);
  if (dead == 0) ::_exit(0);
  int status = 0;
  REQUIRE(::waitpid(dead, &status, 0) == dead);
  const std::string stale = path + ".tmp." + std::to_string(dead);
  const std::string live = path + ".tmp.1";  // init: alive (or another user's) -> kept
  const std::string other = dir.file("other.fcw.tmp." + std::to_string(dead));
  const std::string not_a_pid = path + ".tmp.backup";
  for (const auto& f : {stale, live, other, not_a_pid}) std::ofstream(f) << "partial";
  fio::save_weights(path, std::vector<float>{1, 2, 3}, small);
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other));
  CHECK(fs::exists(not_a_pid));
  CHECK(fs::exists(path));
}

TEST_CASE("weights: saving again replaces the file whole") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("w.fcw");
  fio::save_weights(path, std::vector<float>(1000, 1.0f), fio::Layout{"big", {1000}});
  fio::save_weights(path, std::vector<float>{4, 5, 6}, small);
  std::vector<float> back(3);
  fio::load_weights(path, back, small);
  CHECK(back == std::vector<float>{4, 5, 6});
  CHECK(fs::file_size(path) == 48 + 16 + small.description.size() + 12 + 4);
}

TEST_CASE("weights: Normalization statistics travel with the weights") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("normalized.fcw");
  Normalized trained(fc::optim::Adam{}, fc::Seed{1});
  auto& norm = std::get<0>(trained.network_layers().layers());
  norm.set_statistics(std::vector<double>{10.0, -3.0, 0.5}, std::vector<double>{4.0, 0.25, 9.0});
  fio::save_weights(trained, path);

  Normalized fresh(fc::optim::Adam{}, fc::Seed{2});
  const auto& loaded = std::get<0>(fresh.network_layers().layers());
  REQUIRE_FALSE(loaded.adapted());
  fio::load_weights(fresh, path);
  CHECK(loaded.adapted());
  CHECK(std::vector<double>(loaded.mean().begin(), loaded.mean().end()) ==
        std::vector<double>{10.0, -3.0, 0.5});
  CHECK(std::vector<double>(loaded.variance().begin(), loaded.variance().end()) ==
        std::vector<double>{4.0, 0.25, 9.0});
  const xt::xtensor<float, 2> x = {{12.0f, -3.5f, 2.0f}, {8.0f, -2.0f, -1.0f}};
  const auto a = trained.predict(x);
  const auto b = fresh.predict(x);
  CHECK(a == b);
  CHECK(fio::layout_of(fresh).state_counts == std::vector<std::uint64_t>{7, 0, 0});

  // A layer that was never adapted stays so through a round trip.
  Normalized plain(fc::optim::Adam{}, fc::Seed{3});
  fio::save_weights(plain, path);
  fio::load_weights(fresh, path);
  CHECK_FALSE(loaded.adapted());
  CHECK(loaded.mean()[0] == 0.0);
}

TEST_CASE("weights: a state value no adapt could produce is refused and changes nothing") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("normalized.fcw");
  Normalized trained(fc::optim::Adam{}, fc::Seed{1});
  std::get<0>(trained.network_layers().layers()).set_statistics(1.0, 4.0);
  fio::save_weights(trained, path);
  auto b = bytes_of(path);
  // The last state value is the 'adapted' flag; the three before it are the variances.
  const std::size_t variance0 = b.size() - 4 - 8 - 3 * 8;
  b[variance0 + 7] = 0xC0;  // -2.0: a negative variance, with a valid checksum
  b[variance0 + 6] = 0x00;
  fix_crc(b);
  write_bytes(path, b);
  Normalized other(fc::optim::Adam{}, fc::Seed{2});
  const std::vector<float> before(other.parameters().begin(), other.parameters().end());
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(other, path); });
  CHECK(msg.find(path + ": holds layer state this model refuses: Normalization: the saved "
                        "statistics of feature 0 are mean 1.000000 and variance -2.000000") == 0);
  CHECK_FALSE(std::get<0>(other.network_layers().layers()).adapted());
  CHECK(std::equal(before.begin(), before.end(), other.parameters().begin()));
}

TEST_CASE("weights: format 1 files load into models without state, and are refused with the "
          "reason by a model with Normalization") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("old.fcw");
  Small small_model(fc::optim::Adam{}, fc::Seed{1});
  const auto layout = fio::layout_of(small_model);
  write_bytes(path, v1_file(layout, {0.5f, -0.25f, 2.0f}));
  fio::load_weights(small_model, path);
  CHECK(std::vector<float>(small_model.parameters().begin(), small_model.parameters().end()) ==
        std::vector<float>{0.5f, -0.25f, 2.0f});
  CHECK(fio::weights_layout(path) == layout);

  Normalized normalized(fc::optim::Adam{}, fc::Seed{1});
  const auto nlayout = fio::layout_of(normalized);
  std::vector<float> old_params(normalized.parameters().size(), 0.75f);
  write_bytes(path, v1_file(nlayout, old_params));
  const std::vector<float> before(normalized.parameters().begin(), normalized.parameters().end());
  const auto msg = message_of<fc::data_error>([&] { fio::load_weights(normalized, path); });
  CHECK(msg.find(path + ": was written in weights format 1, which holds no layer state, and this "
                        "model keeps 7 state values") == 0);
  CHECK(msg.find("io::load_parameters(model, path)") != std::string::npos);
  CHECK(std::equal(before.begin(), before.end(), normalized.parameters().begin()));

  // The way out the message names: parameters alone, the statistics left as adapted.
  auto& norm = std::get<0>(normalized.network_layers().layers());
  norm.set_statistics(2.0, 9.0);
  fio::load_parameters(normalized, path);
  CHECK(std::vector<float>(normalized.parameters().begin(), normalized.parameters().end()) ==
        old_params);
  CHECK(norm.adapted());
  CHECK(norm.mean()[2] == 2.0);
}

TEST_CASE("weights: ModelCheckpoint files hold the Normalization statistics") {
  const temp_dir dir("weights_test");
  const std::string path = dir.file("ckpt.fcw");
  const std::vector<float> xs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const std::vector<int> ys = {0, 1, 0, 1};
  auto train = fc::data::from_tensor_slices<fc::Features<3>, fc::BinaryLabel>(
                   std::span<const float>(xs), std::span<const int>(ys)) |
               fc::data::batch<2>();
  Normalized model(fc::optim::Adam{}, fc::Seed{1});
  fc::nn::adapt<0>(model.network_layers(), train);
  fc::callbacks::ModelCheckpoint<"loss"> ckpt{.filepath = path};
  model.fit(train, fc::Epochs{1}, fc::Verbose{0}, ckpt);
  Normalized fresh(fc::optim::Adam{}, fc::Seed{2});
  fio::load_weights(fresh, path);
  const auto& norm = std::get<0>(fresh.network_layers().layers());
  CHECK(norm.adapted());
  CHECK(norm.mean()[0] == doctest::Approx(5.5));
  CHECK(norm.variance()[2] == doctest::Approx(11.25));
  CHECK(std::equal(model.parameters().begin(), model.parameters().end(),
                   fresh.parameters().begin()));
}

}  // namespace io_weights_test
