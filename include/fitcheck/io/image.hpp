// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Images from files into a model's input: decoding (JPEG through libjpeg-turbo's libjpeg API,
// PNG through libpng's simplified API) into 8-bit samples with the channel count asked for, and
// the bilinear resize of Keras' image_dataset_from_directory (tf.image.resize with half-pixel
// centres and no antialiasing, which is also PyTorch's interpolate(align_corners=False)), with
// its optional centre crop to the target's aspect ratio.
//
// The decoders are optional dependencies: fitcheck's CMake target links them and defines
// FITCHECK_WITH_JPEG / FITCHECK_WITH_PNG when it finds them (Debian: libjpeg62-turbo-dev,
// libpng-dev); without one, a file of that format is a data_error saying what to install.
// Channel conversions are the decoders' own, as TensorFlow's decode_image with `channels` uses
// the same libraries: gray to RGB repeats the value, colour to gray is libjpeg's luma (Y of
// YCbCr) or libpng's, and an alpha channel is dropped (PNG: composited onto black by libpng) or
// added as opaque.
//
// A corrupt or truncated file is a data_error naming the file and the decoder's reason; libjpeg's
// warnings ("Premature end of JPEG file") count as errors, as in TensorFlow's decode_jpeg.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#if defined(FITCHECK_WITH_JPEG)
#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers

#include <jpeglib.h>
#endif
#if defined(FITCHECK_WITH_PNG)
#include <png.h>
#endif

#include <fitcheck/core/error.hpp>

