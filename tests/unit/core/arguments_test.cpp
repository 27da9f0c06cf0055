// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <string>
#include <type_traits>

#include <fitcheck/core/arguments.hpp>

namespace core_arguments_test {

namespace fc = fitcheck;

// Strong types: no implicit conversions, no bool, no floating point, no mixing.
static_assert(!std::is_convertible_v<int, fc::Epochs>);
static_assert(!std::is_constructible_v<fc::Epochs, bool>);
static_assert(!std::is_constructible_v<fc::Epochs, double>);
static_assert(!std::is_constructible_v<fc::Epochs, fc::StepsPerEpoch>);
static_assert(std::is_constructible_v<fc::Epochs, long long>);
static_assert(std::is_constructible_v<fc::Seed, unsigned>);
static_assert(fc::Epochs{5}.value == 5);
static_assert(fc::Seed{0}.value == 0);

namespace {
template <class T>
void check_rejects(long long bad, const std::string& name, const std::string& minimum) {
  try {
    (void)T{bad};
    FAIL(name << "{" << bad << "} must throw");
  } catch (const fc::argument_error& e) {
    CHECK(e.problem() == name + "{" + std::to_string(bad) + "}: must be at least " + minimum);
    CHECK(e.fix() == "pass " + name + "{n} with n >= " + minimum);
  }
}
int runtime(int v) {
  volatile int x = v;
  return x;
}
}  // namespace

TEST_CASE("arguments: values below the minimum are argument_errors naming the type") {
  check_rejects<fc::Epochs>(0, "Epochs", "1");
  check_rejects<fc::Epochs>(-3, "Epochs", "1");
  check_rejects<fc::StepsPerEpoch>(0, "StepsPerEpoch", "1");
  check_rejects<fc::StepsPerExecution>(0, "StepsPerExecution", "1");
  check_rejects<fc::ValidationSteps>(0, "ValidationSteps", "1");
  check_rejects<fc::BatchSize>(0, "BatchSize", "1");
  check_rejects<fc::Seed>(-1, "Seed", "0");
}

TEST_CASE("arguments: run-time values in range are kept") {
  CHECK(fc::Epochs{runtime(7)}.value == 7);
  CHECK(fc::StepsPerEpoch{runtime(31)}.value == 31);
  CHECK(fc::StepsPerExecution{runtime(8)}.value == 8);
  CHECK(fc::BatchSize{runtime(32)}.value == 32);
  CHECK(fc::Seed{runtime(42)}.value == 42);
  CHECK(fc::Epochs{3} == fc::Epochs{runtime(3)});
}

}  // namespace core_arguments_test
