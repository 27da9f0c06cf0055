// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Runtime kernel dispatch: this binary is compiled without -march and links fitcheck::fitcheck,
// as a user's does, and ctest runs it once per level the machine has (FITCHECK_CPU), with
// the kernel, convolution, PyTorch-reference and no-allocation tests beside these cases.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include <fitcheck/kernels/cpu/dispatch.hpp>

namespace dispatch_dispatch_test {

namespace fk = fitcheck::kernels;

static_assert(FITCHECK_DISPATCHED == 1, "the dispatch tests must link fitcheck::fitcheck (runtime dispatch)");

TEST_CASE("dispatch: the kernels run at the level asked for, compiled for its instruction set") {
  const char* expect = std::getenv("FITCHECK_EXPECT_LEVEL");
  REQUIRE(expect != nullptr);  // each ctest case names the level it expects
  const std::string level = fk::dispatch::active_level_name();
  CHECK(level == expect);
  const std::string isa = fk::dispatch::active_isa();
  if (level == "avx512") {
    CHECK(fk::dispatch::active_level() == fk::dispatch::level::avx512);
    CHECK(isa == "avx512bw");
  } else if (level == "avx2") {
    CHECK(fk::dispatch::active_level() == fk::dispatch::level::avx2);
    CHECK(isa == "fma3+avx2");
  } else {
    CHECK(fk::dispatch::active_level() == fk::dispatch::level::baseline);
    CHECK(isa == "sse2");  // x86-64 without -march
  }
}

}  // namespace dispatch_dispatch_test
