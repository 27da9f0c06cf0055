// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// The image pipeline's throughput: image_folder (JPEG decode + bilinear resize) | shuffle |
// augment (the post's ImageDataGenerator: rotation 20, shifts 0.2, shear 0.2, zoom 0.2,
// horizontal flip, fill nearest) | batch<32>, samples/s of the best epoch after a warm-up, and
// the peak resident memory. benchmarks/run_image_pipeline sets it beside PyTorch's
// DataLoader(ImageFolder(...), transforms) (peers/image_pipeline_torch.py).
//
//   bench_image_pipeline write <folder> <size> <per_class>   writes a JPEG tree from
//       Fashion-MNIST (Debian's dataset-fashion-mnist), 10 class folders, size x size, RGB
//   bench_image_pipeline run <folder> <size> [epochs=3] [workers=0]   times the pipeline (size
//       28 or 224) with image_folder's decode workers and as many augmentation threads (0:
//       decoding and augmenting on the pipeline's thread)
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <jpeglib.h>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;

namespace {

void write_jpeg(const std::string& path, const std::vector<std::uint8_t>& rgb, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw fc::resource_error(path + ": cannot be written", "choose a writable folder");
  jpeg_compress_struct info;
  jpeg_error_mgr err;
  info.err = jpeg_std_error(&err);
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, f);
  info.image_width = static_cast<JDIMENSION>(size);
  info.image_height = static_cast<JDIMENSION>(size);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 90, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(rgb.data() + std::size_t{info.next_scanline} * size * 3);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(f);
}

int write_tree(const std::string& folder, std::size_t size, std::size_t per_class) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  auto images = fd::from_idx<fc::Features<28, 28>, fc::ClassLabel<10>>(
      dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz");
  std::array<std::size_t, 10> written{};
  fc::io::image src{28, 28, 1, std::vector<std::uint8_t>(784)};
  std::vector<float> resized(size * size);
  std::vector<std::uint8_t> rgb(size * size * 3);
  for (const auto& e : images) {
    const auto c = static_cast<std::size_t>(e.y[0]);
    if (written[c] == per_class) continue;
    for (std::size_t k = 0; k < 784; ++k) src.pixels[k] = static_cast<std::uint8_t>(e.x[k]);
    fc::io::resize_bilinear(src, {0, 0, 28, 28}, size, size, resized.data());
    for (std::size_t k = 0; k < size * size; ++k)
      rgb[3 * k] = rgb[3 * k + 1] = rgb[3 * k + 2] = static_cast<std::uint8_t>(resized[k] + 0.5f);
    const fs::path d = fs::path(folder) / ("class_" + std::to_string(c));
    fs::create_directories(d);
    write_jpeg((d / (std::to_string(written[c]++) + ".jpg")).string(), rgb, size);
  }
  return 0;
}

template <std::size_t Size>
int run(const std::string& folder, int epochs, std::size_t workers) {
  auto images = fd::image_folder<Size, Size, 3, fc::ClassLabel<10>>(folder, {.workers = workers});
  const std::size_t n = images.size();
  const fd::Augmentation post{.rotation_range = 20, .width_shift_range = 0.2,
                              .height_shift_range = 0.2, .shear_range = 0.2, .zoom_range = 0.2,
                              .horizontal_flip = true, .fill_mode = fd::fill_mode::nearest};
  // After batch, so that the workers share each batch's images (the same draws per image as
  // before batch, and as one thread).
  auto pipeline = std::move(images) | fd::shuffle(n, fc::Seed{1}) | fd::batch<32>() |
                  fd::augment(post, fc::Seed{2}, fd::Parallel{std::max<std::size_t>(workers, 1)});
  double best = 1e30;
  double checksum = 0;
  for (int e = 0; e <= epochs; ++e) {  // epoch 0 warms the page cache
    const auto start = std::chrono::steady_clock::now();
    std::size_t seen = 0;
    for (const auto& b : pipeline) {
      seen += b.size();
      checksum += b.x_data()[0];
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (seen != n) return 1;
    if (e > 0) best = std::min(best, took.count());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("bench_image_pipeline: %zu JPEG files of %zux%zu, decode + resize + augment + "
              "batch<32>, %zu decode workers, best of %d epochs (checksum %.0f)\n",
              n, Size, Size, workers, epochs, checksum);
  std::printf("result fitcheck_%zu_w%zu %.1f\n", Size, workers, double(n) / best);
  std::printf("result fitcheck_%zu_w%zu_peak_rss_mib %.1f\n", Size, workers,
              double(usage.ru_maxrss) / 1024);
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "write" && argc == 5)
    return write_tree(argv[2], std::strtoul(argv[3], nullptr, 10), std::strtoul(argv[4], nullptr, 10));
  if (mode == "run" && argc >= 4) {
    const std::size_t size = std::strtoul(argv[3], nullptr, 10);
    const int epochs = argc > 4 ? std::atoi(argv[4]) : 3;
    const std::size_t workers = argc > 5 ? std::strtoul(argv[5], nullptr, 10) : 0;
    if (size == 28) return run<28>(argv[2], epochs, workers);
    if (size == 224) return run<224>(argv[2], epochs, workers);
  }
  std::fprintf(stderr,
               "usage: bench_image_pipeline write <folder> <size> <per_class>\n"
               "       bench_image_pipeline run <folder> <28|224> [epochs] [workers]\n");
  return 2;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
