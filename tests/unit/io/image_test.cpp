// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Image decoding (JPEG, PNG, GIF, BMP) into the channels asked for, corrupt files, and the bilinear
// resize with half-pixel centres and Keras' aspect-ratio crop, checked on hand-computed values.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/io/image.hpp>

#if defined(FITCHECK_WITH_JPEG) && defined(FITCHECK_WITH_PNG)
#include <support/images.hpp>
#endif

namespace io_image_test {

namespace fc = fitcheck;
namespace fio = fitcheck::io;
using fitcheck::test::message_of;

namespace {

std::vector<std::byte> as_bytes(const std::string& s) {
  std::vector<std::byte> out;
  for (char ch : s) out.push_back(static_cast<std::byte>(ch));
  return out;
}

fio::image gray(std::size_t h, std::size_t w, std::vector<std::uint8_t> pixels) {
  return {h, w, 1, std::move(pixels)};
}

std::vector<float> resized(const fio::image& src, std::size_t h, std::size_t w, bool crop = false) {
  std::vector<float> out(h * w * src.channels, -1.0f);
  const fio::crop_box box = crop ? fio::aspect_crop(src, h, w)
                                 : fio::crop_box{0, 0, src.height, src.width};
  fio::resize_bilinear(src, box, h, w, out.data());
  return out;
}

}  // namespace

TEST_CASE("image: the format is told by the first bytes") {
  CHECK(fio::sniff_image(as_bytes("\xFF\xD8\xFF\xE0")) == fio::image_format::jpeg);
  CHECK(fio::sniff_image(as_bytes("\x89PNG\r\n")) == fio::image_format::png);
  CHECK(fio::sniff_image(as_bytes("GIF89a")) == fio::image_format::gif);
  CHECK(fio::sniff_image(as_bytes("BM6\x01")) == fio::image_format::bmp);
  CHECK(fio::sniff_image(as_bytes("\xFF\xD8")) == fio::image_format::unknown);
  CHECK(fio::sniff_image({}) == fio::image_format::unknown);
}

TEST_CASE("image: unknown formats, and bad channel counts, are refused") {
  fio::image out;
  const auto text = message_of<fc::data_error>(
      [&] { fio::decode_image(as_bytes("hello"), 3, "notes.txt", out); });
  CHECK(text.find("notes.txt: is not a JPEG, PNG, GIF or BMP image") == 0);
  const auto two = message_of<fc::argument_error>(
      [&] { fio::decode_image(as_bytes("hello"), 2, "x", out); });
  CHECK(two.find("decode_image: 2 channels") == 0);
#if !defined(FITCHECK_WITH_GIF)
  const auto gif = message_of<fc::data_error>(
      [&] { fio::decode_image(as_bytes("GIF89a...."), 3, "a.gif", out); });
  CHECK(gif.find("a.gif: is a GIF file, and this build of fitcheck has no GIF decoder. Fix: "
                 "install libgif-dev") == 0);
#endif
}

#if defined(FITCHECK_WITH_GIF)
namespace {
// A GIF89a written by hand: a screen of `sw` x `sh` with a global colour table, then each frame
// (left, top, width, height, pixels in file order, optional transparent index, optional local
// table, interlace flag). LZW with a clear code before every two pixels keeps the codes 3 bits
// wide, so the encoder stays trivial; giflib decodes it as any other GIF.
struct gif_frame {
  std::uint16_t left, top, width, height;
  std::vector<std::uint8_t> pixels;
  int transparent = -1;
  std::vector<std::uint8_t> local_rgb{};
  bool interlaced = false;
};

std::vector<std::byte> gif(std::uint16_t sw, std::uint16_t sh, const std::vector<std::uint8_t>& rgb,
                           const std::vector<gif_frame>& frames) {
  std::vector<std::byte> out;
  const auto u8 = [&](unsigned v) { out.push_back(static_cast<std::byte>(v & 0xFF)); };
  const auto u16 = [&](unsigned v) { u8(v); u8(v >> 8); };
  const auto table_bits = [](std::size_t colours) {  // size field: 2^(n + 1) entries
    unsigned n = 0;
    while ((std::size_t{2} << n) < colours) ++n;
    return n;
  };
  for (char ch : std::string("GIF89a")) u8(static_cast<unsigned char>(ch));
  u16(sw); u16(sh);
  u8(0x80 | 0x70 | table_bits(rgb.size() / 3)); u8(0); u8(0);
  for (auto v : rgb) u8(v);
  for (const auto& f : frames) {
    if (f.transparent >= 0) {
      u8(0x21); u8(0xF9); u8(4); u8(1); u16(0); u8(static_cast<unsigned>(f.transparent)); u8(0);
    }
    u8(0x2C); u16(f.left); u16(f.top); u16(f.width); u16(f.height);
    u8((f.local_rgb.empty() ? 0 : 0x80 | table_bits(f.local_rgb.size() / 3)) |
       (f.interlaced ? 0x40 : 0));
    for (auto v : f.local_rgb) u8(v);
    u8(2);  // minimum code size: codes 0-3 are pixels, 4 clears, 5 ends
    std::vector<unsigned> codes;
    for (std::size_t i = 0; i < f.pixels.size(); ++i) {
      if (i % 2 == 0) codes.push_back(4);
      codes.push_back(f.pixels[i]);
    }
    codes.push_back(5);
    std::vector<std::uint8_t> data;
    unsigned acc = 0, bits = 0;
    for (unsigned c : codes) {
      acc |= c << bits;
      bits += 3;
      while (bits >= 8) { data.push_back(static_cast<std::uint8_t>(acc & 0xFF)); acc >>= 8; bits -= 8; }
    }
    if (bits > 0) data.push_back(static_cast<std::uint8_t>(acc));
    for (std::size_t at = 0; at < data.size(); at += 255) {
      const std::size_t n = std::min<std::size_t>(255, data.size() - at);
      u8(static_cast<unsigned>(n));
      for (std::size_t k = 0; k < n; ++k) u8(data[at + k]);
    }
    u8(0);
  }
  u8(0x3B);
  return out;
}

const std::vector<std::uint8_t> palette = {0, 0, 0, 200, 10, 20, 5, 150, 30, 0, 0, 255};
}  // namespace

TEST_CASE("image: a GIF is its first frame on a black canvas, transparent pixels black") {
  // A 4 x 3 screen; the first frame covers (1, 1)-(2, 2) with red, green / blue, transparent.
  // The second frame (all red) must not show.
  const auto bytes = gif(4, 3, palette,
                         {{1, 1, 2, 2, {1, 2, 3, 0}, 0}, {0, 0, 4, 3, std::vector<std::uint8_t>(12, 1)}});
  fio::image out;
  fio::decode_image(bytes, 3, "a.gif", out);
  REQUIRE(out.height == 3);
  REQUIRE(out.width == 4);
  REQUIRE(out.channels == 3);
  std::vector<std::uint8_t> want(36, 0);
  const auto put = [&](std::size_t r, std::size_t c, std::uint8_t R, std::uint8_t G, std::uint8_t B) {
    want[(r * 4 + c) * 3] = R; want[(r * 4 + c) * 3 + 1] = G; want[(r * 4 + c) * 3 + 2] = B;
  };
  put(1, 1, 200, 10, 20);
  put(1, 2, 5, 150, 30);
  put(2, 1, 0, 0, 255);
  CHECK(out.pixels == want);

  fio::decode_image(bytes, 4, "a.gif", out);
  REQUIRE(out.channels == 4);
  CHECK(out.pixels[(1 * 4 + 1) * 4 + 3] == 255);
  CHECK(out.pixels[(2 * 4 + 2) * 4 + 3] == 0);  // transparent
  CHECK(out.pixels[0 * 4 + 3] == 0);            // outside the frame
  CHECK(out.pixels[(1 * 4 + 2) * 4 + 1] == 150);

  fio::decode_image(bytes, 1, "a.gif", out);
  REQUIRE(out.channels == 1);
  CHECK(out.pixels[1 * 4 + 1] == (299 * 200 + 587 * 10 + 114 * 20 + 500) / 1000);
  CHECK(out.pixels[2 * 4 + 1] == (114 * 255 + 500) / 1000);
  CHECK(out.pixels[2 * 4 + 2] == 0);
}

TEST_CASE("image: an interlaced GIF's rows land in place, a local colour table wins") {
  // One column of 10 rows, row r holding colour r % 4, stored in the interlaced order.
  std::vector<std::uint8_t> stored;
  for (std::size_t start : {0, 4, 2, 1})
    for (std::size_t r = start; r < 10; r += start == 0 || start == 4 ? 8 : start == 2 ? 4 : 2)
      stored.push_back(static_cast<std::uint8_t>(r % 4));
  REQUIRE(stored.size() == 10);
  const std::vector<std::uint8_t> local = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4};
  gif_frame frame{0, 0, 1, 10, stored};
  frame.local_rgb = local;
  frame.interlaced = true;
  fio::image out;
  fio::decode_image(gif(1, 10, palette, {frame}), 1, "i.gif", out);
  REQUIRE(out.pixels.size() == 10);
  for (std::size_t r = 0; r < 10; ++r) CHECK(out.pixels[r] == r % 4 + 1);
}

