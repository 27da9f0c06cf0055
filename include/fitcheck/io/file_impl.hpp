// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of io/file.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/io/file.hpp>

namespace fitcheck::io {

FITCHECK_IMPL std::vector<std::byte> read_file(const std::string& path, std::string_view kind) {
  return read_file(path, kind, 0, [](std::span<const std::byte>, std::size_t) {});
}

}  // namespace fitcheck::io
