// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Sequential's fusion of Dense + ReLU/Sigmoid/Tanh: which pairs fuse, that the fused forward
// equals the layers run one by one, and a finite-difference check of the whole network's
// backward (in double) through fused and unfused boundaries alike.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/dropout.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/sequential.hpp>

namespace nn_sequential_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
// Dense ReLU | Dense Tanh | Dense (no activation) | Dense Sigmoid (last: not fused).
using Net = nn::Sequential<nn::Input<5>, nn::Dense<7>, nn::ReLU, nn::Dense<6>, nn::Tanh,
                           nn::Dense<4>, nn::Dense<3>, nn::Sigmoid>;

static_assert(Net::fused_forward<0> && Net::fused_forward<2>);
static_assert(!Net::fused_forward<4> && !Net::fused_forward<5>,
              "a Dense not followed by an activation, and the last activation, run unfused");
static_assert(Net::fused_backward<2> && Net::fused_backward<4> && !Net::fused_backward<5>);

template <class T>
struct buffers {
  std::vector<T> params;
  std::vector<std::vector<T>> acts;
  std::array<T*, Net::depth + 1> ptrs{};
  explicit buffers(std::size_t batch) : params(Net::param_count), acts(Net::depth + 1) {
    for (std::size_t i = 0; i <= Net::depth; ++i) {
      acts[i].assign(batch * Net::widths[i], T(0));
      ptrs[i] = acts[i].data();
    }
  }
};

// Runs each layer's own forward, no fusion.
template <class T>
void forward_unfused(Net& net, const T* params, T* const* acts, std::size_t batch) {
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (std::get<I>(net.layers()).forward(params + Net::param_offsets[I], acts[I], acts[I + 1], batch,
                                       nn::mode::training),
     ...);
  }(std::make_index_sequence<Net::depth>{});
}
}  // namespace

TEST_CASE("Sequential: the fused forward equals the layers run one by one") {
  constexpr std::size_t batch = 9;
  Net net;
  buffers<float> fused(batch), plain(batch);
  std::vector<float> p(Net::param_count);
  fc::Rng rng(3);
  net.init(p, rng);
  for (float& v : fused.acts[0]) v = 2 * rng.uniform_float() - 1;
  plain.acts[0] = fused.acts[0];
  net.forward(p.data(), fused.ptrs.data(), batch, nn::mode::training);
  forward_unfused(net, p.data(), plain.ptrs.data(), batch);
  const auto& out = fused.acts[Net::depth];
  const auto& expected = plain.acts[Net::depth];
  for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == doctest::Approx(expected[i]).epsilon(1e-6));
  // Fused pairs write the activation's output directly; it matches too.
  for (std::size_t i = 0; i < fused.acts[2].size(); ++i)
    CHECK(fused.acts[2][i] == doctest::Approx(plain.acts[2][i]).epsilon(1e-6));
}

TEST_CASE("Sequential: the backward through fused activations matches finite differences") {
  constexpr std::size_t batch = 4;
  Net net;
  buffers<double> b(batch);
  fc::Rng rng(5);
  std::vector<float> pf(Net::param_count);
  net.init(pf, rng);
  std::copy(pf.begin(), pf.end(), b.params.begin());
  // Biases away from zero keep every ReLU input clear of its kink.
  for (std::size_t i = 0; i < 7; ++i) b.params[Net::param_offsets[0] + 35 + i] = 0.3 * (i % 2 ? 1 : -1);
  for (double& v : b.acts[0]) v = 2 * double(rng.uniform_float()) - 1;
  std::vector<double> w(batch * Net::output_size);
  for (double& v : w) v = 2 * double(rng.uniform_float()) - 1;

  auto loss = [&] {
    net.forward(b.params.data(), b.ptrs.data(), batch, nn::mode::training);
    double s = 0;
    for (std::size_t i = 0; i < w.size(); ++i) s += w[i] * b.acts[Net::depth][i];
    return s;
  };
  (void)loss();
  std::vector<double> dy = w, scratch(batch * Net::max_width), grads(Net::param_count, NAN);
  dy.resize(batch * Net::max_width);
  net.backward(b.params.data(), b.ptrs.data(), dy.data(), scratch.data(), grads.data(), batch);

  double worst = 0;
  const double h = 1e-6;
  for (std::size_t i = 0; i < Net::param_count; ++i) {
    const double keep = b.params[i];
    b.params[i] = keep + h;
    const double up = loss();
    b.params[i] = keep - h;
    const double down = loss();
    b.params[i] = keep;
    const double numeric = (up - down) / (2 * h);
    worst = std::max(worst, std::abs(grads[i] - numeric) /
                                std::max({1.0, std::abs(grads[i]), std::abs(numeric)}));
  }
  CHECK(worst < 1e-6);
}

}  // namespace nn_sequential_test
