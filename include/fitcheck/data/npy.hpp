// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

// In: two NumPy .npy files, features (N, F...) and labels (N) or (N, label dims...).
// Out: N Examples, in order.
//
// Both files are read in chunks of 256 KiB as a pass goes (pread), so a data set larger than RAM
// streams from the page cache in bounded memory; nothing is read at construction beyond the
// headers. (Not memory-mapped: a mapped file truncated by another process kills the reader
// with SIGBUS; a short read is a data_error.) Features are
// float32 ('<f4'), or float64 ('<f8') converted per element; label dtypes depend on the kind
// (integers for class labels, floats or integers for the others). Values are checked as they
// are read: a non-finite feature or a label the kind does not accept is a data_error naming
// the file and the sample. Only little-endian hosts are supported, like the files numpy writes
// on them.

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/io/file.hpp>

namespace fitcheck::data {

namespace detail {

static_assert(std::endian::native == std::endian::little,
              "from_npy: reads little-endian data in place, so it needs a little-endian host");

/// The element types fitcheck reads from .npy files (little-endian) and IDX files (big-endian:
/// the `be_` ones, and i1).
enum class npy_type : std::uint8_t { f4, f8, u1, i4, i8, i1, be_i2, be_i4, be_f4, be_f8 };

constexpr std::size_t npy_itemsize(npy_type t) noexcept {
  switch (t) {
    case npy_type::u1:
    case npy_type::i1:
      return 1;
    case npy_type::be_i2:
      return 2;
    case npy_type::f4:
    case npy_type::i4:
    case npy_type::be_i4:
    case npy_type::be_f4:
      return 4;
    case npy_type::f8:
    case npy_type::i8:
    case npy_type::be_f8:
      break;
  }
  return 8;
}

constexpr bool npy_is_float(npy_type t) noexcept {
  return t == npy_type::f4 || t == npy_type::f8 || t == npy_type::be_f4 || t == npy_type::be_f8;
}

/// One parsed .npy array: its header's facts and where its data lies.
struct npy_array {
  std::string file;
  npy_type type = npy_type::f4;
  std::string descr;               // as the header spells it, for messages
  std::vector<std::size_t> shape;  // C order
  const unsigned char* data = nullptr;  // the data in memory, or null when read from `source`
  std::size_t data_bytes = 0;
  std::size_t data_offset = 0;  // where the data starts in the file
  // Read from a file: the open file (shared by copies), and its size and modification time when
  // opened, which every pass checks.
  std::shared_ptr<const io::input_file> source;
  std::size_t file_size = 0;
  io::file_stamp opened;
  // Decompressed data (a gzip'd IDX file) that `data` points into, shared by copies.
  std::shared_ptr<const std::vector<unsigned char>> owned;
  // For messages: the format ("a .npy file") and the function that makes a source of it.
  const char* format = "a .npy file";
  const char* maker = "from_npy";

