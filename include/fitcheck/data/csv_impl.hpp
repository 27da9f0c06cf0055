// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of data/csv.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/data/csv.hpp>

namespace fitcheck::data::detail {

FITCHECK_IMPL std::string csv_where(const csv_layout& l, std::size_t line, std::size_t column) {
  if (line == 0) return l.file;  // the whole file
  std::string out = l.file + ":" + std::to_string(line);
  if (column == 0) return out;
  out += ':';
  out += std::to_string(column);
  if (column <= l.names.size()) out += " (column " + quote_text(l.names[column - 1]) + ")";
  return out;
}

FITCHECK_IMPL bool csv_parse_float(std::string_view field, float& out,
                                   bool& out_of_range) noexcept {
  const char* first = field.data();
  const char* last = first + field.size();
  // Fast path for short integers (pixel values, counts, codes): up to 7 digits is below 2^24,
  // so the float is exact and equal to what from_chars gives, at a fraction of its cost.
  {
    const bool negative = first != last && *first == '-';
    const char* d = first + (negative ? 1 : 0);
    if (d != last && last - d <= 7) {
      std::int32_t v = 0;
      const char* q = d;
      for (; q != last && *q >= '0' && *q <= '9'; ++q) v = v * 10 + (*q - '0');
      if (q == last) {
        out_of_range = false;
        out = negative ? -static_cast<float>(v) : static_cast<float>(v);
        return true;
      }
    }
  }
  if (first != last && *first == '+' && last - first > 1 && first[1] != '-' && first[1] != '+')
    ++first;
  const auto [ptr, ec] = std::from_chars(first, last, out);
  out_of_range = ec == std::errc::result_out_of_range && ptr == last;
  if (out_of_range) {
    // from_chars calls 1e-50 out of range too. As strtof, a value too small for a float is one:
    // it rounds to a denormal or to zero; only a value too large is out of range. (Beyond a
    // double's range too, the exponent's sign tells which.)
    double wide = 0;
    const bool in_double = std::from_chars(first, last, wide).ec == std::errc{};
    const std::string_view text(first, static_cast<std::size_t>(last - first));
    const auto e = text.find_first_of("eE");
    const bool tiny =
        in_double ? std::fabs(wide) < 1.0
                  : e != std::string_view::npos && e + 1 < text.size() && text[e + 1] == '-';
    if (tiny) {
      out = std::copysign(static_cast<float>(in_double ? wide : 0.0),
                          text.front() == '-' ? -1.0f : 1.0f);
      out_of_range = false;
      return true;
    }
  }
  return ec == std::errc{} && ptr == last;
}

FITCHECK_IMPL float csv_feature(const csv_layout& l, std::size_t line, std::size_t column,
                                std::string_view field) {
  float v = 0;
  bool out_of_range = false;
  if (!csv_parse_float(field, v, out_of_range)) {
    if (out_of_range)
      csv_fail(l, line, column, quote_text(field) + " is outside the range of float",
               "rescale the column so its values fit a 32-bit float");
    csv_bad_field(l, line, column, field);
  }
  if (!std::isfinite(v))
    csv_fail(l, line, column, quote_text(field) + " is not a finite number",
             "replace missing or infinite values (impute or drop the rows) before training");
  return v;
}

FITCHECK_IMPL std::vector<std::string> csv_split(std::string_view line, char delimiter) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t stop = line.find(delimiter, pos);
    if (stop == std::string_view::npos) stop = line.size();
    out.emplace_back(csv_trim(line.substr(pos, stop - pos)));
    if (stop == line.size()) return out;
    pos = stop + 1;
  }
}

FITCHECK_IMPL std::vector<std::size_t> csv_resolve(const csv_layout& l, const csv_columns& sel,
                                                   std::string_view what) {
  std::vector<std::size_t> out;
  const std::size_t ncols = l.slots.size();
  if (sel.by_name()) {
    if (!l.header)
      throw argument_error(std::string(what) +
                               " columns chosen by name, but the file has no "
                               "header (csv_options::header is false)",
                           "choose the columns by 0-based index, or set .header = true");
    for (const auto& name : sel.names()) {
      const auto it = std::find(l.names.begin(), l.names.end(), name);
      if (it == l.names.end()) {
        std::string have;
        for (std::size_t i = 0; i < l.names.size() && i < 8; ++i)
          have += (i ? ", " : "") + quote_text(l.names[i]);
        if (l.names.size() > 8) have += ", ...";
        throw data_error(l.file + ":1: the header has no " + std::string(what) + " column " +
                             quote_text(name) + " (it has " + have + ")",
                         "name a column of the header (names are case-sensitive)");
      }
      if (std::find(it + 1, l.names.end(), name) != l.names.end())
        throw data_error(l.file + ":1: the header names " + quote_text(name) + " more than once",
                         "rename the duplicate column, or choose the column by 0-based index");
      out.push_back(static_cast<std::size_t>(it - l.names.begin()));
    }
  } else {
    for (std::size_t i : sel.indices()) {
      if (i >= ncols)
        throw data_error(l.file + ": " + std::string(what) + " column index " + std::to_string(i) +
                             " is out of range: the file has " + std::to_string(ncols) +
                             " columns (indices 0 to " + std::to_string(ncols - 1) + ")",
                         "choose column indices counting from 0, below the column count");
      out.push_back(i);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i)
    if (std::find(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(i), out[i]) !=
        out.begin() + static_cast<std::ptrdiff_t>(i))
      throw argument_error(
          std::string(what) + " column " + std::to_string(out[i]) + " is chosen twice",
          "choose each column once");
  return out;
}

FITCHECK_IMPL std::string csv_column_name(const csv_layout& l, std::size_t c) {
  return c < l.names.size() ? quote_text(l.names[c]) : "at index " + std::to_string(c);
}

}  // namespace fitcheck::data::detail
