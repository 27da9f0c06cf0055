// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// A finite-difference gradient check for any bound layer (dlib's test_layer, in double).
//
// The layer's output y = f(x; p) is reduced to a scalar L = sum_i w_i y_i with random weights
// w, so one backward pass with dy = w gives dL/dx and dL/dp for every entry at once, and each
// entry is compared with the central difference (L(v + h) - L(v - h)) / 2h. The error of one
// entry is |analytic - numeric| / max(1, |analytic|, |numeric|): relative for large gradients,
// absolute near zero, where a relative error means nothing. With h = 1e-6 in double the
// truncation error is O(h^2) ~ 1e-12 and the rounding error O(eps |L| / h) ~ 1e-10, so the
// default tolerance 1e-6 leaves four orders of margin and still catches any wrong term.
//
// The check also catches a backward that accumulates into dx or dparams instead of
// overwriting them (both start as NaN), and one whose dparams change when dx is null (the
// first layer of a model).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::test {

struct gradient_check_options {
  double step = 1e-6;
  double tolerance = 1e-6;
  nn::mode mode = nn::mode::training;
  std::uint64_t seed = 7;  ///< for the weights w of the linear functional
  /// False for inputs that are indices (Embedding's tokens): the layer is not a function of
  /// them between integers, so dx must be exactly 0 instead of the central difference.
  bool differentiable_inputs = true;
};

struct gradient_check_result {
  double dx_error = 0;      ///< worst error over the input entries (inf: NaN seen)
  double dparam_error = 0;  ///< worst error over the parameters
  std::size_t dx_worst = 0, dparam_worst = 0;  ///< where the worst errors are
  bool null_dx_same_dparams = true;            ///< backward with dx == nullptr agrees
  [[nodiscard]] double worst() const { return std::max(dx_error, dparam_error); }
  [[nodiscard]] bool passed(double tolerance) const {
    return dx_error <= tolerance && dparam_error <= tolerance && null_dx_same_dparams;
  }
};

/// Called before every forward; stateful layers replay their state here (Dropout: reseed so
/// every evaluation sees the same mask).
struct no_reset {
  template <class B>
  void operator()(B&) const noexcept {}
};

namespace detail {
inline double entry_error(double analytic, double numeric) {
  const double e = std::abs(analytic - numeric) /
                   std::max({1.0, std::abs(analytic), std::abs(numeric)});
  return std::isnan(e) ? std::numeric_limits<double>::infinity() : e;
}
inline void note_worst(double e, std::size_t i, double& worst, std::size_t& where) {
  if (e > worst) {
    worst = e;
    where = i;
  }
}
}  // namespace detail

/// Checks dx and dparams of `layer` at inputs `x` (batch * input size values) and parameters
/// `params` (param_count values). Set FITCHECK_GRADCHECK_VERBOSE to print the worst errors.
template <class B, class Reset = no_reset>
gradient_check_result check_gradients(B& layer, std::vector<double> params, std::vector<double> x,
                                      std::size_t batch, gradient_check_options opt = {},
                                      Reset reset = {}) {
  constexpr std::size_t in_size = B::input_shape::size;
  constexpr std::size_t out_size = B::output_shape::size;
  constexpr std::size_t pc = B::param_count;
  const std::size_t n_in = batch * in_size, n_out = batch * out_size;
  if (x.size() != n_in || params.size() != pc) {
    std::fprintf(stderr, "check_gradients(%s): %zu inputs for %zu, %zu params for %zu\n", B::name,
                 x.size(), n_in, params.size(), pc);
    std::abort();
  }
  if constexpr (requires { layer.reserve(batch); }) layer.reserve(batch);

  Rng rng(opt.seed);
  std::vector<double> w(n_out);
  for (double& v : w) v = 2.0 * double(rng() >> 11) * 0x1.0p-53 - 1.0;

  std::vector<double> y(n_out);
  auto objective = [&] {
    reset(layer);
    layer.forward(params.data(), x.data(), y.data(), batch, opt.mode);
    double s = 0;
    for (std::size_t i = 0; i < n_out; ++i) s += w[i] * y[i];
    return s;
  };

  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> dx(n_in, nan), dp(pc, nan), dp_first(pc, nan);
  reset(layer);
  layer.forward(params.data(), x.data(), y.data(), batch, opt.mode);
  layer.backward(params.data(), x.data(), y.data(), w.data(), dx.data(), dp.data(), batch);
  layer.backward(params.data(), x.data(), y.data(), w.data(), static_cast<double*>(nullptr),
                 dp_first.data(), batch);

  gradient_check_result r;
  for (std::size_t k = 0; k < pc; ++k)
    if (!(dp_first[k] == dp[k])) r.null_dx_same_dparams = false;

  const double h = opt.step;
  for (std::size_t i = 0; i < n_in && !opt.differentiable_inputs; ++i)
    detail::note_worst(dx[i] == 0.0 ? 0.0 : std::numeric_limits<double>::infinity(), i,
                       r.dx_error, r.dx_worst);
  for (std::size_t i = 0; i < n_in && opt.differentiable_inputs; ++i) {
    const double keep = x[i];
    x[i] = keep + h;
    const double up = objective();
    x[i] = keep - h;
    const double down = objective();
    x[i] = keep;
    detail::note_worst(detail::entry_error(dx[i], (up - down) / (2 * h)), i, r.dx_error,
                       r.dx_worst);
  }
  for (std::size_t k = 0; k < pc; ++k) {
    const double keep = params[k];
    params[k] = keep + h;
    const double up = objective();
    params[k] = keep - h;
    const double down = objective();
    params[k] = keep;
    detail::note_worst(detail::entry_error(dp[k], (up - down) / (2 * h)), k, r.dparam_error,
                       r.dparam_worst);
  }
  if (std::getenv("FITCHECK_GRADCHECK_VERBOSE") != nullptr)
    std::printf("gradient check %-16s dx error %.3g (entry %zu), dparams error %.3g (entry %zu)\n",
                B::name, r.dx_error, r.dx_worst, r.dparam_error, r.dparam_worst);
  return r;
}

/// Runs `layer` forward in float (as the model does) on `x`, batch rows, and returns y.
template <class B>
std::vector<float> forward_values(B& layer, const std::vector<float>& x, std::size_t batch,
                                  nn::mode m = nn::mode::inference,
                                  const std::vector<float>& params = {}) {
  std::vector<float> y(batch * B::output_shape::size);
  layer.forward(params.data(), x.data(), y.data(), batch, m);
  return y;
}

/// n values uniform in [lo, hi), away from zero by at least `gap` when gap > 0 (kinks at 0).
inline std::vector<double> random_values(std::size_t n, std::uint64_t seed, double lo = -2.0,
                                         double hi = 2.0, double gap = 0.0) {
  Rng rng(seed);
  std::vector<double> v(n);
  for (double& e : v) {
    do {
      e = lo + (hi - lo) * double(rng() >> 11) * 0x1.0p-53;
    } while (std::abs(e) < gap);
  }
  return v;
}

}  // namespace fitcheck::test
