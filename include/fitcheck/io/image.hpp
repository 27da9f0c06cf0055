// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Images from files into a model's input: decoding (JPEG through libjpeg-turbo's libjpeg API,
// PNG through libpng's simplified API, GIF through giflib, BMP by fitcheck) into 8-bit samples
// with the channel count asked for, and
// the bilinear resize of Keras' image_dataset_from_directory (tf.image.resize with half-pixel
// centres and no antialiasing, which is also PyTorch's interpolate(align_corners=False)), with
// its optional centre crop to the target's aspect ratio.
//
// The decoders are optional dependencies: fitcheck's CMake target links them and defines
// FITCHECK_WITH_JPEG / FITCHECK_WITH_PNG / FITCHECK_WITH_GIF when it finds them (Debian:
// libjpeg62-turbo-dev, libpng-dev, libgif-dev); without one, a file of that format is a
// data_error saying what to install. A GIF is its first frame, as TensorFlow's decode_image with
// expand_animations=False (what Keras' image_dataset_from_directory calls): on a canvas of the
// logical screen's size, black where the frame does not reach or is transparent.
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
#if defined(FITCHECK_WITH_GIF)
#include <memory>

#include <gif_lib.h>
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

/// The most pixels `decode_image` accepts: PIL's decompression-bomb limit (twice its
/// MAX_IMAGE_PIXELS), 179 megapixels, a 13,000 x 13,000 image.
inline constexpr std::size_t max_image_pixels = 178'956'970;

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

// BMP needs no library: the formats Windows and image tools write, uncompressed (BI_RGB) at 1,
// 4, 8 (palette), 16 (5-5-5), 24 and 32 bits, and BI_BITFIELDS at 16 and 32 bits; rows bottom-up
// (positive height) or top-down. RLE compression is refused with the fix. The pixels are decoded
// to RGBA (alpha 255 unless an alpha mask says otherwise), then to the channels asked for as the
// other decoders do: RGB drops the alpha, gray is the BT.601 luma (libjpeg's weights).
inline std::uint32_t bmp_u32(std::span<const std::byte> b, std::size_t at) noexcept {
  return std::to_integer<std::uint32_t>(b[at]) | std::to_integer<std::uint32_t>(b[at + 1]) << 8 |
         std::to_integer<std::uint32_t>(b[at + 2]) << 16 |
         std::to_integer<std::uint32_t>(b[at + 3]) << 24;
}
inline std::uint32_t bmp_u16(std::span<const std::byte> b, std::size_t at) noexcept {
  return std::to_integer<std::uint32_t>(b[at]) | std::to_integer<std::uint32_t>(b[at + 1]) << 8;
}

// One channel of a BI_BITFIELDS pixel, scaled to 8 bits.
struct bmp_channel {
  std::uint32_t mask = 0;
  unsigned shift = 0, bits = 0;
  explicit bmp_channel(std::uint32_t m) noexcept : mask(m) {
    if (m == 0) return;
    while (((m >> shift) & 1u) == 0) ++shift;
    while (shift + bits < 32 && ((m >> (shift + bits)) & 1u) != 0) ++bits;
  }
  [[nodiscard]] std::uint8_t operator()(std::uint32_t px) const noexcept {
    if (bits == 0) return 255;
    const std::uint32_t v = (px & mask) >> shift;
    const std::uint32_t top = bits >= 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
    return static_cast<std::uint8_t>(bits >= 8 ? v >> (bits - 8) : (v * 255 + top / 2) / top);
  }
};