TEST_CASE("image: a GIF that cannot be decoded is a data_error that says why") {
  fio::image out;
  const auto good = gif(2, 2, palette, {{0, 0, 2, 2, {1, 2, 3, 1}}});
  const std::vector<std::byte> cut(good.begin(), good.end() - 6);
  const auto truncated = message_of<fc::data_error>([&] { fio::decode_image(cut, 3, "t.gif", out); });
  CHECK(truncated.find("t.gif: is a corrupt GIF file (giflib: ") == 0);
  CHECK(truncated.find("replace it or delete it") != std::string::npos);
  // A table of 2 colours, but the pixels use colour 3.
  const auto index = message_of<fc::data_error>([&] {
    fio::decode_image(gif(2, 1, {0, 0, 0, 9, 9, 9}, {{0, 0, 2, 1, {1, 3}}}), 3, "c.gif", out);
  });
  CHECK(index.find("c.gif: is a corrupt GIF file (pixel (0, 1) uses colour 3 of a table of 2)") == 0);
  const std::vector<std::byte> no_image = {std::byte{'G'}, std::byte{'I'}, std::byte{'F'},
                                           std::byte{'8'}, std::byte{'9'}, std::byte{'a'},
                                           std::byte{1},   std::byte{0},   std::byte{1},
                                           std::byte{0},   std::byte{0},   std::byte{0},
                                           std::byte{0},   std::byte{';'}};
  const auto empty = message_of<fc::data_error>([&] { fio::decode_image(no_image, 3, "e.gif", out); });
  CHECK(empty.find("e.gif: is a corrupt GIF file (it holds no image)") == 0);
  // A frame at (65000, 0) grows the canvas past the limit: refused before the canvas exists.
  const auto huge = message_of<fc::data_error>([&] {
    fio::decode_image(gif(4000, 4000, palette, {{65000, 0, 1, 1, {1}}}), 3, "h.gif", out);
  });
  CHECK(huge.find("h.gif: claims an image of 4000 x 65001 pixels; fitcheck decodes at most "
                  "178956970 (a corrupt header, or a decompression bomb). Fix: if the image is "
                  "real, downscale it first") == 0);
  CHECK(out.pixels.capacity() < 1000);
}
#endif

