// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of data/idx.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/data/idx.hpp>

#if defined(FITCHECK_WITH_ZLIB)
#include <zlib.h>
#endif

namespace fitcheck::data::detail {

FITCHECK_IMPL std::size_t idx_header_bytes(const unsigned char* bytes, std::size_t size) noexcept {
  return size < 4 ? 0 : 4 + 4 * std::size_t{bytes[3]};
}

FITCHECK_IMPL npy_array idx_parse_header(const unsigned char* bytes, std::size_t size,
                                         std::string file, std::size_t total) {
  npy_array a;
  a.file = std::move(file);
  a.format = "an IDX file";
  a.maker = "from_idx";
  if (size < 4)
    npy_fail(a.file,
             "is " + std::to_string(total) + " bytes, too short for an IDX header (4 bytes)",
             idx_fix());
  if (idx_gzipped(bytes, size))
    npy_fail(a.file, "is gzip-compressed, and this build of fitcheck has no zlib to inflate it",
             "install zlib1g-dev and build with fitcheck's CMake target (it defines "
             "FITCHECK_WITH_ZLIB and links zlib), or gunzip the file first");
  if (bytes[0] != 0 || bytes[1] != 0)
    npy_fail(a.file, "is not an IDX file (its first two bytes are not 0)", idx_fix());
  static constexpr std::pair<unsigned char, npy_type> codes[] = {
      {0x08, npy_type::u1},    {0x09, npy_type::i1},    {0x0B, npy_type::be_i2},
      {0x0C, npy_type::be_i4}, {0x0D, npy_type::be_f4}, {0x0E, npy_type::be_f8}};
  static constexpr const char* names[] = {"u8", "i8", "i16", "i32", "f32", "f64"};
  const auto* hit = std::find_if(std::begin(codes), std::end(codes),
                                 [&](const auto& c) { return c.first == bytes[2]; });
  if (hit == std::end(codes)) {
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", unsigned{bytes[2]});
    npy_fail(a.file,
             std::string("has the unknown IDX type code ") + code +
                 " (known: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64)",
             idx_fix());
  }
  a.type = hit->second;
  a.descr = names[hit - std::begin(codes)];
  const std::size_t rank = bytes[3];
  if (rank == 0) npy_fail(a.file, "declares no dimensions", idx_fix());
  const std::size_t offset = 4 + 4 * rank;
  if (size < offset)
    npy_fail(a.file,
             "is truncated in its header: " + std::to_string(rank) + " dimensions need " +
                 std::to_string(offset) + " bytes, the file holds " + std::to_string(total),
             "the file is incomplete (an interrupted download?); fetch it again");
  std::size_t count = 1;
  for (std::size_t d = 0; d < rank; ++d) {
    const std::size_t n = npy_be32(bytes + 4 + 4 * d);
    a.shape.push_back(n);
    count = saturating_product(count, n);
  }
  a.data_bytes = saturating_product(count, npy_itemsize(a.type));
  if (a.data_bytes == std::numeric_limits<std::size_t>::max())
    npy_fail(a.file, "the shape " + format_shape(a.shape) + " is too large to address", idx_fix());
  a.data_offset = offset;
  a.file_size = total;
  return a;
}

FITCHECK_IMPL npy_array idx_parse(const unsigned char* bytes, std::size_t size, std::string file,
                                  std::size_t total) {
  const bool whole = total == std::numeric_limits<std::size_t>::max();
  if (whole) total = size;
  npy_array a = idx_parse_header(bytes, size, std::move(file), total);
  const std::size_t stored = total - a.data_offset;
  if (stored < a.data_bytes)
    npy_fail(a.file,
             "is truncated: shape " + format_shape(a.shape) + " of " + a.descr + " needs " +
                 std::to_string(a.data_bytes) + " data bytes, the file holds " +
                 std::to_string(stored),
             "the file is incomplete (an interrupted download?); fetch it again");
  if (stored > a.data_bytes)
    npy_fail(a.file,
             "holds " + std::to_string(stored - a.data_bytes) +
                 " bytes more than its header's shape " + format_shape(a.shape) + " of " + a.descr +
                 " declares",
             "the file is not one IDX array (two files joined?); fetch it again");
  if (whole) a.data = bytes + a.data_offset;
  return a;
}

#if defined(FITCHECK_WITH_ZLIB)
FITCHECK_IMPL std::vector<unsigned char> idx_inflate(const std::string& path) {
  const std::vector<std::byte> packed = io::read_file(path, "an IDX file");
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    throw resource_error(path + ": zlib could not start inflating", "free some memory");
  struct end_stream {
    z_stream* z;
    ~end_stream() { inflateEnd(z); }
  } guard{&z};
  std::vector<unsigned char> out;
  std::size_t have = 0, fed = 0;
  bool ended = false;
  // Inflates until `out` holds `target` bytes or the stream ends.
  const auto pump = [&](std::size_t target) {
    out.resize(target);
    while (have < target && !ended) {
      if (z.avail_in == 0 && fed < packed.size()) {
        const std::size_t n = std::min<std::size_t>(packed.size() - fed, std::size_t{1} << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(packed.data() + fed));
        z.avail_in = static_cast<uInt>(n);
        fed += n;
      }
      z.next_out = out.data() + have;
      z.avail_out = static_cast<uInt>(std::min<std::size_t>(target - have, std::size_t{1} << 30));
      const int rc = inflate(&z, Z_NO_FLUSH);
      have = static_cast<std::size_t>(z.next_out - out.data());
      if (rc == Z_STREAM_END) {
        ended = true;
      } else if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == packed.size()) {
        npy_fail(
            path,
            "is a truncated gzip stream: it ends after " + std::to_string(have) + " inflated bytes",
            "the file is incomplete (an interrupted download?); fetch it again");
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        npy_fail(path,
                 std::string("is a corrupt gzip stream (zlib: ") +
                     (z.msg ? z.msg : "invalid data") + ") after " + std::to_string(have) +
                     " inflated bytes",
                 "the file is damaged (an interrupted download?); fetch it again");
      }
    }
    out.resize(have);
  };
  pump(4);
  pump(std::max<std::size_t>(have, idx_header_bytes(out.data(), have)));
  const npy_array header = idx_parse_header(out.data(), have, path, have);
  const std::size_t whole = header.data_offset + header.data_bytes;
  // Deflate expands at most 1032 times (zlib's technical notes): a header that declares more
  // than that is corrupt, and must not make us allocate what it declares.
  const std::size_t most = saturating_product(packed.size(), 1032);
  if (whole > most)
    npy_fail(path,
             "declares the shape " + format_shape(header.shape) + " of " + header.descr + " (" +
                 std::to_string(whole) + " bytes), more than its " + std::to_string(packed.size()) +
                 " gzip'd bytes can hold (at most " + std::to_string(most) + ")",
             "the file is damaged (an interrupted download?); fetch it again");
  fitcheck::detail::require_memory(
      whole,
      path + ": the inflated IDX array " + format_shape(header.shape) + " of " + header.descr,
      "use a machine with more memory, or a part of the data set");
  pump(whole);
  if (have == whole && !ended) pump(whole + 1);  // one byte more than declared: idx_parse says so
  return out;
}
#endif

FITCHECK_IMPL npy_array idx_load(const std::string& path) {
  auto file = std::make_shared<const io::input_file>(io::input_file::open(path, "an IDX file"));
  const io::file_stamp opened = file->stamp();
  std::vector<unsigned char> head(std::min<std::size_t>(opened.size, 4 + 4 * 255));
  const std::size_t got = file->read_at(head.data(), head.size(), 0);
#if defined(FITCHECK_WITH_ZLIB)
  if (idx_gzipped(head.data(), got)) {
    auto inflated = std::make_shared<const std::vector<unsigned char>>(idx_inflate(path));
    npy_array a = idx_parse(inflated->data(), inflated->size(), path);
    a.owned = std::move(inflated);
    return a;
  }
#endif
  npy_array a = idx_parse(head.data(), got, path, opened.size);
  a.source = std::move(file);
  a.opened = opened;
  return a;
}

}  // namespace fitcheck::data::detail
