// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

// In: two IDX files (the format of MNIST and Fashion-MNIST): images (N, H, W) and labels (N),
// gzip'd or not. Out: N Examples, in order.
//
// An IDX file is a 4-byte magic (0, 0, a type code, the dimension count), the dimensions as
// big-endian u32, then the values, big-endian, in C order. Type codes: 0x08 u8, 0x09 i8,
// 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64. A plain file streams in chunks as the pass goes (as
// .npy files do: the same source, NpySource). A gzip'd file (recognised by its first bytes, not
// its name) is inflated into memory once, when the source is made: zlib cannot seek, and the
// data sets that ship gzip'd are the MNIST-sized ones. Inflating needs zlib: the CMake target
// links it when zlib1g-dev is installed (FITCHECK_WITH_ZLIB); without it a gzip'd file is a
// data_error that says so.
//
// Pixels stay 0-255: the model should rescale them (nn::Rescaling<std::ratio<1, 255>>), and the
// data scan warns when it does not [D1].

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>


#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/memory.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/npy.hpp>
#include <fitcheck/io/file.hpp>

namespace fitcheck::data {

namespace detail {

inline const char* idx_fix() {
  return "pass the two files of an IDX data set, images then labels (MNIST, Fashion-MNIST: "
         "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz])";
}

/// Whether `bytes` start as a gzip stream does (1F 8B).
[[nodiscard]] inline bool idx_gzipped(const unsigned char* bytes, std::size_t size) noexcept {
  return size >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
}

/// The bytes of the magic and dimensions the first `size` bytes declare; 0 when too short to say.
[[nodiscard]] std::size_t idx_header_bytes(const unsigned char* bytes,
                                           std::size_t size) noexcept;

/// The header of an IDX file from its first `size` bytes, of `total` in the file: type,
/// shape, where the data starts and how many bytes it needs. Every problem is a data_error
/// naming `file`.
npy_array idx_parse_header(const unsigned char* bytes, std::size_t size, std::string file,
                           std::size_t total);

/// Parses an IDX file from its first `size` bytes, of `total` in the file (SIZE_MAX: `bytes` is
/// the whole file, and the array points into it); from_idx and the fuzzer both use it. Every
/// problem is a data_error naming `file`.
npy_array idx_parse(const unsigned char* bytes, std::size_t size, std::string file,
                    std::size_t total = std::numeric_limits<std::size_t>::max());

#if defined(FITCHECK_WITH_ZLIB)
/// The inflated content of the gzip'd file `path`. The header is inflated first, so the size it
/// declares is checked against the free memory [E1] before the data is inflated; the data is
/// then checked by idx_parse (a stream that ends early reads as a truncated file).
std::vector<unsigned char> idx_inflate(const std::string& path);
#endif

/// Opens `path` (gzip'd or not) and parses its header; plain data is read as passes need it.
npy_array idx_load(const std::string& path);

/// The sample shapes an IDX image array (N, H, W, ...) fits: Features<H, W, ...>, the same
/// with a channel axis of 1 (Features<H, W, 1>), or flat (Features<H * W * ...>).
template <feature_spec F>
void idx_check_images(const npy_array& a) {
  const std::vector<std::size_t> sample(a.shape.begin() + 1, a.shape.end());
  std::vector<std::size_t> want(F::shape::dims.begin(), F::shape::dims.end());
  std::vector<std::size_t> with_channel = sample;
  with_channel.push_back(1);
  std::size_t values = 1;
  for (std::size_t d : sample) values *= d;
  const bool flat = want.size() == 1 && want[0] == values && !sample.empty();
  if (want == sample || want == with_channel || flat) return;
  std::string fits = "Features<";
  for (std::size_t i = 0; i < sample.size(); ++i)
    fits += (i ? ", " : "") + std::to_string(sample[i]);
  throw shape_error(a.file + ": images of shape " + format_shape(a.shape) + " do not match " +
                        npy_features_name<F>() + " (samples first)",
                    "declare " + fits + "> (" + fits + ", 1> with a channel axis, or Features<" +
                        std::to_string(values) + "> flat)");
}

/// Labels (N) for a one-value label kind, (N, K) for a K-value one; integer codes for classes.
template <label_kind L>
void idx_check_labels(const npy_array& a) {
  using V = typename L::value_type;
  if (std::is_integral_v<V> && npy_is_float(a.type))
    npy_fail(a.file, "holds " + a.descr + " values, but class labels are integers",
             "pass the labels file of the data set (type code 0x08, u8)");
  std::vector<std::size_t> want{a.shape[0]};
  want.insert(want.end(), L::shape::dims.begin(), L::shape::dims.end());
  if (a.shape != want)
    throw shape_error(a.file + ": labels of shape " + format_shape(a.shape) +
                          " do not match the label kind: expected " + format_shape(want),
                      std::string("pass the labels file (shape (N) for class labels), or "
                                  "declare the label kind the file holds; ") +
                          idx_fix());
}

}  // namespace detail

/// A dataset of the images and labels of two IDX files (MNIST's format), gzip'd or not:
/// `from_idx<Features<28, 28>, ClassLabel<10>>("train-images-idx3-ubyte.gz",
/// "train-labels-idx1-ubyte.gz")`. Images (N, H, W) fit Features<H, W>, Features<H, W, 1> or
/// Features<H * W>; pixels are not rescaled. Plain files stream in chunks; gzip'd ones are
/// inflated into memory once (needs zlib, see the header's comment). Format problems are
/// `data_error`s naming the file; shapes that do not fit `F` or `L`, or sample counts that
/// differ, are `shape_error`s.
template <feature_spec F, label_kind L>
[[nodiscard]] NpySource<F, L> from_idx(const std::string& images_path,
                                       const std::string& labels_path) {
  detail::npy_array images = detail::idx_load(images_path);
  detail::npy_array labels = detail::idx_load(labels_path);
  detail::idx_check_images<F>(images);
  detail::idx_check_labels<L>(labels);
  return NpySource<F, L>(detail::checked_arrays{}, std::move(images), std::move(labels));
}

}  // namespace fitcheck::data

#if !FITCHECK_SEPARATE
#include <fitcheck/data/idx_impl.hpp>
#endif
