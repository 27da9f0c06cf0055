// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <fitcheck/core/error.hpp>
#include <fitcheck/io/atomic_file.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/weights.hpp>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// A training run's state on disk (".fcs", written by BackupAndRestore): named records of
// numbers or text, so that each part of a run (the parameters, the optimizer's slots, a
// callback's memory) is one record and a reader finds it by name. Every integer is
// little-endian.
//
//   offset  size  field
//   0       8     magic 89 46 43 53 0D 0A 1A 0A ("\x89FCS\r\n\x1a\n", as the weights files)
//   8       4     u32 format version = 1
//   12            records, up to the checksum, each:
//                   u32 K, the name's length; K bytes, the name (UTF-8)
//                   u8  type: 1 float32, 2 float64, 3 u64, 4 UTF-8 text
//                   u64 n, the values (bytes for text)
//                   n values of the type
//   end - 4 4     u32 CRC-32 (as the weights files') of every byte before it
//
// Written atomically (io/atomic_file.hpp): a crash while writing leaves the previous file.

namespace fitcheck::io {

inline constexpr std::uint32_t training_state_format_version = 1;

namespace detail {
inline constexpr std::array<unsigned char, 8> state_magic = {0x89, 'F',  'C',  'S',
                                                             '\r', '\n', 0x1A, '\n'};
enum class record_type : std::uint8_t { float32 = 1, float64 = 2, u64 = 3, text = 4 };

[[nodiscard]] inline const char* type_name(record_type t) noexcept {
  switch (t) {
    case record_type::float32:
      return "float32";
    case record_type::float64:
      return "float64";
    case record_type::u64:
      return "u64";
    case record_type::text:
      return "text";
  }
  return "unknown";
}
[[nodiscard]] inline std::size_t type_size(record_type t) noexcept {
  return t == record_type::float32 ? 4 : t == record_type::text ? 1 : 8;
}
}  // namespace detail

/// Writes named records straight to a temporary file beside `path` (no copy of the model in
/// memory); commit() makes it `path`, atomically. A writer destroyed without commit() leaves the
/// previous file as it was.
class state_writer {
 public:
  /// Starts the file (the temporary one).
  explicit state_writer(std::string path) : out_(std::move(path)) {
    std::vector<std::byte> head;
    for (unsigned char c : detail::state_magic) head.push_back(static_cast<std::byte>(c));
    detail::put_le<std::uint32_t>(head, training_state_format_version);
    write(head);
  }
  /// Adds float32 values.
  void add(std::string_view name, std::span<const float> v) {
    begin(name, detail::record_type::float32, v.size());
    values<std::uint32_t>(v);
  }
  /// Adds float64 values.
  void add(std::string_view name, std::span<const double> v) {
    begin(name, detail::record_type::float64, v.size());
    values<std::uint64_t>(v);
  }
  /// Adds unsigned 64-bit integers.
  void add(std::string_view name, std::span<const std::uint64_t> v) {
    begin(name, detail::record_type::u64, v.size());
    values<std::uint64_t>(v);
  }
  /// Adds a text.
  void add_text(std::string_view name, std::string_view text) {
    begin(name, detail::record_type::text, text.size());
    write(std::as_bytes(std::span(text.data(), text.size())));
  }

  /// Ends the file with its checksum, flushes it to disk and renames it over `path`.
  void commit() {
    std::vector<std::byte> tail;
    detail::put_le<std::uint32_t>(tail, crc_);
    out_.write(tail);
    out_.commit();
  }

 private:
  void write(std::span<const std::byte> bytes) {
    crc_ = detail::crc32(crc_, bytes);
    out_.write(bytes);
  }
  void begin(std::string_view name, detail::record_type t, std::size_t n) {
    std::vector<std::byte> head;
    detail::put_le<std::uint32_t>(head, static_cast<std::uint32_t>(name.size()));
    for (char c : name) head.push_back(static_cast<std::byte>(c));
    head.push_back(static_cast<std::byte>(t));
    detail::put_le<std::uint64_t>(head, n);
    write(head);
  }
  template <class Bits, class T>
  void values(std::span<const T> v) {
    if constexpr (std::endian::native == std::endian::little) {
      write(std::as_bytes(v));
    } else {
      std::vector<std::byte> le;
      le.reserve(v.size() * sizeof(T));
      for (T x : v) detail::put_le<Bits>(le, std::bit_cast<Bits>(x));
      write(le);
    }
  }

  atomic_writer out_;
  std::uint32_t crc_ = 0;
};

/// A training-state file read and checked whole (magic, version, sizes, CRC) before any record
/// is handed out; every fault is a data_error naming the file.
class state_reader {
 public:
  /// Reads and checks `path`.
  explicit state_reader(std::string path) : path_(std::move(path)) {
    bytes_ = read_file(path_, "a training backup written by BackupAndRestore",
                       detail::state_magic.size(),
                       [&](std::span<const std::byte> head, std::size_t) { check_magic(head); });
    parse();
  }
  /// Checks the bytes of a file, which `name` names in messages.
  state_reader(std::string name, std::vector<std::byte> bytes)
      : path_(std::move(name)), bytes_(std::move(bytes)) {
    parse();
  }