template <class Grow>
void bmp_decode(std::span<const std::byte> b, std::size_t channels, const std::string& file,
                Grow grow, void* out) {
  const auto corrupt = [&](const std::string& why) {
    image_fail(file, "is a corrupt BMP file (" + why + ")", corrupt_image_fix());
  };
  if (b.size() < 14 + 16) corrupt("its headers are cut short");
  const std::size_t offset = bmp_u32(b, 10), header = bmp_u32(b, 14);
  if (header == 12)
    image_fail(file, "is an OS/2 1.x BMP file (12-byte header), which fitcheck does not decode",
               "convert it to PNG (lossless), e.g. with ImageMagick: mogrify -format png *.bmp");
  if (header < 40 || 14 + header > b.size()) corrupt("its header of " + std::to_string(header) +
                                                     " bytes does not fit in the file");
  const auto width = static_cast<std::int32_t>(bmp_u32(b, 18));
  const auto height = static_cast<std::int32_t>(bmp_u32(b, 22));
  const std::uint32_t bpp = bmp_u16(b, 28), compression = bmp_u32(b, 30);
  if (compression == 1 || compression == 2)
    image_fail(file, "is an RLE-compressed BMP file, which fitcheck does not decode",
               "convert it to PNG (lossless), e.g. with ImageMagick: mogrify -format png *.bmp");
  const bool fields = compression == 3;
  if (compression != 0 && !fields)
    corrupt("compression type " + std::to_string(compression) + " is not a BMP compression");
  if (!(bpp == 1 || bpp == 4 || bpp == 8 || bpp == 16 || bpp == 24 || bpp == 32) ||
      (fields && bpp != 16 && bpp != 32))
    corrupt(std::to_string(bpp) + " bits per pixel" + (fields ? " with bit fields" : ""));
  constexpr std::int64_t limit = std::int64_t{1} << 15;  // 32768 x 32768: larger is no photo
  if (width <= 0 || height == 0 || width > limit || height > limit || height < -limit)
    corrupt("a size of " + std::to_string(width) + " x " + std::to_string(height));
  const std::size_t w = std::size_t(width), h = std::size_t(height < 0 ? -std::int64_t(height)
                                                                       : height);
  // The masks: in the header from V2 on, else right after a 40-byte header.
  std::uint32_t masks[4] = {0, 0, 0, 0};
  if (fields) {
    const std::size_t at = 14 + 40;
    if (at + 12 > b.size()) corrupt("its bit-field masks are cut short");
    for (std::size_t k = 0; k < 3; ++k) masks[k] = bmp_u32(b, at + 4 * k);
    if (header >= 56 && at + 16 <= b.size()) masks[3] = bmp_u32(b, at + 12);
  } else if (bpp == 16) {
    masks[0] = 0x7C00;
    masks[1] = 0x03E0;
    masks[2] = 0x001F;
  } else if (bpp == 32) {
    masks[0] = 0x00FF0000;
    masks[1] = 0x0000FF00;
    masks[2] = 0x000000FF;
  }
  const bmp_channel red(masks[0]), green(masks[1]), blue(masks[2]), alpha(masks[3]);
  // The palette: after the header (and a 40-byte header's masks).
  std::size_t palette_at = 14 + header + (fields && header == 40 ? 12 : 0), colours = 0;
  if (bpp <= 8) {
    colours = bmp_u32(b, 46) != 0 ? bmp_u32(b, 46) : std::size_t{1} << bpp;
    if (colours > (std::size_t{1} << bpp) || palette_at + 4 * colours > b.size())
      corrupt("its palette of " + std::to_string(colours) + " colours does not fit");
  }
  const std::size_t stride = (w * bpp + 31) / 32 * 4;
  if (offset > b.size() || (b.size() - offset) / stride < h)
    corrupt("the pixels need " + std::to_string(stride * h) + " bytes from offset " +
            std::to_string(offset) + ", the file holds " + std::to_string(b.size()));
  std::uint8_t* pixels = grow(out, h, w, channels);
  for (std::size_t r = 0; r < h; ++r) {
    const std::size_t row = offset + (height > 0 ? h - 1 - r : r) * stride;
    for (std::size_t x = 0; x < w; ++x) {
      std::uint8_t rgba[4] = {0, 0, 0, 255};
      if (bpp <= 8) {
        const std::size_t bit = x * bpp;
        const unsigned byte = std::to_integer<unsigned>(b[row + bit / 8]);
        const std::size_t index = (byte >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
        if (index >= colours)
          corrupt("pixel (" + std::to_string(r) + ", " + std::to_string(x) + ") uses colour " +
                  std::to_string(index) + " of a palette of " + std::to_string(colours));
        const std::size_t at = palette_at + 4 * index;
        for (std::size_t k = 0; k < 3; ++k) rgba[k] = std::to_integer<std::uint8_t>(b[at + 2 - k]);
      } else if (bpp == 24) {
        const std::size_t at = row + 3 * x;
        for (std::size_t k = 0; k < 3; ++k) rgba[k] = std::to_integer<std::uint8_t>(b[at + 2 - k]);
      } else {
        const std::uint32_t px = bpp == 16 ? bmp_u16(b, row + 2 * x) : bmp_u32(b, row + 4 * x);
        rgba[0] = red(px);
        rgba[1] = green(px);
        rgba[2] = blue(px);
        rgba[3] = alpha(px);
      }
      std::uint8_t* dst = pixels + (r * w + x) * channels;
      if (channels == 1) {
        dst[0] = static_cast<std::uint8_t>((299u * rgba[0] + 587u * rgba[1] + 114u * rgba[2] + 500u) /
                                           1000u);
      } else {
        for (std::size_t k = 0; k < channels; ++k) dst[k] = rgba[k];
      }
    }
  }
}

#if defined(FITCHECK_WITH_GIF)
struct gif_source {
  const GifByteType* data;
  std::size_t size;
  std::size_t at;
};

// giflib's read callback: copies what is left, so a truncated file reads short and giflib fails
// with its own reason.
extern "C" inline int fitcheck_gif_read(GifFileType* gif, GifByteType* to, int n) {
  auto* src = static_cast<gif_source*>(gif->UserData);
  const std::size_t k = std::min(static_cast<std::size_t>(n), src->size - src->at);
  std::memcpy(to, src->data + src->at, k);
  src->at += k;
  return static_cast<int>(k);
}

struct gif_closer {
  void operator()(GifFileType* gif) const noexcept { DGifCloseFile(gif, nullptr); }
};

// The first frame of a GIF, composited onto a black canvas of the logical screen's size (grown
// if the frame reaches past it, as browsers do).
template <class Grow>
void gif_decode(std::span<const std::byte> b, std::size_t channels, const std::string& file,
                Grow grow, void* out) {
  const auto corrupt = [&](const std::string& why) {
    image_fail(file, "is a corrupt GIF file (" + why + ")", corrupt_image_fix());
  };
  gif_source src{reinterpret_cast<const GifByteType*>(b.data()), b.size(), 0};
  int code = 0;
  const std::unique_ptr<GifFileType, gif_closer> gif(DGifOpen(&src, fitcheck_gif_read, &code));
  const auto giflib = [&](int error) {
    const char* reason = GifErrorString(error);
    corrupt(std::string("giflib: ") + (reason != nullptr ? reason : "unknown error"));
  };
  if (!gif) giflib(code);
  int transparent = NO_TRANSPARENT_COLOR;
  for (;;) {
    GifRecordType type{};
    if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR) giflib(gif->Error);
    if (type == TERMINATE_RECORD_TYPE) corrupt("it holds no image");
    if (type == EXTENSION_RECORD_TYPE) {
      int function = 0;
      GifByteType* block = nullptr;
      if (DGifGetExtension(gif.get(), &function, &block) == GIF_ERROR) giflib(gif->Error);
      if (function == GRAPHICS_EXT_FUNC_CODE && block != nullptr) {
        GraphicsControlBlock control{};
        if (DGifExtensionToGCB(block[0], block + 1, &control) == GIF_OK)
          transparent = control.TransparentColor;
      }
      while (block != nullptr)
        if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR) giflib(gif->Error);
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) continue;
    if (DGifGetImageDesc(gif.get()) == GIF_ERROR) giflib(gif->Error);
    break;
  }
  const GifImageDesc& frame = gif->Image;
  const ColorMapObject* colours = frame.ColorMap != nullptr ? frame.ColorMap : gif->SColorMap;
  if (colours == nullptr) corrupt("its first frame has no colour table");
  if (frame.Left < 0 || frame.Top < 0 || frame.Width <= 0 || frame.Height <= 0)
    corrupt("its first frame is " + std::to_string(frame.Width) + " x " +
            std::to_string(frame.Height) + " pixels at (" + std::to_string(frame.Left) + ", " +
            std::to_string(frame.Top) + ")");
  const auto left = static_cast<std::size_t>(frame.Left), top = static_cast<std::size_t>(frame.Top);
  const auto fw = static_cast<std::size_t>(frame.Width);
  const auto fh = static_cast<std::size_t>(frame.Height);
  const std::size_t w = std::max(static_cast<std::size_t>(std::max(gif->SWidth, 0)), left + fw);
  const std::size_t h = std::max(static_cast<std::size_t>(std::max(gif->SHeight, 0)), top + fh);
  std::uint8_t* pixels = grow(out, h, w, channels);
  std::fill(pixels, pixels + h * w * channels, std::uint8_t{0});
  std::vector<GifPixelType> line(fw);
  // Interlaced frames store every 8th row from 0, every 8th from 4, every 4th from 2, then every
  // 2nd from 1.
  constexpr std::size_t first[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
  const std::size_t passes = frame.Interlace ? 4 : 1;
  for (std::size_t pass = 0; pass < passes; ++pass) {
    const std::size_t from = frame.Interlace ? first[pass] : 0;
    const std::size_t by = frame.Interlace ? step[pass] : 1;
    for (std::size_t y = from; y < fh; y += by) {
      if (DGifGetLine(gif.get(), line.data(), static_cast<int>(fw)) == GIF_ERROR)
        giflib(gif->Error);
      for (std::size_t x = 0; x < fw; ++x) {
        const int index = line[x];
        if (index == transparent) continue;
        if (index >= colours->ColorCount)
          corrupt("pixel (" + std::to_string(y) + ", " + std::to_string(x) + ") uses colour " +
                  std::to_string(index) + " of a table of " + std::to_string(colours->ColorCount));
        const GifColorType c = colours->Colors[index];
        std::uint8_t* dst = pixels + ((top + y) * w + left + x) * channels;
        if (channels == 1) {
          dst[0] = static_cast<std::uint8_t>(
              (299u * c.Red + 587u * c.Green + 114u * c.Blue + 500u) / 1000u);
        } else {
          dst[0] = c.Red;
          dst[1] = c.Green;
          dst[2] = c.Blue;
          if (channels == 4) dst[3] = 255;
        }
      }
    }
  }
}
#endif

}  // namespace detail

