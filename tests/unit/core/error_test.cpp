// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <type_traits>

#include <fitcheck/core/error.hpp>

namespace core_error_test {

namespace fc = fitcheck;

static_assert(std::is_base_of_v<std::runtime_error, fc::error>);
static_assert(std::is_base_of_v<fc::error, fc::data_error>);
static_assert(std::is_base_of_v<fc::error, fc::shape_error>);
static_assert(std::is_base_of_v<fc::error, fc::numeric_error>);
static_assert(std::is_base_of_v<fc::error, fc::resource_error>);
static_assert(std::is_base_of_v<fc::error, fc::argument_error>);

TEST_CASE_TEMPLATE("errors: message is '<problem>. Fix: <fix>' and both halves are kept", E,
                   fc::data_error, fc::shape_error, fc::numeric_error, fc::resource_error,
                   fc::argument_error) {
  try {
    throw E("iris.csv:17:3: 'abc' is not a number", "remove the text or quote the column");
  } catch (const fc::error& e) {
    CHECK(std::string(e.what()) ==
          "iris.csv:17:3: 'abc' is not a number. Fix: remove the text or quote the column");
    CHECK(e.problem() == "iris.csv:17:3: 'abc' is not a number");
    CHECK(e.fix() == "remove the text or quote the column");
    CHECK(dynamic_cast<const E*>(&e) != nullptr);
  }
}

TEST_CASE("errors: an empty fix leaves the problem alone") {
  const fc::data_error e("the pipeline produced no batches", "");
  CHECK(std::string(e.what()) == "the pipeline produced no batches");
}

}  // namespace core_error_test