  /// The sample count: the first dimension (1 for a 0-d array).
  [[nodiscard]] std::size_t samples() const noexcept { return shape.empty() ? 1 : shape[0]; }
};

[[noreturn]] inline void npy_fail(const std::string& file, const std::string& problem,
                                  std::string fix) {
  throw data_error(file + ": " + problem, std::move(fix));
}

inline const char* npy_save_fix() {
  return "save the array with numpy.save (np.save(path, array)); .npz archives and pickled "
         "objects are not read";
}

/// Reads the header's Python dict literal: {'descr': '<f4', 'fortran_order': False,
/// 'shape': (150, 4), }. Only what numpy writes is accepted; anything else is malformed.
class npy_header_parser {
public:
  npy_header_parser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  void parse(std::string& descr, bool& fortran, std::vector<std::size_t>& shape) {
    bool seen_descr = false, seen_fortran = false, seen_shape = false;
    skip_space();
    expect('{');
    for (;;) {
      skip_space();
      if (peek() == '}') {
        ++i_;
        break;
      }
      const std::string_view key = string_literal();
      skip_space();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[')
          npy_fail(file_, "the dtype is a structured (record) dtype", "save a plain numeric "
                                                                      "array (one dtype for all "
                                                                      "values)");
        descr = std::string(string_literal());
        once(seen_descr, key);
      } else if (key == "fortran_order") {
        fortran = boolean();
        once(seen_fortran, key);
      } else if (key == "shape") {
        shape = tuple();
        once(seen_shape, key);
      } else {
        malformed("unexpected key '" + std::string(key) + "'");
      }
      skip_space();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() != '}') malformed("expected ',' or '}'");
    }
    skip_space();
    if (i_ != s_.size()) malformed("text after the closing '}'");
    if (!seen_descr) malformed("no 'descr' key");
    if (!seen_fortran) malformed("no 'fortran_order' key");
    if (!seen_shape) malformed("no 'shape' key");
  }

private:
  [[noreturn]] void malformed(const std::string& what) const {
    std::string shown;
    for (char c : s_.substr(0, 96)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
    npy_fail(file_, "malformed header: " + what + " at byte " + std::to_string(i_) +
                        " of the header \"" + shown + (s_.size() > 96 ? "...\"" : "\""),
             npy_save_fix());
  }
  void once(bool& seen, std::string_view key) const {
    if (seen) malformed("the key '" + std::string(key) + "' appears twice");
    seen = true;
  }
  [[nodiscard]] char peek() const noexcept { return i_ < s_.size() ? s_[i_] : '\0'; }
  void skip_space() noexcept {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  void expect(char c) {
    if (peek() != c) malformed(std::string("expected '") + c + "'");
    ++i_;
  }
  std::string_view string_literal() {
    const char q = peek();
    if (q != '\'' && q != '"') malformed("expected a quoted string");
    const std::size_t start = ++i_;
    const std::size_t stop = s_.find(q, start);
    if (stop == std::string_view::npos) malformed("unterminated string");
    i_ = stop + 1;
    return s_.substr(start, stop - start);
  }
  bool boolean() {
    if (s_.substr(i_, 4) == "True") {
      i_ += 4;
      return true;
    }
    if (s_.substr(i_, 5) == "False") {
      i_ += 5;
      return false;
    }
    malformed("expected True or False");
  }
  std::vector<std::size_t> tuple() {
    std::vector<std::size_t> dims;
    expect('(');
    for (;;) {
      skip_space();
      if (peek() == ')') {
        ++i_;
        return dims;
      }
      if (peek() < '0' || peek() > '9') malformed("expected a dimension (a non-negative integer)");
      std::size_t d = 0;
      while (peek() >= '0' && peek() <= '9') {
        const auto digit = static_cast<std::size_t>(peek() - '0');
        if (d > (std::numeric_limits<std::size_t>::max() - digit) / 10)
          malformed("a dimension too large");
        d = d * 10 + digit;
        ++i_;
      }
      if (peek() == 'L') ++i_;  // Python 2 long literals
      dims.push_back(d);
      skip_space();
      if (peek() == ',') {
        ++i_;
        continue;
      }
      if (peek() != ')') malformed("expected ',' or ')' in the shape");
    }
  }

  std::string_view s_;
  const std::string& file_;
  std::size_t i_ = 0;
};

/// The bytes of the prefix and header a .npy file's first `size` bytes declare; 0 when they do
/// not say (too short, or not a version this reads: npy_parse says which).
std::size_t npy_header_bytes(const unsigned char* bytes, std::size_t size) noexcept;

/// Parses a .npy file (format 1.0, 2.0 or 3.0) from its first `size` bytes, of `total` in the
/// file (SIZE_MAX: `bytes` is the whole file, and the array points into it); from_npy and the
/// fuzzer both use it. Every problem is a data_error naming `file`.
npy_array npy_parse(const unsigned char* bytes, std::size_t size, std::string file,
                    std::size_t total = std::numeric_limits<std::size_t>::max());

/// Opens `path` and parses its header; the data is read as passes need it (npy_rows).
npy_array npy_load(const std::string& path);

/// "Features<8, 8>" for messages.
template <feature_spec F>
std::string npy_features_name() {
  std::string out = "Features<";
  for (std::size_t i = 0; i < F::shape::rank; ++i) {
    if (i != 0) out += ", ";
    out += std::to_string(F::shape::dims[i]);
  }
  return out + ">";
}

template <feature_spec F>
void npy_check_features(const npy_array& a) {
  if (!npy_is_float(a.type))
    npy_fail(a.file, "features of dtype '" + a.descr + "' are not read as features",
             "save the features as float32, scaled as the model expects, e.g. "
             "np.save(path, (x / 255).astype(np.float32)) for 8-bit pixels");
  std::vector<std::size_t> want{a.shape.empty() ? 0 : a.shape[0]};
  want.insert(want.end(), F::shape::dims.begin(), F::shape::dims.end());
  if (a.shape != want)
    throw shape_error(a.file + ": features of shape " + format_shape(a.shape) +
                          " do not match " + npy_features_name<F>() + ": expected " +
                          format_shape(want) + " (samples first)",
                      "declare Features with the per-sample shape the data has, or reshape "
                      "the array before saving (x.reshape(len(x), ...))");
}

template <label_kind L>
void npy_check_labels(const npy_array& a) {
  using V = typename L::value_type;
  if (std::is_integral_v<V> && npy_is_float(a.type))
    npy_fail(a.file, "class labels of dtype '" + a.descr + "' (floating point)",
             "save class labels as integers: np.save(path, y.astype(np.int32))");
  const std::size_t n = a.shape.empty() ? 0 : a.shape[0];
  std::vector<std::size_t> want{n};
  want.insert(want.end(), L::shape::dims.begin(), L::shape::dims.end());
  const bool one_column = label_width<L> == 1 && a.shape.size() == 2 && a.shape[1] == 1;
  if (a.shape == want || one_column) return;
  std::string hint;
  if (L::category == label_category::class_index && a.shape.size() == 2 &&
      a.shape[1] == L::classes)
    hint = "; these look like one-hot labels: declare OneHotLabel<" +
           std::to_string(L::classes) + ">, or save np.argmax(y, axis=1)";
  throw shape_error(a.file + ": labels of shape " + format_shape(a.shape) +
                        " do not match the label kind: expected " + format_shape(want) + hint,
                    "save labels of shape (N) for one value per sample, or (N, K) for K "
                    "values");
}

[[nodiscard]] inline std::uint32_t npy_be32(const unsigned char* p) noexcept {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

/// Element `k` of an array as a double (exact for every supported dtype but int64 beyond
/// 2^53, which no label kind accepts anyway).
inline double npy_value(npy_type t, const unsigned char* p, std::size_t k) noexcept {
  switch (t) {
    case npy_type::f4: {
      float v;
      std::memcpy(&v, p + 4 * k, 4);
      return v;
    }
    case npy_type::f8: {
      double v;
      std::memcpy(&v, p + 8 * k, 8);
      return v;
    }
    case npy_type::u1:
      return p[k];
    case npy_type::i4: {
      std::int32_t v;
      std::memcpy(&v, p + 4 * k, 4);
      return v;
    }
    case npy_type::i8: {
      std::int64_t v;
      std::memcpy(&v, p + 8 * k, 8);
      return static_cast<double>(v);
    }
    case npy_type::i1:
      return static_cast<signed char>(p[k]);
    case npy_type::be_i2:
      return static_cast<std::int16_t>(std::uint16_t(p[2 * k] << 8 | p[2 * k + 1]));
    case npy_type::be_i4:
      return static_cast<std::int32_t>(npy_be32(p + 4 * k));
    case npy_type::be_f4:
      return std::bit_cast<float>(npy_be32(p + 4 * k));
    case npy_type::be_f8:
      break;
  }
  return std::bit_cast<double>(std::uint64_t(npy_be32(p + 8 * k)) << 32 | npy_be32(p + 8 * k + 4));
}

/// Sample `i`'s features, at `row`, into `out` (F::size floats); a non-finite value is a
/// data_error.
template <feature_spec F>
void npy_read_features(const npy_array& a, std::size_t i, const unsigned char* row, float* out) {
  if (a.type == npy_type::u1) {  // 8-bit pixels (IDX): every value is finite
    for (std::size_t k = 0; k < F::size; ++k) out[k] = row[k];
    return;
  }
  if (a.type == npy_type::f4) {
    std::memcpy(out, row, F::size * sizeof(float));
    for (std::size_t k = 0; k < F::size; ++k)
      if (!std::isfinite(out[k])) [[unlikely]]
        npy_fail(a.file, "sample " + std::to_string(i) + ", feature " + std::to_string(k) +
                             ": " + format_number(out[k]) + " is not a finite number",
                 "replace missing or infinite values (impute or drop the samples) before "
                 "saving");
    return;
  }
  for (std::size_t k = 0; k < F::size; ++k) {
    const double v = npy_value(a.type, row, k);
    if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max()) [[unlikely]]
      npy_fail(a.file, "sample " + std::to_string(i) + ", feature " + std::to_string(k) + ": " +
                           format_number(v) + " is not a finite float32 number",
               "replace missing or infinite values and rescale values beyond float32's range "
               "before saving");
    out[k] = static_cast<float>(v);
  }
}

/// Sample `i`'s label, at `row`, into `out` (label_width<L> values), each checked with
/// `L::accepts`.
template <label_kind L>
void npy_read_labels(const npy_array& a, std::size_t i, const unsigned char* row,
                     typename L::value_type* out) {
  using V = typename L::value_type;
  constexpr std::size_t width = label_width<L>;
  for (std::size_t k = 0; k < width; ++k) {
    const double v = npy_value(a.type, row, k);
    const std::optional<V> label = label_value_of<L>(v);
    if (label) out[k] = *label;
    if (!label) [[unlikely]]
      npy_fail(a.file,
               "sample " + std::to_string(i) + (width == 1 ? "" : ", value " + std::to_string(k)) +
                   ": label " + format_number(v) + " is not " + L::expected(),
               "fix the labels, or declare the label kind the data has");
  }
  if constexpr (L::category == label_category::one_hot) {
    const auto ones = std::count(out, out + width, V{1});
    if (ones != 1)
      npy_fail(a.file,
               "sample " + std::to_string(i) + ": a one-hot label has " + std::to_string(ones) +
                   " ones; it needs exactly one",
               "give each sample exactly one 1, or use MultiLabel<K> for independent labels");
  }
}

/// An array's rows, in order, for one pass: in place when the array is in memory; from its file
/// otherwise, in chunks read with pread into one buffer (allocated when the pass starts). Not
/// a memory map: a file truncated while mapped kills the process with SIGBUS, while a short
/// read is a data_error naming the file. The pass first checks that the file still has the
/// size and modification time it had when opened.
class npy_rows {
public:
  npy_rows(const npy_array& a, std::size_t row_bytes) : a_(&a), row_bytes_(row_bytes) {
    if (a.data != nullptr) return;
    const io::file_stamp now = a.source->stamp();
    if (now != a.opened)
      npy_fail(a.file,
               "the file changed since it was opened (size " + std::to_string(a.opened.size) +
                   " -> " + std::to_string(now.size) + " bytes" +
                   (now.modified_ns != a.opened.modified_ns ? ", modified again" : "") + ")",
               std::string("do not rewrite ") + a.format +
                   " while a pipeline reads it: save new data to a new file and make a new "
                   "source with " + a.maker);
    constexpr std::size_t chunk_bytes = std::size_t{256} * 1024;
    rows_per_chunk_ = std::max<std::size_t>(1, chunk_bytes / std::max<std::size_t>(row_bytes, 1));
    buffer_.resize(rows_per_chunk_ * row_bytes);
  }

  /// Row i (each pass asks for 0, 1, 2, ...).
  const unsigned char* row(std::size_t i) {
    if (a_->data != nullptr) return a_->data + i * row_bytes_;
    if (i < first_ || i >= first_ + loaded_) load(i);
    return buffer_.data() + (i - first_) * row_bytes_;
  }

private:
  void load(std::size_t i) {
    const std::size_t rows = std::min(rows_per_chunk_, a_->samples() - i);
    const std::size_t want = rows * row_bytes_;
    const std::size_t at = a_->data_offset + i * row_bytes_;
    const std::size_t got = a_->source->read_at(buffer_.data(), want, at);
    if (got != want)
      npy_fail(a_->file,
               "the file ended at byte " + std::to_string(at + got) + " while reading sample " +
                   std::to_string(i + got / std::max<std::size_t>(row_bytes_, 1)) +
                   ": it is shorter than its header says (" + std::to_string(a_->file_size) +
                   " bytes when opened), so it was truncated while being read",
               std::string("do not rewrite ") + a_->format +
                   " while a pipeline reads it: save new data to a new file and make a new "
                   "source with " + a_->maker);
    first_ = i;
    loaded_ = rows;
  }

  const npy_array* a_;
  std::size_t row_bytes_;
  std::size_t rows_per_chunk_ = 0;
  std::vector<unsigned char> buffer_;
  std::size_t first_ = 0;
  std::size_t loaded_ = 0;
};

}  // namespace detail

namespace detail {
struct checked_arrays {};
}  // namespace detail

/// Streams Examples from .npy files: features (N, F...) and labels (N) or
/// (N, label dims...). Copies share the open files. See `from_npy`.
template <feature_spec F, label_kind L>
class NpySource : public dataset_interface<NpySource<F, L>> {
  struct state {
    detail::npy_array x;
    detail::npy_array y;
    std::size_t n;
  };

public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = Example<F, L>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Cardinality::finite_at_runtime();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits{};

