// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

// In: a CSV file of N data rows (numeric features, a label).  Out: N Examples, in file order.
//
// The file is read in fixed-size chunks through one buffer, never whole, so memory stays
// bounded whatever its size. The constructor reads it once to resolve the columns, validate
// every row and count them (so `cardinality()` is exact and a bad row is reported before
// training starts); each `open()` reads it again.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>


#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/io/file.hpp>

namespace fitcheck::data {

/// Columns of a CSV file chosen by header name or by 0-based index; empty means the default.
class csv_columns {
public:
  csv_columns() = default;
  /// One column, by header name.
  csv_columns(const char* name) : names_{name} {}                      // NOLINT: implicit by design
  /// One column, by header name.
  csv_columns(std::string name) : names_{std::move(name)} {}           // NOLINT
  /// One column, by 0-based index.
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  csv_columns(I index) : indices_{static_cast<std::size_t>(index)} {  // NOLINT
    if constexpr (std::is_signed_v<I>) {
      if (index < 0) negative_index();
    }
  }
  /// Columns by header name, in this order.
  csv_columns(std::initializer_list<std::string_view> names) {
    for (auto n : names) names_.emplace_back(n);
  }
  /// Columns by 0-based index, in this order.
  csv_columns(std::initializer_list<std::size_t> indices) : indices_(indices) {}
  /// Columns by header name, in this order.
  csv_columns(std::vector<std::string> names) : names_(std::move(names)) {}    // NOLINT
  /// Columns by 0-based index, in this order.
  csv_columns(std::vector<std::size_t> indices) : indices_(std::move(indices)) {}  // NOLINT

  /// No column named: the default selection applies.
  [[nodiscard]] bool empty() const noexcept { return names_.empty() && indices_.empty(); }
  /// True when the columns are named, false when indexed.
  [[nodiscard]] bool by_name() const noexcept { return !names_.empty(); }
  /// The number of columns selected.
  [[nodiscard]] std::size_t size() const noexcept { return names_.size() + indices_.size(); }
  /// The names, when selected by name.
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  /// The indices, when selected by index.
  [[nodiscard]] const std::vector<std::size_t>& indices() const noexcept { return indices_; }

private:
  [[noreturn]] static void negative_index() {
    throw argument_error("csv_columns: a negative column index",
                         "column indices count from 0 (the first column)");
  }

  std::vector<std::string> names_;
  std::vector<std::size_t> indices_;
};

/// How `from_csv` reads a file; every member has a default, so write only what differs:
/// `csv_options{.delimiter = ';', .label = "species"}`.
struct csv_options {
  bool header = true;      ///< the first line names the columns
  char delimiter = ',';    ///< field separator (',', ';', a tab, ...)
  csv_columns features{};  ///< default: every column that is not a label column, in file order
  csv_columns label{};     ///< default: the last label_width<L> columns (the last one)
  std::size_t chunk_size = std::size_t{64} * 1024;  ///< bytes read from the file at a time
};

namespace detail {

// A CSV line longer than this is not a table a person wrote: say so instead of buffering it.
inline constexpr std::size_t csv_max_line_bytes = std::size_t{64} * 1024 * 1024;

/// "Features<8, 8>" for messages.
template <feature_spec F>
std::string csv_features_name() {
  std::string out = "Features<";
  for (std::size_t i = 0; i < F::shape::rank; ++i) {
    if (i != 0) out += ", ";
    out += std::to_string(F::shape::dims[i]);
  }
  return out + ">";
}

/// Bytes from an open file or from memory; the source and the fuzzer read the same way.
class csv_byte_reader {
public:
  /// Opens `path`; a missing or unreadable file is a data_error naming it.
  static csv_byte_reader open_file(const std::string& path) {
    csv_byte_reader r;
    r.name_ = path;
    r.file_ = io::input_file::open(path, "a CSV file");
    return r;
  }