namespace fitcheck::io {

/// What a file holds, by its first bytes (not its name).
enum class image_format : std::uint8_t { jpeg, png, gif, bmp, unknown };

/// The format `bytes` start with.
[[nodiscard]] inline image_format sniff_image(std::span<const std::byte> bytes) noexcept {
  const auto at = [&](std::size_t i) {
    return i < bytes.size() ? std::to_integer<unsigned>(bytes[i]) : 0x100u;
  };
  if (at(0) == 0xFF && at(1) == 0xD8 && at(2) == 0xFF) return image_format::jpeg;
  if (at(0) == 0x89 && at(1) == 'P' && at(2) == 'N' && at(3) == 'G') return image_format::png;
  if (at(0) == 'G' && at(1) == 'I' && at(2) == 'F' && at(3) == '8') return image_format::gif;
  if (at(0) == 'B' && at(1) == 'M') return image_format::bmp;
  return image_format::unknown;
}

/// An image decoded to 8-bit samples: rows top to bottom, channels interleaved (HWC).
struct image {
  std::size_t height = 0;              ///< rows
  std::size_t width = 0;               ///< columns
  std::size_t channels = 0;            ///< 1 gray, 3 RGB, 4 RGBA
  std::vector<std::uint8_t> pixels{};  ///< height x width x channels samples
};

namespace detail {

[[noreturn]] inline void image_fail(const std::string& file, const std::string& problem,
                                    std::string fix) {
  throw data_error(file + ": " + problem, std::move(fix));
}

inline const char* corrupt_image_fix() {
  return "the file is damaged or truncated (an interrupted copy?): replace it or delete it";
}

#if defined(FITCHECK_WITH_JPEG)
// libjpeg reports errors through a callback that must not return: it jumps back to the decoder
// with longjmp. The frame between setjmp and longjmp holds only trivially destructible objects.
struct jpeg_failure {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

extern "C" inline void fitcheck_jpeg_error_exit(j_common_ptr info) {
  auto* failure = reinterpret_cast<jpeg_failure*>(info->err);
  (*info->err->format_message)(info, failure->message);
  std::longjmp(failure->jump, 1);
}

// Warnings (level -1: corrupt data libjpeg could skip over) are failures too; trace messages
// (level >= 0) are ignored.
extern "C" inline void fitcheck_jpeg_emit_message(j_common_ptr info, int level) {
  if (level < 0) fitcheck_jpeg_error_exit(info);
}

// Decodes into `out` (resized through `grow`, which returns the buffer for h x w x c samples);
// returns false with the reason in `message`.
using jpeg_grow = std::uint8_t* (*)(void* context, std::size_t h, std::size_t w, std::size_t c);
inline bool jpeg_decode(const unsigned char* data, std::size_t size, std::size_t channels,
                        jpeg_grow grow, void* context, char (&message)[JMSG_LENGTH_MAX]) {
  jpeg_decompress_struct info;
  jpeg_failure failure;
  info.err = jpeg_std_error(&failure.manager);
  failure.manager.error_exit = fitcheck_jpeg_error_exit;
  failure.manager.emit_message = fitcheck_jpeg_emit_message;
  failure.message[0] = '\0';
  if (setjmp(failure.jump) != 0) {
    jpeg_destroy_decompress(&info);
    std::memcpy(message, failure.message, sizeof failure.message);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, data, static_cast<unsigned long>(size));
  jpeg_read_header(&info, TRUE);
  // Four channels: RGB, widened below (libjpeg-turbo's JCS_EXT_RGBA is not in every libjpeg).
  info.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  std::uint8_t* pixels = nullptr;
  try {
    pixels = grow(context, info.output_height, info.output_width, channels);
  } catch (...) {
    jpeg_destroy_decompress(&info);
    throw;
  }
  const std::size_t decoded = channels == 1 ? 1 : 3;
  const std::size_t stride = std::size_t{info.output_width} * channels;
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = pixels + std::size_t{info.output_scanline} * stride;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  const std::size_t rows = info.output_height, columns = info.output_width;
  jpeg_destroy_decompress(&info);
  if (channels == 4) {
    // Each row holds RGB in its first 3/4: spread it out from the back, adding opaque alpha.
    for (std::size_t r = 0; r < rows; ++r) {
      std::uint8_t* row = pixels + r * stride;
      for (std::size_t x = columns; x-- > 0;) {
        row[4 * x + 3] = 255;
        row[4 * x + 2] = row[decoded * x + 2];
        row[4 * x + 1] = row[decoded * x + 1];
        row[4 * x + 0] = row[decoded * x + 0];
      }
    }
  }
  return true;
}
#endif

}  // namespace detail

/// Decodes `bytes`, the content of `file` (JPEG or PNG, told apart by content), into `out` with
/// `channels` channels (1, 3 or 4). `out`'s buffer is reused: decoding image after image into
/// one `image` allocates only when an image is larger than any before. A format fitcheck does
/// not decode, a decoder this build lacks, or a corrupt file is a data_error naming `file`.
inline void decode_image(std::span<const std::byte> bytes, std::size_t channels,
                         const std::string& file, image& out) {
  if (channels != 1 && channels != 3 && channels != 4)
    throw argument_error("decode_image: " + std::to_string(channels) + " channels",
                         "ask for 1 (grayscale), 3 (RGB) or 4 (RGBA)");
  const auto grow = [](void* context, std::size_t h, std::size_t w, std::size_t c) {
    auto& img = *static_cast<image*>(context);
    img.height = h;
    img.width = w;
    img.channels = c;
    img.pixels.resize(h * w * c);
    return img.pixels.data();
  };
  (void)grow;  // unused in a build without decoders
  (void)out;
  switch (sniff_image(bytes)) {
    case image_format::jpeg: {
#if defined(FITCHECK_WITH_JPEG)
      char message[JMSG_LENGTH_MAX];
      if (!detail::jpeg_decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                               channels, grow, &out, message))
        detail::image_fail(file, std::string("is a corrupt JPEG file (libjpeg: ") + message + ")",
                           detail::corrupt_image_fix());
      return;
#else
      detail::image_fail(file, "is a JPEG file, and this build of fitcheck has no JPEG decoder",
                         "install libjpeg62-turbo-dev and build with fitcheck's CMake target (it "
                         "defines FITCHECK_WITH_JPEG and links libjpeg)");
#endif
    }
    case image_format::png: {
#if defined(FITCHECK_WITH_PNG)
      png_image png{};
      png.version = PNG_IMAGE_VERSION;
      if (png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()) == 0)
        detail::image_fail(file, std::string("is a corrupt PNG file (libpng: ") + png.message + ")",
                           detail::corrupt_image_fix());
      png.format = channels == 1 ? PNG_FORMAT_GRAY : channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_RGBA;
      std::uint8_t* pixels = grow(&out, png.height, png.width, channels);
      if (png_image_finish_read(&png, nullptr, pixels, 0, nullptr) == 0) {
        const std::string reason = png.message;
        png_image_free(&png);
        detail::image_fail(file, "is a corrupt PNG file (libpng: " + reason + ")",
                           detail::corrupt_image_fix());
      }
      return;
#else
      detail::image_fail(file, "is a PNG file, and this build of fitcheck has no PNG decoder",
                         "install libpng-dev and build with fitcheck's CMake target (it defines "
                         "FITCHECK_WITH_PNG and links libpng)");
#endif
    }
    case image_format::gif:
    case image_format::bmp:
      detail::image_fail(file,
                         std::string("is a ") +
                             (sniff_image(bytes) == image_format::gif ? "GIF" : "BMP") +
                             " file; fitcheck decodes JPEG and PNG",
                         "convert it to PNG (lossless), e.g. with ImageMagick: mogrify -format "
                         "png *.gif");
    case image_format::unknown:
      break;
  }
  detail::image_fail(file, "is not a JPEG or PNG image (its first bytes are neither format's)",
                     "pass image files, or remove the file from the folder");
}

