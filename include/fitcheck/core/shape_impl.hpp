// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/shape.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/core/shape.hpp>

namespace fitcheck {

FITCHECK_IMPL std::string format_shape(std::span<const std::size_t> dims) {
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i != 0) out += ", ";
    out += std::to_string(dims[i]);
  }
  return out + ")";
}

}  // namespace fitcheck