  /// Reads from `bytes`, which must outlive the reader; `name` stands for the file in messages.
  static csv_byte_reader over(std::string_view bytes, std::string name) {
    csv_byte_reader r;
    r.mem_ = bytes.data();
    r.left_ = bytes.size();
    r.name_ = std::move(name);
    return r;
  }

  /// The file's size and modification time (zero for bytes in memory).
  [[nodiscard]] io::file_stamp stamp() const noexcept {
    return file_.descriptor() >= 0 ? file_.stamp() : io::file_stamp{};
  }

  /// Up to `n` bytes into `out`; 0 only at the end.
  std::size_t read(char* out, std::size_t n) {
    if (file_.descriptor() >= 0) return file_.read(out, n);
    const std::size_t k = std::min(n, left_);
    if (k != 0) std::memcpy(out, mem_, k);
    mem_ += k;
    left_ -= k;
    return k;
  }

private:
  io::input_file file_;
  const char* mem_ = nullptr;
  std::size_t left_ = 0;
  std::string name_;
};

/// Splits a byte stream into lines through one buffer that grows only for a line longer than
/// it (so a buffer sized to the longest line at construction never grows while iterating).
class csv_line_reader {
public:
  csv_line_reader(csv_byte_reader reader, std::size_t chunk, std::size_t capacity,
                  const std::string* file)
      : reader_(std::move(reader)), buf_(std::max({chunk, capacity, std::size_t{1}})),
        chunk_(std::max(chunk, std::size_t{1})), file_(file) {}

  /// The next line without its "\n" or "\r\n"; false at the end of the input.
  bool next(std::string_view& line) {
    for (;;) {
      if (scan_ < end_) {
        const void* nl = std::memchr(buf_.data() + scan_, '\n', end_ - scan_);
        if (nl != nullptr) {
          const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
          emit(line, at, at + 1);
          return true;
        }
        scan_ = end_;
      }
      if (eof_) {
        if (begin_ == end_) return false;
        emit(line, end_, end_);
        return true;
      }
      fill();
    }
  }

  /// The underlying file's size and modification time.
  [[nodiscard]] io::file_stamp stamp() const noexcept { return reader_.stamp(); }
  /// 1-based number of the line `next` returned last.
  [[nodiscard]] std::size_t line_number() const noexcept { return line_; }
  /// Bytes of the longest line so far, newline included.
  [[nodiscard]] std::size_t longest() const noexcept { return longest_; }

private:
  void emit(std::string_view& line, std::size_t stop, std::size_t resume) {
    std::size_t first = begin_;
    std::size_t last = stop;
    longest_ = std::max(longest_, resume - begin_);
    if (last > first && buf_[last - 1] == '\r') --last;
    // Excel writes a UTF-8 byte order mark; it is not part of the first column's name.
    if (line_ == 0 && last - first >= 3 && std::memcmp(buf_.data() + first, "\xEF\xBB\xBF", 3) == 0)
      first += 3;
    // UTF-16 (Excel's "Unicode text", PowerShell's default) puts a NUL in every ASCII character.
    if (line_ == 0 && last - first >= 2 &&
        (std::memcmp(buf_.data() + first, "\xFF\xFE", 2) == 0 ||
         std::memcmp(buf_.data() + first, "\xFE\xFF", 2) == 0))
      throw data_error(*file_ + ": the file is UTF-16 text (it starts with the byte-order mark " +
                           (buf_[first] == '\xFF' ? "FF FE" : "FE FF") +
                           "); CSV files are read as UTF-8 or ASCII",
                       "save it as UTF-8 (Excel: 'CSV UTF-8'), or convert it: iconv -f UTF-16 -t "
                       "UTF-8 in.csv > out.csv");
    line = std::string_view(buf_.data() + first, last - first);
    begin_ = scan_ = resume;
    ++line_;
  }