/// The rows and columns of `src` that a centre crop to `height`:`width`'s aspect ratio keeps
/// (Keras' crop_to_aspect_ratio), as {top, left, rows, columns}.
struct crop_box {
  std::size_t top = 0;      ///< first row kept
  std::size_t left = 0;     ///< first column kept
  std::size_t rows = 0;     ///< rows kept
  std::size_t columns = 0;  ///< columns kept
};

/// The largest centred window of `src` with the aspect ratio of `height` x `width`.
[[nodiscard]] inline crop_box aspect_crop(const image& src, std::size_t height,
                                          std::size_t width) noexcept {
  // Keras (smart_resize): crop_height = min(h, w * H / W), crop_width = min(w, h * W / H),
  // truncated toward zero, centred with the odd pixel on the far side.
  const std::size_t rows = std::min(src.height, src.width * height / width);
  const std::size_t columns = std::min(src.width, src.height * width / height);
  return {(src.height - rows) / 2, (src.width - columns) / 2, std::max<std::size_t>(rows, 1),
          std::max<std::size_t>(columns, 1)};
}

/// Resizes the `box` of `src` to `height` x `width` x src.channels floats (values 0-255) in
/// `out`, bilinear with half-pixel centres: output pixel (y, x) samples the source at
/// ((y + 0.5) rows / height - 0.5, (x + 0.5) columns / width - 0.5), clamped to the edges. Equal
/// sizes copy exactly.
inline void resize_bilinear(const image& src, crop_box box, std::size_t height, std::size_t width,
                            float* out) noexcept {
  const std::size_t c = src.channels;
  const std::size_t stride = src.width * c;
  const std::uint8_t* base = src.pixels.data() + box.top * stride + box.left * c;
  if (box.rows == height && box.columns == width) {  // no resize: every sample lands on a pixel
    for (std::size_t y = 0; y < height; ++y)
      for (std::size_t x = 0; x < width * c; ++x) *out++ = static_cast<float>(base[y * stride + x]);
    return;
  }
  const float sy = static_cast<float>(box.rows) / static_cast<float>(height);
  const float sx = static_cast<float>(box.columns) / static_cast<float>(width);
  const auto clamp = [](float v, std::size_t n) {
    return std::min(static_cast<std::size_t>(std::max(v, 0.0f)), n - 1);
  };
  for (std::size_t y = 0; y < height; ++y) {
    const float in_y = (static_cast<float>(y) + 0.5f) * sy - 0.5f;
    const float fy = std::floor(in_y);
    const std::size_t y0 = clamp(fy, box.rows), y1 = clamp(std::ceil(in_y), box.rows);
    const float wy = in_y - fy;
    const std::uint8_t* r0 = base + y0 * stride;
    const std::uint8_t* r1 = base + y1 * stride;
    for (std::size_t x = 0; x < width; ++x) {
      const float in_x = (static_cast<float>(x) + 0.5f) * sx - 0.5f;
      const float fx = std::floor(in_x);
      const std::size_t x0 = clamp(fx, box.columns) * c, x1 = clamp(std::ceil(in_x), box.columns) * c;
      const float wx = in_x - fx;
      for (std::size_t k = 0; k < c; ++k) {
        const float top = float(r0[x0 + k]) + (float(r0[x1 + k]) - float(r0[x0 + k])) * wx;
        const float bottom = float(r1[x0 + k]) + (float(r1[x1 + k]) - float(r1[x0 + k])) * wx;
        *out++ = top + (bottom - top) * wy;
      }
    }
  }
}

}  // namespace fitcheck::io
