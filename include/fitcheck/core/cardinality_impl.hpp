// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/cardinality.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/core/cardinality.hpp>

namespace fitcheck {

FITCHECK_IMPL std::string to_string(const Cardinality& c) {
  switch (c.kind) {
    case cardinality_kind::finite:
      return c.is_exact() ? std::to_string(c.count) + (c.count == 1 ? " element" : " elements")
                          : "a finite number of elements known at run time";
    case cardinality_kind::unknown:
      return "an unknown number of elements";
    case cardinality_kind::infinite:
      break;
  }
  return "infinitely many elements";
}

}  // namespace fitcheck
