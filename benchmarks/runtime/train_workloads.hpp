// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// What bench_train (CPU) and bench_gpu_train (fc::cuda_t) share: the same random data and the
// same way of timing an epoch through Model::fit, so their figures compare.

#include <chrono>
#include <cstddef>
#include <type_traits>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace fitcheck::bench {

/// n samples of F (a Features<...>) uniform in [-1, 1) and labels of `Classes` classes (2:
/// binary).
template <class F, std::size_t Classes>
auto random_data(std::size_t n) {
  Rng rng(1);
  std::vector<std::size_t> shape{n};
  shape.insert(shape.end(), F::shape::dims.begin(), F::shape::dims.end());
  xt::xarray<float> xs = xt::zeros<float>(shape);
  xt::xtensor<int, 1> ys = xt::zeros<int>({n});
  for (auto& v : xs) v = 2 * rng.uniform_float() - 1;
  for (auto& v : ys) v = int(rng.below(Classes));
  using L = std::conditional_t<Classes == 2, BinaryLabel, ClassLabel<Classes>>;
  return data::from_tensor_slices<F, L>(xs, ys);
}

/// One epoch through fit (progress output off), in seconds.
template <class Model, class Pipeline, class... Args>
double epoch_seconds(Model& model, Pipeline& train, Args... args) {
  const auto t0 = std::chrono::steady_clock::now();
  (void)model.fit(train, Epochs{1}, Verbose{0}, args...);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace fitcheck::bench
