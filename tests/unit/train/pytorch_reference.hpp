// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The PyTorch reference run of ../shared/ref (copied to tests/data/ref): the seed MLP's
// weights, data and per-step losses, for the CPU and GPU backends' reference tests.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#ifndef FITCHECK_REF_DIR
#error "FITCHECK_REF_DIR must name the directory of the PyTorch reference files"
#endif

namespace fitcheck::test::ref {

/// A little-endian float32 file of the reference run.
inline std::vector<float> load(const std::string& name) {
  std::ifstream in(std::string(FITCHECK_REF_DIR) + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing reference file " << name);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

/// A little-endian float64 file (the layer references, computed in float64).
inline std::vector<double> load_doubles(const std::string& name) {
  std::ifstream in(std::string(FITCHECK_REF_DIR) + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing reference file " << name);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  std::vector<double> v(bytes.size() / sizeof(double));
  std::memcpy(v.data(), bytes.data(), v.size() * sizeof(double));
  return v;
}

/// The largest |a[i] - b[i]|.
inline double max_difference(std::span<const float> a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - b[i]));
  return m;
}

/// Trains `model` one step per batch of `train`, each step's loss within `tolerance` of the one
/// PyTorch recorded, as many steps as it recorded; returns the largest difference.
template <class M, class P>
double check_step_losses(M& model, P& train, const std::vector<double>& expected,
                         double tolerance) {
  std::size_t t = 0;
  double worst = 0;
  for (const auto& batch : train) {
    REQUIRE(t < expected.size());
    const double loss = model.train_step(batch);
    CAPTURE(t);
    CHECK(std::abs(loss - expected[t]) <= tolerance);
    worst = std::max(worst, std::abs(loss - expected[t]));
    ++t;
  }
  CHECK(t == expected.size());
  return worst;
}

/// The losses PyTorch recorded, one per step.
inline std::vector<double> load_losses(const std::string& name) {
  std::ifstream in(std::string(FITCHECK_REF_DIR) + "/" + name);
  REQUIRE_MESSAGE(in.good(), "missing reference file " << name);
  std::vector<double> v;
  for (double x; in >> x;) v.push_back(x);
  return v;
}

// PyTorch stores Linear weights [out, in]; fitcheck's Dense kernel is [in, out] as in Keras.
inline std::vector<float> transpose(const std::vector<float>& w, std::size_t rows,
                                    std::size_t cols) {
  std::vector<float> t(w.size());
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) t[c * rows + r] = w[r * cols + c];
  return t;
}

/// The reference network: 10-128(ReLU)-1(sigmoid).
using SeedNet = Sequential<Input<10>, Dense<128>, ReLU, Dense<1>, Sigmoid>;

/// Writes the reference parameters of `stage` ("init", "final_sgd", "final_adam") into a model
/// of SeedNet, on any backend.
template <class M>
void set_seed_parameters(M& m, const std::string& stage) {
  auto w1 = transpose(load("seed_mlp_" + stage + "_W1.bin"), 128, 10);
  auto b1 = load("seed_mlp_" + stage + "_b1.bin");
  auto w2 = transpose(load("seed_mlp_" + stage + "_W2.bin"), 1, 128);
  auto b2 = load("seed_mlp_" + stage + "_b2.bin");
  auto l0 = m.template layer_parameters<0>();
  auto l2 = m.template layer_parameters<2>();
  std::copy(w1.begin(), w1.end(), l0.begin());
  std::copy(b1.begin(), b1.end(), l0.begin() + 1280);
  std::copy(w2.begin(), w2.end(), l2.begin());
  std::copy(b2.begin(), b2.end(), l2.begin() + 128);
}

/// The reference run's data (its features and 0/1 labels), and its 20 batches of 32 in order.
struct seed_data {
  std::vector<float> x = load("seed_mlp_X.bin");
  std::vector<int> y = [] {
    const auto labels = load("seed_mlp_y.bin");
    return std::vector<int>(labels.begin(), labels.end());
  }();
  [[nodiscard]] auto batches() const {
    return data::from_tensor_slices<Features<10>, BinaryLabel>(std::span<const float>(x),
                                                               std::span<const int>(y)) |
           data::batch<32>();
  }
};

}  // namespace fitcheck::test::ref
