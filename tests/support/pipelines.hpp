// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Pipelines for tests: numbered samples, and the ids a pass yields.

#include <cstddef>
#include <vector>

#include <doctest/doctest.h>

#include <fitcheck/data/data.hpp>

namespace fitcheck::test {

using Three = Features<3>;

/// n samples; sample i has features (i, 10 i, -i) and label i % classes, unsorted unless asked.
template <label_kind L = ClassLabel<4>>
auto numbered(std::size_t n, bool sorted_labels = false) {
  std::vector<float> x;
  std::vector<int> y;
  for (std::size_t i = 0; i < n; ++i) {
    x.insert(x.end(), {float(i), 10.0f * float(i), -float(i)});
    y.push_back(sorted_labels ? int(i * L::classes / (n == 0 ? 1 : n)) : int(i % L::classes));
  }
  auto owned = std::make_shared<std::vector<float>>(std::move(x));
  auto labels = std::make_shared<std::vector<typename L::value_type>>(y.begin(), y.end());
  const float* p = owned->data();
  return data::TensorSlices<Three, L>(std::move(owned), p, std::move(labels), n);
}

/// The sample ids (first feature) a pass yields, batch by batch flattened.
template <class D>
std::vector<int> ids(D& d) {
  std::vector<int> out;
  for (auto&& e : d) {
    if constexpr (data::batch_data<std::remove_cvref_t<decltype(e)>>) {
      for (std::size_t i = 0; i < e.size(); ++i) out.push_back(int(e.x_data()[i * 3]));
    } else {
      out.push_back(int(e.x[0]));
    }
  }
  return out;
}

/// Batch sizes of one pass.
template <class D>
std::vector<std::size_t> batch_sizes(D& d) {
  std::vector<std::size_t> out;
  for (auto&& b : d) out.push_back(b.size());
  return out;
}

/// Elements one pass yields.
template <class D>
std::size_t count(D& d) {
  std::size_t n = 0;
  for (auto&& e : d) {
    (void)e;
    ++n;
  }
  return n;
}

inline std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

}  // namespace fitcheck::test
