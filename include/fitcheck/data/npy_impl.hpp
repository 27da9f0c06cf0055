// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of data/npy.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/data/npy.hpp>

namespace fitcheck::data::detail {

FITCHECK_IMPL std::size_t npy_header_bytes(const unsigned char* bytes, std::size_t size) noexcept {
  if (size < 8) return 0;
  const std::size_t len_bytes = bytes[6] == 1 ? 2 : 4;
  if (size < 8 + len_bytes) return 0;
  std::size_t header_len = 0;
  for (std::size_t k = 0; k < len_bytes; ++k)
    header_len |= static_cast<std::size_t>(bytes[8 + k]) << (8 * k);
  return 8 + len_bytes + header_len;
}

FITCHECK_IMPL npy_array npy_parse(const unsigned char* bytes, std::size_t size, std::string file,
                                  std::size_t total) {
  const bool whole = total == std::numeric_limits<std::size_t>::max();
  if (whole) total = size;
  npy_array a;
  a.file = std::move(file);
  constexpr unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 6 || std::memcmp(bytes, magic, 6) != 0)
    npy_fail(a.file, "not a .npy file (it does not start with \\x93NUMPY)", npy_save_fix());
  if (size < 8) npy_fail(a.file, "the header is truncated (no version)", npy_save_fix());
  const unsigned major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor != 0)
    npy_fail(
        a.file,
        "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor),
        "save with numpy.save, which writes version 1.0 (2.0 or 3.0 for large headers); "
        "fitcheck reads 1.0, 2.0 and 3.0");
  const std::size_t prefix = major == 1 ? 10 : 12;
  if (size < prefix) npy_fail(a.file, "the header is truncated (no length)", npy_save_fix());
  const std::size_t header_len = npy_header_bytes(bytes, size) - prefix;
  if (header_len > size - prefix)
    npy_fail(a.file,
             "the header is truncated: it declares " + std::to_string(header_len) +
                 " bytes, the file holds " + std::to_string(total - prefix) + " after the prefix",
             "the file is incomplete; save it again with numpy.save");
  const std::string_view text(reinterpret_cast<const char*>(bytes + prefix), header_len);
  bool fortran = false;
  npy_header_parser(text, a.file).parse(a.descr, fortran, a.shape);

  if (a.descr.size() >= 2 && a.descr[0] == '>' && a.descr.substr(1) != "u1" &&
      a.descr.substr(1) != "i1")
    npy_fail(a.file, "dtype " + quote_text(a.descr) + " is big-endian",
             "save little-endian data: np.save(path, array.astype(array.dtype.newbyteorder('<')))");
  static constexpr std::pair<std::string_view, npy_type> known[] = {
      {"<f4", npy_type::f4}, {"<f8", npy_type::f8}, {"|u1", npy_type::u1}, {"<u1", npy_type::u1},
      {">u1", npy_type::u1}, {"<i4", npy_type::i4}, {"<i8", npy_type::i8}};
  const auto* hit = std::find_if(std::begin(known), std::end(known),
                                 [&](const auto& k) { return k.first == a.descr; });
  if (hit == std::end(known))
    npy_fail(a.file, "unsupported dtype " + quote_text(a.descr),
             "save float32 features ('<f4'; '<f8' is converted) and labels as int32, int64, "
             "uint8, float32 or float64 ('<i4', '<i8', '|u1', '<f4', '<f8'), e.g. "
             "np.save(path, x.astype(np.float32))");
  a.type = hit->second;
  if (fortran)
    npy_fail(a.file, "the array is stored in Fortran (column-major) order",
             "save a C-ordered array: np.save(path, np.ascontiguousarray(array))");

  std::size_t count = 1;
  for (std::size_t d : a.shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d)
      npy_fail(a.file, "the shape " + format_shape(a.shape) + " is too large to address",
               npy_save_fix());
    count *= d;
  }
  const std::size_t item = npy_itemsize(a.type);
  if (count > std::numeric_limits<std::size_t>::max() / item)
    npy_fail(a.file, "the shape " + format_shape(a.shape) + " is too large to address",
             npy_save_fix());
  a.data_bytes = count * item;
  const std::size_t offset = prefix + header_len;
  if (total - offset < a.data_bytes)
    npy_fail(a.file,
             "the file is truncated: shape " + format_shape(a.shape) + " of '" + a.descr +
                 "' needs " + std::to_string(a.data_bytes) + " data bytes, the file holds " +
                 std::to_string(total - offset),
             "the file is incomplete (an interrupted copy or save?); save it again");
  a.data_offset = offset;
  a.file_size = total;
  if (whole) a.data = bytes + offset;
  return a;
}

FITCHECK_IMPL npy_array npy_load(const std::string& path) {
  auto file = std::make_shared<const io::input_file>(io::input_file::open(path, "a .npy file"));
  const io::file_stamp opened = file->stamp();
  const std::size_t size = opened.size;
  if (size == 0) npy_fail(path, "the file is empty (0 bytes), not a .npy file", npy_save_fix());
  std::vector<unsigned char> head(std::min<std::size_t>(size, 4096));
  std::size_t got = file->read_at(head.data(), head.size(), 0);
  const std::size_t need = npy_header_bytes(head.data(), got);
  if (need > got && need <= size) {
    head.resize(need);
    got += file->read_at(head.data() + got, need - got, got);
  }
  npy_array a = npy_parse(head.data(), got, path, size);
  a.source = std::move(file);
  a.opened = opened;
  return a;
}

}  // namespace fitcheck::data::detail
