// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// libFuzzer target for image decoding: fitcheck's own BMP reader and its wrappers around giflib,
// libpng and libjpeg (whichever the build has), then the resize a decoded image goes through.
// Input: byte 0 picks the channel count (1, 3 or 4) and whether to crop to a 3:5 aspect ratio;
// the rest is the file, copied to a buffer of its exact size so a read past its end is an
// AddressSanitizer report. Passing means: every rejection is a fitcheck::error, never a crash,
// a sanitizer report or another exception; an accepted image has the shape it claims, and its
// resize is finite and within 0-255.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <fitcheck/io/image.hpp>

namespace fc = fitcheck;
namespace fio = fitcheck::io;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  constexpr std::size_t channel_choice[3] = {1, 3, 4};
  const std::size_t channels = channel_choice[data[0] % 3];
  const bool crop = (data[0] & 0x4) != 0;
  std::vector<std::byte> file(size - 1);
  for (std::size_t i = 1; i < size; ++i) file[i - 1] = static_cast<std::byte>(data[i]);
  fio::image img;
  try {
    fio::decode_image(file, channels, "fuzz", img);
  } catch (const fc::error&) {
    return 0;  // a clear rejection
  }
  if (img.channels != channels || img.height == 0 || img.width == 0 ||
      img.pixels.size() != img.height * img.width * img.channels)
    __builtin_trap();
  // Images of tens of megapixels are valid; resizing them adds nothing but time.
  if (img.height * img.width > (1u << 22)) return 0;
  constexpr std::size_t H = 3, W = 5;
  const fio::crop_box box = crop ? fio::aspect_crop(img, H, W)
                                 : fio::crop_box{0, 0, img.height, img.width};
  std::vector<float> out(H * W * channels);
  fio::resize_bilinear(img, box, H, W, out.data());
  for (float v : out)
    if (!std::isfinite(v) || v < 0.0f || v > 255.0f) __builtin_trap();
  return 0;
}