  void fill() {
    if (begin_ != 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      scan_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buf_.size()) {
      if (buf_.size() >= csv_max_line_bytes)
        throw data_error(*file_ + ":" + std::to_string(line_ + 1) + ": the line is longer than " +
                             std::to_string(csv_max_line_bytes >> 20) + " MiB",
                         "check that the file is a CSV text file with one sample per line");
      buf_.resize(std::min(buf_.size() * 2, csv_max_line_bytes));
    }
    const std::size_t got = reader_.read(buf_.data() + end_, std::min(chunk_, buf_.size() - end_));
    if (got == 0) eof_ = true;
    end_ += got;
  }

  csv_byte_reader reader_;
  std::vector<char> buf_;
  std::size_t chunk_;
  const std::string* file_;
  std::size_t begin_ = 0;  // start of the unread text
  std::size_t scan_ = 0;   // where the search for '\n' resumes
  std::size_t end_ = 0;    // end of the bytes read
  std::size_t line_ = 0;
  std::size_t longest_ = 0;
  bool eof_ = false;
};

inline bool csv_blank(std::string_view line) noexcept {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

inline std::string_view csv_trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

enum class csv_role : std::uint8_t { skip, feature, label };

/// What each column of the file becomes.
struct csv_slot {
  csv_role role = csv_role::skip;
  std::uint32_t index = 0;  // into Example::x or Example::y
};

/// The resolved reading of one file: shared by the constructor's pass and every cursor.
struct csv_layout {
  std::string file;
  bool header = true;
  char delimiter = ',';
  std::size_t chunk = 0;
  std::vector<csv_slot> slots;     // one per column
  std::vector<std::string> names;  // the header's names; empty without a header
  std::size_t rows = 0;
  std::size_t longest_line = 0;
  io::file_stamp loaded;  // size and modification time when planned; every pass checks them
};

/// "iris.csv:17:3 (column 'petal_length_cm')": where a message points.
std::string csv_where(const csv_layout& l, std::size_t line, std::size_t column = 0);

[[noreturn]] inline void csv_fail(const csv_layout& l, std::size_t line, std::size_t column,
                                  const std::string& problem, std::string fix) {
  throw data_error(csv_where(l, line, column) + ": " + problem, std::move(fix));
}

[[noreturn]] inline void csv_bad_field(const csv_layout& l, std::size_t line, std::size_t column,
                                       std::string_view field) {
  if (field.empty())
    csv_fail(l, line, column, "empty field",
             "fill in the missing value or drop the row before loading (fitcheck does not "
             "impute)");
  if (field.front() == '"' || field.front() == '\'')
    csv_fail(l, line, column, "quoted field " + quote_text(field) + ": quoted fields are not supported",
             "write the numeric columns without quotes (pandas: to_csv(quoting=csv.QUOTE_NONE))");
  csv_fail(l, line, column, quote_text(field) + " is not a number",
           "make every feature and label column numeric (encode categories as numbers), or "
           "leave the column out with csv_options{.features = {...}}");
}

/// Parses a whole field as a float (an optional leading '+' allowed, as Python writes none
/// but spreadsheets do); false unless all of it is a number.
bool csv_parse_float(std::string_view field, float& out, bool& out_of_range) noexcept;

float csv_feature(const csv_layout& l, std::size_t line, std::size_t column,
                  std::string_view field);

template <label_kind L>
typename L::value_type csv_label(const csv_layout& l, std::size_t line, std::size_t column,
                                 std::string_view field) {
  using V = typename L::value_type;
  V v{};
  if constexpr (std::is_integral_v<V>) {
    std::int64_t wide = 0;
    const char* first = field.data();
    const char* last = first + field.size();
    if (first != last && *first == '+' && last - first > 1 && first[1] != '-') ++first;
    const auto [ptr, ec] = std::from_chars(first, last, wide);
    const bool too_big = ec == std::errc::result_out_of_range && ptr == last;
    if (!too_big && (ec != std::errc{} || ptr != last)) {
      float f = 0;
      bool range = false;
      if (csv_parse_float(field, f, range) || range)
        csv_fail(l, line, column, "label " + quote_text(field) + " is not an integer",
                 "write class labels as integers: " + L::expected());
      csv_bad_field(l, line, column, field);
    }
    if (too_big || wide < std::numeric_limits<V>::min() || wide > std::numeric_limits<V>::max() ||
        !L::accepts(static_cast<V>(wide)))
      csv_fail(l, line, column, "label " + quote_text(field) + " is not " + L::expected(),
               "fix the label, or declare the label kind the data has (ClassLabel<K> with K "
               "the number of classes)");
    v = static_cast<V>(wide);
  } else {
    bool out_of_range = false;
    if (!csv_parse_float(field, v, out_of_range)) {
      if (out_of_range)
        csv_fail(l, line, column, "label " + quote_text(field) + " is outside the range of float",
                 "rescale the target so it fits a 32-bit float");
      csv_bad_field(l, line, column, field);
    }
    if (!L::accepts(v))
      csv_fail(l, line, column, "label " + quote_text(field) + " is not " + L::expected(),
               "fix the label, or declare the label kind the data has");
  }
  return v;
}

/// Parses one data line into `out`; every problem is a data_error pointing at the field.
template <feature_spec F, label_kind L>
void csv_parse_row(const csv_layout& l, std::string_view line, std::size_t line_no,
                   Example<F, L>& out) {
  const std::size_t expected = l.slots.size();
  const auto found = static_cast<std::size_t>(std::count(line.begin(), line.end(), l.delimiter)) + 1;
  if (found != expected) {
    std::string problem = "expected " + std::to_string(expected) + " fields" +
                          (l.header ? " (as in the header)" : " (as in the first row)") +
                          ", found " + std::to_string(found);
    if (line.find('"') != std::string_view::npos)
      problem += "; the line has quotes, and quoted fields are not supported";
    csv_fail(l, line_no, 0, problem,
             "give every row one value per column (a missing value is a missing field, not "
             "an empty line); check the delimiter");
  }
  std::size_t pos = 0;
  for (std::size_t c = 0; c < expected; ++c) {
    std::size_t stop = line.find(l.delimiter, pos);
    if (stop == std::string_view::npos) stop = line.size();
    const csv_slot slot = l.slots[c];
    if (slot.role != csv_role::skip) {
      const std::string_view field = csv_trim(line.substr(pos, stop - pos));
      if (slot.role == csv_role::feature)
        out.x[slot.index] = csv_feature(l, line_no, c + 1, field);
      else
        out.y[slot.index] = csv_label<L>(l, line_no, c + 1, field);
    }
    pos = stop + 1;
  }
  if constexpr (L::category == label_category::one_hot) {
    const auto ones = std::count(out.y.begin(), out.y.end(), 1.0f);
    if (ones != 1)
      csv_fail(l, line_no, 0,
               "a one-hot label has " + std::to_string(ones) + " ones; it needs exactly one",
               "give each sample exactly one 1 among its label columns, or use MultiLabel<K> "
               "for independent labels");
  }
}

std::vector<std::string> csv_split(std::string_view line, char delimiter);

/// The 0-based columns a selection names; unknown names and indices past the end are
/// data_errors, a duplicate an argument_error.
std::vector<std::size_t> csv_resolve(const csv_layout& l, const csv_columns& sel,
                                     std::string_view what);

std::string csv_column_name(const csv_layout& l, std::size_t c);

/// Assigns every column its role: features and labels as `options` says, or by default.
template <feature_spec F, label_kind L>
void csv_assign_columns(csv_layout& l, const csv_options& options) {
  constexpr std::size_t width = label_width<L>;
  const std::size_t ncols = l.slots.size();
  std::vector<std::size_t> label;
  if (options.label.empty()) {
    if (ncols <= width)
      throw shape_error(l.file + ": the file has " + std::to_string(ncols) + " column" +
                            (ncols == 1 ? "" : "s") + ", too few for " +
                            std::to_string(width) + " label column" + (width == 1 ? "" : "s") +
                            " and " + csv_features_name<F>(),
                        "check the delimiter (csv_options::delimiter) and the declared shape");
    for (std::size_t c = ncols - width; c < ncols; ++c) label.push_back(c);
  } else {
    label = csv_resolve(l, options.label, "label");
    if (label.size() != width)
      throw shape_error(l.file + ": " + std::to_string(label.size()) +
                            " label columns chosen, but the label kind holds " +
                            std::to_string(width) + " value" + (width == 1 ? "" : "s") +
                            " per sample",
                        "choose " + std::to_string(width) +
                            " label column(s), or declare the label kind the data has");
  }
  std::vector<std::size_t> features;
  std::string how;
  if (options.features.empty()) {
    for (std::size_t c = 0; c < ncols; ++c)
      if (std::find(label.begin(), label.end(), c) == label.end()) features.push_back(c);
    how = " (every column but the label";
    how += label.size() == 1 ? " column " + csv_column_name(l, label[0]) + ")" : " columns)";
  } else {
    features = csv_resolve(l, options.features, "feature");
    how = " chosen";
    for (std::size_t c : features)
      if (std::find(label.begin(), label.end(), c) != label.end())
        throw argument_error("column " + csv_column_name(l, c) +
                                 " is chosen both as a feature and as the label",
                             "leave the label out of csv_options::features (a feature that is "
                             "the label leaks the answer)");
  }
  if (features.size() != F::size)
    throw shape_error(l.file + ": " + std::to_string(features.size()) + " feature column" +
                          (features.size() == 1 ? "" : "s") + how + ", but " +
                          csv_features_name<F>() + " holds " + std::to_string(F::size),
                      "declare Features<" + std::to_string(features.size()) +
                          "> or choose " + std::to_string(F::size) +
                          " columns with csv_options{.features = {...}}");
  for (std::size_t i = 0; i < features.size(); ++i)
    l.slots[features[i]] = {csv_role::feature, static_cast<std::uint32_t>(i)};
  for (std::size_t i = 0; i < label.size(); ++i)
    l.slots[label[i]] = {csv_role::label, static_cast<std::uint32_t>(i)};
}

/// Reads the header and every row once: resolves the columns, validates each row and counts
/// them. Shared by `CsvSource` and the fuzzer, so both see the same parser.
template <feature_spec F, label_kind L>
csv_layout csv_plan(csv_byte_reader reader, std::string file, const csv_options& options) {
  if (options.chunk_size == 0)
    throw argument_error("csv_options::chunk_size is 0", "leave the default (64 KiB) or pass a "
                                                         "positive number of bytes");
  csv_layout l;
  l.file = std::move(file);
  l.loaded = reader.stamp();
  l.header = options.header;
  l.delimiter = options.delimiter;
  l.chunk = options.chunk_size;
  const char d = options.delimiter;
  if (d == '\n' || d == '\r' || d == '"' || d == '\'' || (d >= '0' && d <= '9') || d == '.' ||
      d == '-' || d == '+')
    throw argument_error("csv_options::delimiter " + quote_text({&options.delimiter, 1}) +
                             " cannot separate fields: it is a line end, a quote or part of "
                             "a number",
                         "use ',', ';', '\\t' or another character that is not a line end, a "
                         "quote, a digit, '.', '-' or '+'");
  csv_line_reader lines(std::move(reader), l.chunk, 0, &l.file);
  std::string_view line;
  std::size_t blank_at = 0;  // a blank line is allowed only if no row follows it
  bool have_columns = false;
  Example<F, L> scratch{};
  while (lines.next(line)) {
    const std::size_t n = lines.line_number();
    if (csv_blank(line)) {
      if (blank_at == 0) blank_at = n;
      continue;
    }
    if (blank_at != 0)
      csv_fail(l, blank_at, 0,
               blank_at == 1 && l.header ? "the header line is blank" : "blank line before more data",
               "remove blank lines (only trailing blank lines are allowed)");
    if (!have_columns) {
      have_columns = true;
      // A file whose lines end in '\r' alone (classic Mac OS) reads as one long line.
      if (line.find('\r') != std::string_view::npos)
        throw data_error(l.file + ":" + std::to_string(n) +
                             ": the line holds carriage returns ('\\r') inside it: the file "
                             "ends its lines with '\\r' alone (classic Mac OS), not '\\n' or "
                             "'\\r\\n', so it reads as one line",
                         "convert the line ends to '\\n', e.g. tr '\\r' '\\n' < in.csv > out.csv");
      const auto fields = csv_split(line, l.delimiter);
      l.slots.assign(fields.size(), csv_slot{});
      // A delimiter at the end of every line makes an empty last column, which the default
      // layout would take as the label.
      if (options.label.empty() && options.features.empty() && fields.size() > 1 &&
          csv_trim(fields.back()).empty())
        throw data_error(l.file + ":" + std::to_string(n) + ": the line ends with the delimiter " +
                             quote_text(std::string_view(&l.delimiter, 1)) +
                             ", which makes an empty last column (with no name and no values) "
                             "where the label column is expected",
                         "remove the delimiter at the end of each line (e.g. sed 's/" +
                             std::string(1, l.delimiter) + "$//' in.csv > out.csv), or choose "
                             "the columns with csv_options{.features = {...}, .label = ...}");
      if (l.header) {
        for (std::size_t c = 0; c < fields.size(); ++c)
          if (!fields[c].empty() && (fields[c].front() == '"' || fields[c].front() == '\''))
            csv_fail(l, n, c + 1, "quoted header name " + quote_text(fields[c]) +
                                      ": quoted fields are not supported",
                     "write the header without quotes");
        l.names = fields;
        csv_assign_columns<F, L>(l, options);
        continue;
      }
      csv_assign_columns<F, L>(l, options);
    }
    csv_parse_row(l, line, n, scratch);
    ++l.rows;
  }
  if (!have_columns)
    throw data_error(l.file + ": the file is empty", "pass a CSV file with " +
                                                         std::string(l.header ? "a header row and " : "") +
                                                         "one data row per sample");
  if (l.rows == 0)
    throw data_error(l.file + ": no data rows, only the header",
                     "add the samples, one row each, below the header");
  l.longest_line = lines.longest();
  return l;
}

/// Reads the rows of a planned file: the cursor of `CsvSource`, and the fuzzer's loop.
template <feature_spec F, label_kind L>
class csv_row_reader {
public:
  csv_row_reader(const csv_layout* layout, csv_byte_reader reader)
      : l_(layout), lines_(std::move(reader), layout->chunk, layout->longest_line + 1, &layout->file) {
    // A rewrite that keeps the row count would otherwise be read as other data.
    if (const io::file_stamp now = lines_.stamp(); now != l_->loaded)
      changed(0, "its size or modification time differs (" + std::to_string(l_->loaded.size) +
                     " -> " + std::to_string(now.size) + " bytes)");
    std::string_view line;
    if (!l_->header) return;
    // The header is the first line that is not blank, as in the plan.
    while (lines_.next(line))
      if (!csv_blank(line)) return;
  }

  /// The next row into `out`; false after the last. A file that changed since it was
  /// planned is a data_error.
  bool next(Example<F, L>& out) {
    std::string_view line;
    while (lines_.next(line)) {
      if (csv_blank(line)) {
        if (blank_at_ == 0) blank_at_ = lines_.line_number();
        continue;
      }
      if (blank_at_ != 0) changed(blank_at_, "a blank line is now followed by more data");
      if (produced_ == l_->rows) changed(lines_.line_number(), "it now has more rows than the " +
                                                                   std::to_string(l_->rows) +
                                                                   " counted");
      csv_parse_row(*l_, line, lines_.line_number(), out);
      ++produced_;
      return true;
    }
    if (produced_ != l_->rows)
      changed(lines_.line_number(), "it now ends after " + std::to_string(produced_) + " of the " +
                                        std::to_string(l_->rows) + " rows counted");
    return false;
  }

private:
  [[noreturn]] void changed(std::size_t line, const std::string& what) const {
    csv_fail(*l_, line, 0, "the file changed since it was loaded: " + what,
             "do not modify a CSV file while a source reads it; load it again after writing");
  }

  const csv_layout* l_;
  csv_line_reader lines_;
  std::size_t produced_ = 0;
  std::size_t blank_at_ = 0;
};

/// Tag of the in-memory constructor (tests and fuzzing).
struct csv_in_memory_t {};

}  // namespace detail

/// Streams the rows of a CSV file as Examples: features from the feature columns (row-major
/// in `F::shape`), the label from the label column(s). See `from_csv`.
template <feature_spec F, label_kind L>
class CsvSource : public dataset_interface<CsvSource<F, L>> {
public:
  /// What one pass yields, element by element: a sample (Example) or a batch (BatchData).
  using element_type = Example<F, L>;
  /// The element count as far as the type tells it: the ordering rules and fit check it at compile
  /// time.
  static constexpr Cardinality static_cardinality = Cardinality::finite_at_runtime();
  /// What the stages up to this one do, for the ordering rules (data/rules.hpp).
  static constexpr pipeline_traits traits{};