/// Decodes `bytes`, the content of `file` (JPEG, PNG, GIF or BMP, told apart by content; a GIF's
/// first frame), into `out` with `channels` channels (1, 3 or 4). `out`'s buffer is reused:
/// decoding image after image into one `image` allocates only when an image is larger than any
/// before. A format fitcheck does not decode, a decoder this build lacks, a corrupt file, or one
/// whose header claims more than `max_image_pixels` is a data_error naming `file`.
inline void decode_image(std::span<const std::byte> bytes, std::size_t channels,
                         const std::string& file, image& out) {
  if (channels != 1 && channels != 3 && channels != 4)
    throw argument_error("decode_image: " + std::to_string(channels) + " channels",
                         "ask for 1 (grayscale), 3 (RGB) or 4 (RGBA)");
  struct target {
    image& img;
    const std::string& file;
  } into{out, file};
  // Every decoder calls `grow` with the header's size before it writes a pixel: the size is
  // checked there, so a corrupt 40-byte file cannot make it allocate gigabytes.
  const auto grow = [](void* context, std::size_t h, std::size_t w, std::size_t c) {
    auto& t = *static_cast<target*>(context);
    if (h == 0 || w == 0 || h > max_image_pixels / w)
      detail::image_fail(t.file,
                         "claims an image of " + std::to_string(h) + " x " + std::to_string(w) +
                             " pixels; fitcheck decodes at most " +
                             std::to_string(max_image_pixels) +
                             " (a corrupt header, or a decompression bomb)",
                         "if the image is real, downscale it first (e.g. ImageMagick: mogrify "
                         "-resize '8192x8192>' FILE); otherwise replace or delete the file");
    t.img.height = h;
    t.img.width = w;
    t.img.channels = c;
    t.img.pixels.resize(h * w * c);
    return t.img.pixels.data();
  };
  (void)grow;  // unused in a build without decoders
  switch (sniff_image(bytes)) {
    case image_format::jpeg: {
#if defined(FITCHECK_WITH_JPEG)
      char message[JMSG_LENGTH_MAX];
      if (!detail::jpeg_decode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                               channels, grow, &into, message))
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
      std::uint8_t* pixels = nullptr;
      try {
        pixels = grow(&into, png.height, png.width, channels);
      } catch (...) {
        png_image_free(&png);
        throw;
      }
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
    case image_format::bmp:
      detail::bmp_decode(bytes, channels, file, grow, &into);
      return;
    case image_format::gif:
#if defined(FITCHECK_WITH_GIF)
      detail::gif_decode(bytes, channels, file, grow, &into);
      return;
#else
      detail::image_fail(file, "is a GIF file, and this build of fitcheck has no GIF decoder",
                         "install libgif-dev and build with fitcheck's CMake target (it defines "
                         "FITCHECK_WITH_GIF and links giflib)");
#endif
    case image_format::unknown:
      break;
  }
  detail::image_fail(file, "is not a JPEG, PNG, GIF or BMP image (its first bytes are none of them)",
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
