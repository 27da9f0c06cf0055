// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// libFuzzer target for the CSV source: the same planning pass and row reader `from_csv` uses,
// fed from memory, or (byte 0's bit 6) from a file on disk, which (bit 7) is cut to half its
// length after the first row of the first pass, as another process truncating it would.
// Input: byte 0 picks the options and the declared types, byte 1 the chunk size (1 to 64
// bytes, so rows straddle chunk edges everywhere), the rest is the file.
// Passing means: every rejection is a fitcheck::error, never a crash, a sanitizer report or
// another exception, and an accepted file yields exactly `size()` valid rows on every pass.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <unistd.h>

#include <fitcheck/data/csv.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {

// Where the file-backed cases write their input: one file per process.
const std::string& temp_path() {
  static const std::string path = "/tmp/fitcheck_csv_fuzz_" + std::to_string(::getpid()) + ".csv";
  return path;
}

template <class F, class L>
fd::CsvSource<F, L> make_source(std::string_view text, const fd::csv_options& options, bool file) {
  if (!file) return fd::CsvSource<F, L>(fd::detail::csv_in_memory_t{}, text, "fuzz.csv", options);
  if (std::FILE* f = std::fopen(temp_path().c_str(), "wb")) {
    if (!text.empty()) std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  return fd::CsvSource<F, L>(temp_path(), options);
}

template <class F, class L>
void run(std::string_view text, const fd::csv_options& options, unsigned mode) {
  const bool file = (mode & 64u) != 0, truncate = file && (mode & 128u) != 0;
  try {
    fd::CsvSource<F, L> source = make_source<F, L>(text, options, file);
    for (int pass = 0; pass < 2; ++pass) {
      std::size_t n = 0;
      auto cursor = source.open();
      auto e = source.make_element();
      while (cursor.next(e)) {
        if (truncate && pass == 0 && n == 0 &&
            ::truncate(temp_path().c_str(), static_cast<off_t>(text.size() / 2)) != 0)
          __builtin_trap();
        for (float v : e.x)
          if (!std::isfinite(v)) __builtin_trap();
        for (auto v : e.y)
          if (!L::accepts(v)) __builtin_trap();
        ++n;
      }
      if (n != source.size() || source.cardinality() != fc::Cardinality::finite(n))
        __builtin_trap();
    }
  } catch (const fc::error&) {
    // A clear rejection is the expected outcome for most inputs.
  }
  if (file) std::remove(temp_path().c_str());
}

template <class F, class L>
void with_columns(std::string_view text, fd::csv_options options, unsigned how, unsigned mode) {
  switch (how) {
    case 0:
      break;
    case 1:
      options.label = 0;
      break;
    case 2:
      options.label = "y";
      break;
    default:
      options.features = {"a", "b"};
      break;
  }
  run<F, L>(text, options, mode);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned mode = data[0];
  fd::csv_options options{.header = (mode & 1u) != 0,
                          .delimiter = (mode & 2u) != 0 ? ';' : ',',
                          .chunk_size = 1 + data[1] % 64u};
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  const unsigned how = (mode >> 4) & 3u;
  switch ((mode >> 2) & 3u) {
    case 0:
      with_columns<fc::Features<2>, fc::ClassLabel<3>>(text, options, how, mode);
      break;
    case 1:
      with_columns<fc::Features<2>, fc::BinaryLabel>(text, options, how, mode);
      break;
    case 2:
      with_columns<fc::Features<2>, fc::RegressionTarget<>>(text, options, how, mode);
      break;
    default:
      with_columns<fc::Features<1, 2>, fc::OneHotLabel<2>>(text, options, how, mode);
      break;
  }
  return 0;
}
