// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// libFuzzer target for the .npy reader: the same header/data parser and cursor `from_npy`
// uses. Input: byte 0 picks the declared types (bits 0-2) and the path (bit 3: through files on
// disk, as from_npy reads them; bit 4: the features file then cut to half its length between
// opening and reading, as another process truncating it would), bytes 1-2 (little-endian)
// where the features file ends; the features file, then the labels file. In memory, each part
// is copied to a buffer of its exact size so a read past its end is an AddressSanitizer report.
// Passing means: every rejection is a fitcheck::error, never a crash, a sanitizer report or
// another exception, and accepted arrays yield exactly `size()` valid samples.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <cstdio>
#include <string>

#include <unistd.h>

#include <fitcheck/data/npy.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

std::optional<fd::detail::npy_array> parse(const std::vector<unsigned char>& bytes,
                                           const char* name) {
  try {
    return fd::detail::npy_parse(bytes.data(), bytes.size(), name);
  } catch (const fc::error&) {
    return std::nullopt;
  }
}

template <class F, class L>
void run(const fd::detail::npy_array& x, const fd::detail::npy_array& y) {
  try {
    fd::NpySource<F, L> source(x, y);
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
    if (n != source.size() || source.cardinality() != fc::Cardinality::finite(n))
      __builtin_trap();
  } catch (const fc::error&) {
    // A clear rejection is the expected outcome for most inputs.
  }
}

template <class F, class L>
void both(const std::optional<fd::detail::npy_array>& x,
          const std::optional<fd::detail::npy_array>& y) {
  if (x && y) run<F, L>(*x, *y);
  if (x) run<F, L>(*x, *x);  // one float array can be both (features and float labels)
}

std::string write_temp(const std::vector<unsigned char>& bytes, const char* name) {
  const std::string path = "/tmp/fitcheck_npy_fuzz_" + std::to_string(::getpid()) + "_" + name;
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  return path;
}

// The same through files: npy_load reads the headers, the cursor reads the data in chunks.
template <class F, class L>
void files(const std::vector<unsigned char>& xb, const std::vector<unsigned char>& yb,
           bool truncate) {
  const std::string xp = write_temp(xb, "x.npy"), yp = write_temp(yb, "y.npy");
  std::optional<fd::detail::npy_array> x, y;
  try {
    x = fd::detail::npy_load(xp);
    y = fd::detail::npy_load(yp);
  } catch (const fc::error&) {
  }
  if (truncate && ::truncate(xp.c_str(), static_cast<off_t>(xb.size() / 2)) != 0) __builtin_trap();
  both<F, L>(x, y);
  std::remove(xp.c_str());
  std::remove(yp.c_str());
}

template <class F, class L>
void pick(const std::optional<fd::detail::npy_array>& x,
          const std::optional<fd::detail::npy_array>& y, const std::vector<unsigned char>& xb,
          const std::vector<unsigned char>& yb, unsigned mode) {
  if (mode & 8u)
    files<F, L>(xb, yb, (mode & 16u) != 0);
  else
    both<F, L>(x, y);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const unsigned mode = data[0];
  const std::size_t rest = size - 3;
  const std::size_t split = std::min<std::size_t>(data[1] | (std::size_t{data[2]} << 8), rest);
  const std::vector<unsigned char> xb(data + 3, data + 3 + split);
  const std::vector<unsigned char> yb(data + 3 + split, data + size);
  const auto x = (mode & 8u) ? std::nullopt : parse(xb, "x.npy");
  const auto y = (mode & 8u) ? std::nullopt : parse(yb, "y.npy");
  switch (mode & 7u) {
    case 0:
      pick<fc::Features<3>, fc::ClassLabel<4>>(x, y, xb, yb, mode);
      break;
    case 1:
      pick<fc::Features<1>, fc::BinaryLabel>(x, y, xb, yb, mode);
      break;
    case 2:
      pick<fc::Features<2>, fc::OneHotLabel<2>>(x, y, xb, yb, mode);
      break;
    case 3:
      pick<fc::Features<3>, fc::MultiLabel<3>>(x, y, xb, yb, mode);
      break;
    case 4:
      pick<fc::Features<2, 2>, fc::RegressionTarget<2>>(x, y, xb, yb, mode);
      break;
    default:
      pick<fc::Features<1>, fc::RegressionTarget<>>(x, y, xb, yb, mode);
      break;
  }
  return 0;
}
