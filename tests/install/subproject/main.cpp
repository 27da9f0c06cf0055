// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <cstdio>

#include <fitcheck/fitcheck.hpp>

int main() {
  namespace fc = fitcheck;
  constexpr auto per_epoch = fc::Cardinality::finite(100).batch(32);
  static_assert(per_epoch == fc::Cardinality::finite(4));
  // fitcheck::fitcheck dispatches the kernels here too (the parent's flags have no -march).
  std::printf("kernels: %s\n", fc::kernels::dispatch::active_level_name());
  std::puts("subproject ok");
  return 0;
}
