// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Files for tests: a fresh directory per use, removed with its contents afterwards.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include <doctest/doctest.h>

namespace fitcheck::test {

/// A fresh directory under the system's temporary directory ("fitcheck_<tag>_XXXXXX"), removed
/// with everything in it when destroyed.
struct temp_dir {
  std::filesystem::path path;

  explicit temp_dir(const std::string& tag = "test") {
    std::string templ =
        (std::filesystem::temp_directory_path() / ("fitcheck_" + tag + "_XXXXXX")).string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    path = templ;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }

  /// The path of `name` inside the directory (not created).
  [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
  /// Writes `bytes` to `name` inside the directory; returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path p = path / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

/// The whole file at `path`, bytes as they are (empty if it cannot be read).
inline std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace fitcheck::test
