// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of core/error.hpp (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/core/error.hpp>

namespace fitcheck {

FITCHECK_IMPL error::error(std::string problem, std::string fix)
    : std::runtime_error(fix.empty() ? problem : problem + ". Fix: " + fix),
      problem_(std::move(problem)),
      fix_(std::move(fix)) {}

FITCHECK_IMPL error::~error() = default;
FITCHECK_IMPL data_error::~data_error() = default;
FITCHECK_IMPL shape_error::~shape_error() = default;
FITCHECK_IMPL numeric_error::~numeric_error() = default;
FITCHECK_IMPL resource_error::~resource_error() = default;
FITCHECK_IMPL argument_error::~argument_error() = default;

}  // namespace fitcheck
