// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/data/csv.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/weights.hpp>

namespace io_file_test {

namespace fc = fitcheck;
using fc::test::contains;
using fc::test::message_of;

TEST_CASE("input_file: a FIFO, a directory or a device is refused at open, naming what it is") {
  const fc::test::temp_dir dir("file");
  // A FIFO with no writer: a plain open() would block forever.
  const std::string fifo = dir.file("pipe.csv");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string msg = message_of<fc::data_error>([&] { (void)fc::io::input_file::open(fifo, "a CSV file"); });
  CHECK(contains(msg, fifo + ": is a FIFO (named pipe), not a regular file"));
  CHECK(contains(msg, "Fix: give the path of a CSV file"));

  msg = message_of<fc::data_error>(
      [&] { (void)fc::io::input_file::open(dir.path.string(), "a .npy file"); });
  CHECK(contains(msg, dir.path.string() + ": is a directory, not a regular file"));

  msg = message_of<fc::data_error>([&] { (void)fc::io::input_file::open("/dev/null", "a CSV file"); });
  CHECK(contains(msg, "/dev/null: is a character device, not a regular file"));

  // Every reader opens through it: the CSV reader, the .npy reader and load_weights.
  msg = message_of<fc::data_error>(
      [&] { (void)fc::data::CsvSource<fc::Features<1>, fc::BinaryLabel>(fifo); });
  CHECK(contains(msg, "is a FIFO (named pipe), not a regular file"));
  msg = message_of<fc::data_error>([&] { (void)fc::io::weights_layout(fifo); });
  CHECK(contains(msg, "is a FIFO (named pipe), not a regular file"));
}

TEST_CASE("read_file: the head check sees the first bytes and the size before the rest is read") {
  const fc::test::temp_dir dir("file");
  const std::string path = dir.write("data.bin", "0123456789");
  std::string head;
  std::size_t size = 0;
  const auto bytes = fc::io::read_file(path, "a file", 4, [&](std::span<const std::byte> h, std::size_t n) {
    head.assign(reinterpret_cast<const char*>(h.data()), h.size());
    size = n;
  });
  CHECK(head == "0123");
  CHECK(size == 10);
  CHECK(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()) == "0123456789");

  // A file shorter than the head: the check sees all of it.
  const std::string short_path = dir.write("short.bin", "01");
  (void)fc::io::read_file(short_path, "a file", 4, [&](std::span<const std::byte> h, std::size_t n) {
    CHECK(h.size() == 2);
    CHECK(n == 2);
  });
}

TEST_CASE("load_weights: a huge file that is not a weights file is refused from its first bytes") {
  // 1 TiB, sparse: reading it whole would exhaust the memory; the magic check comes first.
  const fc::test::temp_dir dir("file");
  const std::string path = dir.write("huge.bin", "not a weights file");
  const int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, off_t{1} << 40) == 0);
  ::close(fd);
  std::vector<float> params(3);
  const fc::io::Layout layout{"3 floats", {3}};
  const std::string msg = message_of<fc::data_error>([&] { fc::io::load_weights(path, params, layout); });
  CHECK(contains(msg, path + ": is not a fitcheck weights file (wrong magic bytes)"));
}

}  // namespace io_file_test