  /// Reads `path` once (columns, validation, row count); see `csv_options`.
  explicit CsvSource(std::string path, const csv_options& options = {})
      : path_(std::move(path)),
        layout_(std::make_shared<const detail::csv_layout>(
            detail::csv_plan<F, L>(detail::csv_byte_reader::open_file(path_), path_, options))) {}

  /// Reads `text` instead of a file (it must outlive the source); `name` stands for the file.
  CsvSource(detail::csv_in_memory_t, std::string_view text, std::string name,
            const csv_options& options = {})
      : path_(std::move(name)), text_(text), in_memory_(true),
        layout_(std::make_shared<const detail::csv_layout>(detail::csv_plan<F, L>(
            detail::csv_byte_reader::over(text_, path_), path_, options))) {}

  /// `finite(rows)`: the data rows counted at construction.
  [[nodiscard]] Cardinality cardinality() const { return Cardinality::finite(layout_->rows); }
  /// An element with its buffers sized, for a pass to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The data rows in the file.
  [[nodiscard]] std::size_t size() const noexcept { return layout_->rows; }
  /// The file's column names (empty without a header).
  [[nodiscard]] const std::vector<std::string>& column_names() const noexcept {
    return layout_->names;
  }
  /// The file read.
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// One pass over the file, from its first row; `next` allocates nothing.
  class cursor {
  public:
    cursor(std::shared_ptr<const detail::csv_layout> layout, detail::csv_byte_reader reader)
        : layout_(std::move(layout)), rows_(layout_.get(), std::move(reader)) {}
    bool next(element_type& out) { return rows_.next(out); }

  private:
    std::shared_ptr<const detail::csv_layout> layout_;  // keeps the layout rows_ points into
    detail::csv_row_reader<F, L> rows_;
  };

  /// Opens the file again for a new pass.
  [[nodiscard]] cursor open() const {
    return cursor(layout_, in_memory_ ? detail::csv_byte_reader::over(text_, path_)
                                      : detail::csv_byte_reader::open_file(path_));
  }

private:
  std::string path_;
  std::string_view text_;
  bool in_memory_ = false;
  std::shared_ptr<const detail::csv_layout> layout_;
};

/// A dataset of the rows of the CSV file at `path`: `F` says how many feature columns (and
/// their shape), `L` what the label column holds. Every malformed row, unknown column and
/// out-of-range label is a `data_error` naming the file, line and column; a feature column
/// count other than `F::size` is a `shape_error`.
template <feature_spec F, label_kind L>
[[nodiscard]] CsvSource<F, L> from_csv(std::string path, const csv_options& options = {}) {
  return CsvSource<F, L>(std::move(path), options);
}

}  // namespace fitcheck::data

#if !FITCHECK_SEPARATE
#include <fitcheck/data/csv_impl.hpp>
#endif