  /// The file's path.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Whether the file holds a record of that name.
  [[nodiscard]] bool contains(const std::string& name) const { return records_.contains(name); }

  /// The values (bytes, for a text) record `name` holds; 0 when there is no such record.
  [[nodiscard]] std::size_t count(const std::string& name) const {
    const auto it = records_.find(name);
    return it == records_.end() ? 0 : it->second.count;
  }

  /// The float32 values of record `name`.
  [[nodiscard]] std::vector<float> floats(const std::string& name) const {
    const record& r = find(name, detail::record_type::float32);
    std::vector<float> v(r.count);
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = std::bit_cast<float>(detail::get_le<std::uint32_t>(r.data + 4 * i));
    return v;
  }
  /// The float64 values of record `name`.
  [[nodiscard]] std::vector<double> doubles(const std::string& name) const {
    const record& r = find(name, detail::record_type::float64);
    std::vector<double> v(r.count);
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = std::bit_cast<double>(detail::get_le<std::uint64_t>(r.data + 8 * i));
    return v;
  }
  /// The integers of record `name`.
  [[nodiscard]] std::vector<std::uint64_t> words(const std::string& name) const {
    const record& r = find(name, detail::record_type::u64);
    std::vector<std::uint64_t> v(r.count);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = detail::get_le<std::uint64_t>(r.data + 8 * i);
    return v;
  }
  /// The text of record `name`.
  [[nodiscard]] std::string text(const std::string& name) const {
    const record& r = find(name, detail::record_type::text);
    return {reinterpret_cast<const char*>(r.data), r.count};
  }

  /// Throws the data_error "<path>: <problem>" with `fix`.
  [[noreturn]] void fail(const std::string& problem, std::string fix) const {
    throw data_error(path_ + ": " + problem, std::move(fix));
  }

 private:
  struct record {
    detail::record_type type{};
    std::size_t count = 0;
    const std::byte* data = nullptr;
  };

  static constexpr const char* damaged_fix =
      "the backup was damaged after it was written; delete it to start the run over";

  void check_magic(std::span<const std::byte> head) const {
    if (!detail::starts_with_magic(head, detail::state_magic))
      fail("is not a fitcheck training backup (wrong magic bytes)",
           "point BackupAndRestore at a directory of its own, or delete the file");
  }

  void parse() {
    check_magic(bytes_);
    const std::size_t header = detail::state_magic.size() + 4;
    if (bytes_.size() < header + 4)
      fail("is truncated: " + std::to_string(bytes_.size()) + " bytes", damaged_fix);
    const std::byte* p = bytes_.data();
    const auto version = detail::get_le<std::uint32_t>(p + 8);
    if (version != training_state_format_version)
      fail("has format version " + std::to_string(version) + ", this fitcheck reads version " +
               std::to_string(training_state_format_version),
           "resume it with the fitcheck version that wrote it, or delete it to start over");
    const std::size_t body = bytes_.size() - 4;
    const auto stored = detail::get_le<std::uint32_t>(p + body);
    if (stored != detail::crc32(0, std::span(bytes_).first(body)))
      fail("is corrupt: checksum mismatch", damaged_fix);
    std::size_t at = header;
    // Each size is checked against what is left before it is used: a header that lies (the
    // checksum matched, so only a faulty writer) cannot make the reader leave the buffer.
    const auto need = [&](std::uint64_t n) {
      if (n > body - at) fail("is inconsistent: a record runs past the end", damaged_fix);
    };
    while (at < body) {
      need(4);
      const auto name_len = detail::get_le<std::uint32_t>(p + at);
      at += 4;
      need(name_len + 9ull);
      std::string name(reinterpret_cast<const char*>(p + at), name_len);
      at += name_len;
      record r;
      r.type = static_cast<detail::record_type>(std::to_integer<std::uint8_t>(p[at]));
      const auto n = detail::get_le<std::uint64_t>(p + at + 1);
      at += 9;
      if (r.type < detail::record_type::float32 || r.type > detail::record_type::text)
        fail("is inconsistent: record '" + name + "' has an unknown type", damaged_fix);
      if (n > (body - at) / detail::type_size(r.type))
        fail("is inconsistent: a record runs past the end", damaged_fix);
      r.count = static_cast<std::size_t>(n);
      r.data = p + at;
      at += r.count * detail::type_size(r.type);
      records_.emplace(std::move(name), r);
    }
  }

  const record& find(const std::string& name, detail::record_type t) const {
    const auto it = records_.find(name);
    if (it == records_.end())
      fail("has no record '" + name + "': it was written by another fitcheck version",
           "resume it with the fitcheck version that wrote it, or delete it to start over");
    if (it->second.type != t)
      fail("holds record '" + name + "' as " + detail::type_name(it->second.type) + ", not " +
               detail::type_name(t),
           damaged_fix);
    return it->second;
  }

  std::string path_;
  std::vector<std::byte> bytes_;
  std::map<std::string, record> records_;
};

}  // namespace fitcheck::io