  /// Opens both files and checks their headers, dtypes, shapes and sample counts.
  NpySource(const std::string& features_path, const std::string& labels_path)
      : NpySource(detail::npy_load(features_path), detail::npy_load(labels_path)) {}

  /// From parsed arrays (arrays in memory must outlive the source).
  NpySource(detail::npy_array features, detail::npy_array labels) {
    detail::npy_check_features<F>(features);
    detail::npy_check_labels<L>(labels);
    init(std::move(features), std::move(labels));
  }

  /// From arrays whose dtypes and shapes were checked against `F` and `L` (from_idx).
  NpySource(detail::checked_arrays, detail::npy_array features, detail::npy_array labels) {
    init(std::move(features), std::move(labels));
  }

  /// `finite(N)`.
  [[nodiscard]] Cardinality cardinality() const { return Cardinality::finite(state_->n); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The sample count N.
  [[nodiscard]] std::size_t size() const noexcept { return state_->n; }

  /// One pass, sample 0 to N-1; `next` converts and checks one sample, allocating nothing.
  class cursor {
  public:
    explicit cursor(std::shared_ptr<const state> s)
        : s_(std::move(s)),
          x_(s_->x, F::size * detail::npy_itemsize(s_->x.type)),
          y_(s_->y, label_width<L> * detail::npy_itemsize(s_->y.type)) {}
    bool next(element_type& out) {
      const state& s = *s_;
      if (i_ == s.n) return false;
      detail::npy_read_features<F>(s.x, i_, x_.row(i_), out.x.data());
      detail::npy_read_labels<L>(s.y, i_, y_.row(i_), out.y.data());
      ++i_;
      return true;
    }

  private:
    std::shared_ptr<const state> s_;  // the files stay open while the cursor reads them
    detail::npy_rows x_;
    detail::npy_rows y_;
    std::size_t i_ = 0;
  };
  /// Starts a pass: a cursor that fills one element per call.
  [[nodiscard]] cursor open() const { return cursor(state_); }

private:
  void init(detail::npy_array features, detail::npy_array labels) {
    const std::size_t n = features.shape[0];
    if (labels.shape[0] != n)
      throw shape_error(features.file + " holds " + std::to_string(n) + " samples but " +
                            labels.file + " holds " + std::to_string(labels.shape[0]),
                        "use features and labels of the same samples, in the same order");
    if (n == 0)
      throw data_error(features.file + ": the arrays hold no samples (shape " +
                           format_shape(features.shape) + ")",
                       "use a file with at least one sample");
    state_ = std::make_shared<const state>(state{std::move(features), std::move(labels), n});
  }

  std::shared_ptr<const state> state_;
};

/// A dataset of the samples of two .npy files (numpy.save, format 1.0 to 3.0), streamed in
/// chunks as passes need them (bounded memory, whatever the file's size): features of shape (N, F...) as float32 (or float64, converted), labels of shape
/// (N) or (N, label dims...). Format problems are `data_error`s naming the file; shapes that
/// do not fit `F` or `L`, or sample counts that differ, are `shape_error`s.
template <feature_spec F, label_kind L>
[[nodiscard]] NpySource<F, L> from_npy(const std::string& features_path,
                                       const std::string& labels_path) {
  return NpySource<F, L>(features_path, labels_path);
}

}  // namespace fitcheck::data

#if !FITCHECK_SEPARATE
#include <fitcheck/data/npy_impl.hpp>
#endif
