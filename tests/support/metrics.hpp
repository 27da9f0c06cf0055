// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Feeding a metric a batch written as vectors, in the tests of the metrics.
#pragma once

#include <cstddef>
#include <vector>

namespace fitcheck::test {

/// A metric's update with labels of kind L over one batch: rows of `width` outputs and their
/// labels.
template <class L, class M, class Y>
void feed(M& m, const std::vector<float>& out, const std::vector<Y>& y, std::size_t width) {
  m.template update<L>(out.data(), y.data(), out.size() / width, width);
}

}  // namespace fitcheck::test
