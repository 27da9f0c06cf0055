// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// libFuzzer target for the IDX reader: the header/data parser and the cursor `from_idx` uses.
// Input: byte 0 picks the declared types (bits 0-1) and the path (bit 2: through files on disk,
// as from_idx reads them, where a file that starts as gzip does (1F 8B) is inflated; bit 3: the
// images file then cut to half its length between opening and reading); bytes 1-2
// (little-endian) where the images file ends; the images file, then the labels file. In memory,
// each part is copied to a buffer of its exact size so a read past its end is an
// AddressSanitizer report. Passing means: every rejection is a fitcheck::error, never a crash,
// a sanitizer report or another exception, and accepted arrays yield exactly `size()` valid
// samples.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <fitcheck/data/idx.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

std::optional<fd::detail::npy_array> parse(const std::vector<unsigned char>& bytes,
                                           const char* name) {
  try {
    return fd::detail::idx_parse(bytes.data(), bytes.size(), name);
  } catch (const fc::error&) {
    return std::nullopt;
  }
}

template <class F, class L>
void run(const std::optional<fd::detail::npy_array>& x,
         const std::optional<fd::detail::npy_array>& y) {
  if (!x || !y) return;
  try {
    fd::detail::idx_check_images<F>(*x);
    fd::detail::idx_check_labels<L>(*y);
    fd::NpySource<F, L> source(fd::detail::checked_arrays{}, *x, *y);
    std::size_t n = 0;
    auto cursor = source.open();
    auto e = source.make_element();
    while (cursor.next(e)) {
      for (float v : e.x)
        if (!std::isfinite(v)) __builtin_trap();
      for (auto v : e.y)
        if (!L::accepts(v)) __builtin_trap();
      ++n;
    }
    if (n != source.size()) __builtin_trap();
  } catch (const fc::error&) {
    // A clear rejection is the expected outcome for most inputs.
  }
}

std::string write_temp(const std::vector<unsigned char>& bytes, const char* name) {
  const std::string path = "/tmp/fitcheck_idx_fuzz_" + std::to_string(::getpid()) + "_" + name;
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  return path;
}

template <class F, class L>
void pick(const std::vector<unsigned char>& xb, const std::vector<unsigned char>& yb,
          unsigned mode) {
  if ((mode & 4u) == 0) {
    run<F, L>(parse(xb, "x.idx"), parse(yb, "y.idx"));
    return;
  }
  const std::string xp = write_temp(xb, "x.idx"), yp = write_temp(yb, "y.idx");
  std::optional<fd::detail::npy_array> x, y;
  try {
    x = fd::detail::idx_load(xp);
    y = fd::detail::idx_load(yp);
  } catch (const fc::error&) {
  }
  if ((mode & 8u) && ::truncate(xp.c_str(), static_cast<off_t>(xb.size() / 2)) != 0)
    __builtin_trap();
  run<F, L>(x, y);
  std::remove(xp.c_str());
  std::remove(yp.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const unsigned mode = data[0];
  const std::size_t rest = size - 3;
  const std::size_t split = std::min<std::size_t>(data[1] | (std::size_t{data[2]} << 8), rest);
  const std::vector<unsigned char> xb(data + 3, data + 3 + split);
  const std::vector<unsigned char> yb(data + 3 + split, data + size);
  switch (mode & 3u) {
    case 0:
      pick<fc::Features<2, 2>, fc::ClassLabel<10>>(xb, yb, mode);
      break;
    case 1:
      pick<fc::Features<4>, fc::BinaryLabel>(xb, yb, mode);
      break;
    case 2:
      pick<fc::Features<2, 2, 1>, fc::RegressionTarget<>>(xb, yb, mode);
      break;
    default:
      pick<fc::Features<1>, fc::ClassLabel<3>>(xb, yb, mode);
      break;
  }
  return 0;
}