namespace {
// A BMP with a BITMAPINFOHEADER (or a V4 header when `masks` holds 4 masks), as Windows writes.
std::vector<std::byte> bmp(std::int32_t width, std::int32_t height, std::uint16_t bpp,
                           std::uint32_t compression, const std::vector<std::uint8_t>& pixels,
                           const std::vector<std::uint8_t>& palette = {},
                           const std::vector<std::uint32_t>& masks = {}) {
  std::vector<std::byte> b;
  auto put = [&](std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b.push_back(std::byte(v >> (8 * i) & 0xFF));
  };
  const std::uint32_t header = masks.size() == 4 ? 108 : 40;
  const std::uint32_t extra = masks.size() == 3 ? 12 : 0;
  const std::uint32_t offset = 14 + header + extra + std::uint32_t(palette.size());
  b.push_back(std::byte{'B'});
  b.push_back(std::byte{'M'});
  put(offset + pixels.size(), 4);
  put(0, 4);
  put(offset, 4);
  put(header, 4);
  put(std::uint32_t(width), 4);
  put(std::uint32_t(height), 4);
  put(1, 2);
  put(bpp, 2);
  put(compression, 4);
  put(pixels.size(), 4);
  put(2835, 4);
  put(2835, 4);
  put(palette.size() / 4, 4);
  put(0, 4);
  for (std::uint32_t m : masks) put(m, 4);
  while (b.size() < 14 + header + extra) b.push_back(std::byte{0});
  for (std::uint8_t v : palette) b.push_back(std::byte{v});
  for (std::uint8_t v : pixels) b.push_back(std::byte{v});
  return b;
}
}  // namespace

