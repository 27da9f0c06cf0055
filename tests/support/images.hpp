// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Image encoders for tests: PNG (libpng's simplified API) and JPEG (libjpeg), in memory, so
// tests write the images they decode. Needs FITCHECK_WITH_PNG / FITCHECK_WITH_JPEG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <jpeglib.h>
#include <png.h>

namespace fitcheck::test {

/// `pixels` (h x w x c, c in 1..4) as a PNG file's bytes.
inline std::vector<std::byte> encode_png(const std::vector<std::uint8_t>& pixels, std::size_t h,
                                         std::size_t w, std::size_t c) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = static_cast<png_uint_32>(w);
  img.height = static_cast<png_uint_32>(h);
  img.format = c == 1 ? PNG_FORMAT_GRAY : c == 2 ? PNG_FORMAT_GA : c == 3 ? PNG_FORMAT_RGB
                                                                           : PNG_FORMAT_RGBA;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&img, nullptr, &size, 0, pixels.data(), 0, nullptr))
    throw std::runtime_error(img.message);
  std::vector<std::byte> out(size);
  if (!png_image_write_to_memory(&img, out.data(), &size, 0, pixels.data(), 0, nullptr))
    throw std::runtime_error(img.message);
  out.resize(size);
  return out;
}

/// `pixels` (h x w x c, c 1 or 3) as a baseline JPEG file's bytes at `quality`.
inline std::vector<std::byte> encode_jpeg(const std::vector<std::uint8_t>& pixels, std::size_t h,
                                          std::size_t w, std::size_t c, int quality = 95) {
  jpeg_compress_struct info;
  jpeg_error_mgr err;
  info.err = jpeg_std_error(&err);  // test inputs are valid: libjpeg's default exits on error
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(w);
  info.image_height = static_cast<JDIMENSION>(h);
  info.input_components = static_cast<int>(c);
  info.in_color_space = c == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(pixels.data() + std::size_t{info.next_scanline} * w * c);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::vector<std::byte> out(reinterpret_cast<std::byte*>(buffer),
                             reinterpret_cast<std::byte*>(buffer) + size);
  std::free(buffer);
  return out;
}

}  // namespace fitcheck::test
