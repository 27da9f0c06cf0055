// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [B3]: the whole data set loaded into memory before training (pandas.read_csv, then
// from_tensor_slices), which stops working once the file outgrows the RAM. fitcheck's from_csv
// streams: it reads the file in chunks (64 KiB by default) on every pass and keeps only the
// rows the pipeline holds (here the shuffle buffer); from_npy memory-maps a .npy file instead.
//
// This program writes a CSV of 200,000 rows, trains one epoch from it streamed, then loads it
// whole, and prints how much the process' peak memory (getrusage's max RSS) grew each time.
// The peak only grows, so streaming is measured first.
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;

constexpr std::size_t rows = 200000;

double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

using Net = fc::Sequential<fc::Input<16>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy>;

int main() {
  const fs::path file = fs::temp_directory_path() / "fitcheck_b3_example.csv";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    if (f == nullptr) return 1;
    for (int c = 0; c < 16; ++c) std::fprintf(f, "x%d,", c);
    std::fprintf(f, "label\n");
    fc::Rng rng(2);
    for (std::size_t i = 0; i < rows; ++i) {
      float sum = 0;
      for (int c = 0; c < 16; ++c) {
        const float v = 2 * rng.uniform_float() - 1;
        sum += c < 8 ? v : -v;
        std::fprintf(f, "%.5f,", double(v));
      }
      std::fprintf(f, "%d\n", sum > 0 ? 1 : 0);
    }
    std::fclose(f);
  }
  const double file_mib = double(fs::file_size(file)) / (1024.0 * 1024.0);
  const double in_memory_mib = double(rows * 17 * sizeof(float)) / (1024.0 * 1024.0);
  auto csv = fd::from_csv<fc::Features<16>, fc::BinaryLabel>(file.string());

  // Streamed: each epoch reads the file again, chunk by chunk.
  Model model(fc::optim::Adam{.learning_rate = 0.01f});
  double before = peak_mib();
  auto streamed = csv | fd::shuffle(1000, fc::Seed{1}) | fd::batch<256>();
  const fc::History h = model.fit(streamed, fc::Epochs{1}, fc::Verbose{0});
  const double streamed_growth = peak_mib() - before;
  std::printf("fix: from_csv streamed a %.1f MiB file (%zu rows): peak memory grew by %.1f MiB\n",
              file_mib, csv.size(), streamed_growth);
  tiny::trained(h);

  // The mistake, for comparison: every row in memory first (here as floats, the most compact
  // form; a data frame of text takes more).
  before = peak_mib();
  xt::xtensor<float, 2> x = xt::zeros<float>({rows, std::size_t{16}});
  xt::xtensor<int, 1> y = xt::zeros<int>({rows});
  std::size_t i = 0;
  for (const auto& e : csv) {
    for (std::size_t c = 0; c < 16; ++c) x(i, c) = e.x[c];
    y(i++) = e.y[0];
  }
  auto loaded = fd::from_tensor_slices<fc::Features<16>, fc::BinaryLabel>(x, y);
  std::printf("mistake: loading it whole grew peak memory by %.1f MiB (the data: %.1f MiB)\n",
              peak_mib() - before, in_memory_mib);
  fs::remove(file);
  // Streaming must stay well below the data's own size, or it is not streaming.
  return streamed_growth < in_memory_mib / 4 && loaded.size() == rows ? 0 : 1;
}