TEST_CASE("image: BMP files decode at every common depth, bottom-up and top-down") {
  fio::image out;
  // 24 bits, 2 x 2, bottom-up: the file's first row is the image's last. Rows pad to 4 bytes.
  const std::vector<std::uint8_t> bgr = {/* bottom */ 0, 0, 255, 0, 255, 0, 0, 0,
                                         /* top */ 255, 0, 0, 10, 20, 30, 0, 0};
  fio::decode_image(bmp(2, 2, 24, 0, bgr), 3, "a.bmp", out);
  CHECK(out.height == 2);
  CHECK(out.width == 2);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 0, 255, 30, 20, 10, 255, 0, 0, 0, 255, 0});
  // The same top-down (negative height) reads the rows in file order.
  fio::decode_image(bmp(2, -2, 24, 0, bgr), 3, "a.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0, 0, 0, 255, 30, 20, 10});
  // Gray: BT.601 luma, (299 R + 587 G + 114 B) / 1000 rounded.
  fio::decode_image(bmp(2, -2, 24, 0, bgr), 1, "a.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{76, 150, 29, 22});
  // 8-bit palette (blue, green, red, unused per entry), and 1-bit: pixels are palette indices.
  const std::vector<std::uint8_t> palette = {0, 0, 0, 0, 255, 255, 255, 0, 0, 0, 200, 0};
  fio::decode_image(bmp(3, 1, 8, 0, {2, 1, 0, 0}, palette), 3, "p.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{200, 0, 0, 255, 255, 255, 0, 0, 0});
  fio::decode_image(bmp(3, 1, 1, 0, {0b01000000, 0, 0, 0}, {0, 0, 0, 0, 255, 255, 255, 0}), 1,
                    "m.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 255, 0});
  // 4-bit: two pixels a byte, high nibble first.
  fio::decode_image(bmp(2, 1, 4, 0, {0x21, 0, 0, 0}, palette), 3, "n.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{200, 0, 0, 255, 255, 255});
  // 16 bits, 5-5-5: 0x7C00 is full red, scaled 31 -> 255.
  fio::decode_image(bmp(2, 1, 16, 0, {0x00, 0x7C, 0xE0, 0x03}), 3, "h.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{255, 0, 0, 0, 255, 0});
  // 32 bits with bit fields and an alpha mask (V4 header): RGBA kept, RGB drops the alpha.
  const std::vector<std::uint32_t> rgba_masks = {0x000000FF, 0x0000FF00, 0x00FF0000, 0xFF000000};
  fio::decode_image(bmp(1, 1, 32, 3, {10, 20, 30, 40}, {}, rgba_masks), 4, "r.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{10, 20, 30, 40});
  fio::decode_image(bmp(1, 1, 32, 3, {10, 20, 30, 40}, {}, rgba_masks), 3, "r.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{10, 20, 30});
  // 32 bits uncompressed: BGRX, alpha 255.
  fio::decode_image(bmp(1, 1, 32, 0, {10, 20, 30, 0}), 4, "x.bmp", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{30, 20, 10, 255});
  // 16 bits with 5-6-5 bit fields after a 40-byte header.
  fio::decode_image(bmp(1, 1, 16, 3, {0xE0, 0x07, 0, 0}, {}, {0xF800, 0x07E0, 0x001F}), 3, "g.bmp",
                    out);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 255, 0});
}

TEST_CASE("image: a BMP that cannot be decoded is a data_error that says why") {
  fio::image out;
  auto reason = [&](const std::vector<std::byte>& b) {
    return message_of<fc::data_error>([&] { fio::decode_image(b, 3, "b.bmp", out); });
  };
  CHECK(reason(bmp(0, 2, 24, 0, {})).find("b.bmp: is a corrupt BMP file (a size of 0 x 2)") == 0);
  CHECK(reason(bmp(2, 2, 12, 0, std::vector<std::uint8_t>(16))).find("(12 bits per pixel)") !=
        std::string::npos);
  CHECK(reason(bmp(2, 2, 24, 7, std::vector<std::uint8_t>(16))).find(
            "(compression type 7 is not a BMP compression)") != std::string::npos);
  CHECK(reason(bmp(2, 2, 4, 2, std::vector<std::uint8_t>(16), std::vector<std::uint8_t>(8)))
            .find("b.bmp: is an RLE-compressed BMP file, which fitcheck does not decode. Fix: "
                  "convert it to PNG") == 0);
  // 3 colours declared but 2 bits' worth of palette cut off by the end of the file.
  auto cut = bmp(1, 1, 8, 0, {}, {0, 0, 0, 0, 1, 1, 1, 0, 2, 2, 2, 0});
  cut.resize(cut.size() - 6);
  CHECK(reason(cut).find("(its palette of 3 colours does not fit)") != std::string::npos);
}

TEST_CASE("image: bilinear resize with half-pixel centres, on hand-computed values") {
  const fio::image src = gray(2, 2, {0, 100, 200, 255});
  // The same size copies exactly.
  CHECK(resized(src, 2, 2) == std::vector<float>{0, 100, 200, 255});
  // Upscaling 2x: output row y samples source row (y + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25.
  const auto up = resized(src, 4, 4);
  CHECK(std::vector<float>(up.begin(), up.begin() + 4) == std::vector<float>{0, 25, 75, 100});
  CHECK(up[4] == doctest::Approx(50.0));       // 0 + (200 - 0) * 0.25
  CHECK(up[5] == doctest::Approx(72.1875));    // 25 + (213.75 - 25) * 0.25
  CHECK(up[6] == doctest::Approx(116.5625));   // 75 + (241.25 - 75) * 0.25
  CHECK(up[7] == doctest::Approx(138.75));     // 100 + (255 - 100) * 0.25
  CHECK(std::vector<float>(up.begin() + 12, up.end()) == std::vector<float>{200, 213.75f, 241.25f, 255});
  // Downscaling 2x samples the centre of each 2x2 block: its mean.
  const fio::image big = gray(4, 4, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150});
  CHECK(resized(big, 2, 2) == std::vector<float>{25, 45, 105, 125});
  // Channels stay interleaved: an RGB 1x2 image widened to 1x4.
  const fio::image rgb{1, 2, 3, {0, 10, 20, 100, 110, 120}};
  const auto wide = resized(rgb, 1, 4);
  CHECK(wide == std::vector<float>{0, 10, 20, 25, 35, 45, 75, 85, 95, 100, 110, 120});
}

TEST_CASE("image: crop_to_aspect_ratio keeps the largest centred window of the target's shape") {
  const fio::image landscape = gray(4, 6, std::vector<std::uint8_t>(24));
  const auto box = fio::aspect_crop(landscape, 2, 2);
  CHECK(box.top == 0);
  CHECK(box.left == 1);
  CHECK(box.rows == 4);
  CHECK(box.columns == 4);
  const fio::image portrait = gray(5, 3, std::vector<std::uint8_t>(15));
  const auto tall = fio::aspect_crop(portrait, 1, 1);
  CHECK(tall.top == 1);
  CHECK(tall.rows == 3);
  CHECK(tall.columns == 3);
  // A 2x4 image whose centre 2x2 is (10, 20 / 30, 40), to 2x2: cropped, the centre itself;
  // squeezed, the means of column pairs.
  const fio::image strip = gray(2, 4, {0, 10, 20, 0, 0, 30, 40, 0});
  CHECK(resized(strip, 2, 2, true) == std::vector<float>{10, 20, 30, 40});
  CHECK(resized(strip, 2, 2, false) == std::vector<float>{5, 10, 15, 20});
}

#if defined(FITCHECK_WITH_JPEG) && defined(FITCHECK_WITH_PNG)
TEST_CASE("image: PNG decodes exactly, to 1, 3 or 4 channels") {
  const std::vector<std::uint8_t> rgb = {255, 0, 0, 0, 255, 0, 0, 0, 255,
                                         10, 20, 30, 40, 50, 60, 70, 80, 90};  // 2x3
  const auto png = fitcheck::test::encode_png(rgb, 2, 3, 3);
  fio::image out;
  fio::decode_image(png, 3, "rgb.png", out);
  CHECK(out.height == 2);
  CHECK(out.width == 3);
  CHECK(out.channels == 3);
  CHECK(out.pixels == rgb);
  fio::decode_image(png, 4, "rgb.png", out);
  REQUIRE(out.pixels.size() == 24);
  CHECK(out.pixels[3] == 255);   // opaque alpha added
  CHECK(out.pixels[12] == 10);   // second row, first pixel
  // Gray to RGB repeats the value.
  const auto gray_png = fitcheck::test::encode_png({0, 128, 255, 7}, 2, 2, 1);
  fio::decode_image(gray_png, 3, "gray.png", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 0, 0, 128, 128, 128, 255, 255, 255, 7, 7, 7});
  fio::decode_image(gray_png, 1, "gray.png", out);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 128, 255, 7});
  // Colour to gray: libpng's luma of pure red, green, blue (Rec. 709 weights in linear light).
  fio::decode_image(png, 1, "rgb.png", out);
  REQUIRE(out.pixels.size() == 6);
  CHECK(out.pixels[1] > out.pixels[0]);  // green is the brightest primary
  CHECK(out.pixels[0] > out.pixels[2]);  // blue the darkest
}

TEST_CASE("image: decoding into the same image reuses its buffer") {
  const auto big = fitcheck::test::encode_png(std::vector<std::uint8_t>(64 * 64, 9), 64, 64, 1);
  const auto small = fitcheck::test::encode_png(std::vector<std::uint8_t>(8 * 8, 3), 8, 8, 1);
  fio::image out;
  fio::decode_image(big, 1, "big.png", out);
  const std::uint8_t* buffer = out.pixels.data();
  fio::decode_image(small, 1, "small.png", out);
  fio::decode_image(big, 1, "big.png", out);
  CHECK(out.pixels.data() == buffer);
  CHECK(out.pixels[4095] == 9);
}

TEST_CASE("image: JPEG decodes to 1, 3 or 4 channels within its lossy error") {
  std::vector<std::uint8_t> flat(16 * 16 * 3);
  for (std::size_t i = 0; i < flat.size(); ++i) flat[i] = i % 3 == 0 ? 200 : i % 3 == 1 ? 100 : 50;
  const auto jpg = fitcheck::test::encode_jpeg(flat, 16, 16, 3, 100);
  fio::image out;
  fio::decode_image(jpg, 3, "flat.jpg", out);
  REQUIRE(out.pixels.size() == 16 * 16 * 3);
  CHECK(out.height == 16);
  CHECK(std::abs(int(out.pixels[0]) - 200) <= 3);
  CHECK(std::abs(int(out.pixels[1]) - 100) <= 3);
  CHECK(std::abs(int(out.pixels[2]) - 50) <= 3);
  fio::decode_image(jpg, 1, "flat.jpg", out);
  // libjpeg's gray is the luma Y = 0.299 R + 0.587 G + 0.114 B = 124.2.
  CHECK(std::abs(int(out.pixels[100]) - 124) <= 3);
  fio::decode_image(jpg, 4, "flat.jpg", out);
  CHECK(out.pixels.size() == 16 * 16 * 4);
  CHECK(out.pixels[4 * 37 + 3] == 255);
  CHECK(std::abs(int(out.pixels[4 * 37]) - 200) <= 3);
  const auto gray_jpg = fitcheck::test::encode_jpeg(std::vector<std::uint8_t>(64, 77), 8, 8, 1, 100);
  fio::decode_image(gray_jpg, 3, "gray.jpg", out);
  CHECK(std::abs(int(out.pixels[5]) - 77) <= 1);
}

TEST_CASE("image: a truncated or corrupt file is a data_error with the decoder's reason") {
  std::vector<std::uint8_t> noise(32 * 32 * 3);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>(i * 37 % 251);
  fio::image out;
  auto jpg = fitcheck::test::encode_jpeg(noise, 32, 32, 3);
  jpg.resize(jpg.size() / 2);
  const auto cut = message_of<fc::data_error>([&] { fio::decode_image(jpg, 3, "cut.jpg", out); });
  CHECK(cut.find("cut.jpg: is a corrupt JPEG file (libjpeg: Premature end of JPEG file)") == 0);
  CHECK(cut.find("Fix: the file is damaged or truncated") != std::string::npos);
  auto png = fitcheck::test::encode_png(noise, 32, 32, 3);
  auto png_cut = png;
  png_cut.resize(png.size() / 2);
  const auto short_png =
      message_of<fc::data_error>([&] { fio::decode_image(png_cut, 3, "cut.png", out); });
  CHECK(short_png.find("cut.png: is a corrupt PNG file (libpng: ") == 0);
  png[png.size() / 2] ^= std::byte{0x55};  // inside the compressed data: its CRC fails
  const auto flipped = message_of<fc::data_error>([&] { fio::decode_image(png, 3, "bad.png", out); });
  CHECK(flipped.find("bad.png: is a corrupt PNG file (libpng: ") == 0);
  const auto header = message_of<fc::data_error>(
      [&] { fio::decode_image(as_bytes("\x89PNG\r\n\x1a\n"), 3, "head.png", out); });
  CHECK(header.find("head.png: is a corrupt PNG file") == 0);
}
#endif

}  // namespace io_image_test
