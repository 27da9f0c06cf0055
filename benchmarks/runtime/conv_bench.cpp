// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// The three products of each convolution of the Fashion-MNIST CNN (bench_train's `cnn`) at
// batch 64, through kernels::conv2d_*(cpu, ...) as Conv2D calls them, in GFLOP/s (2 x the
// multiply-adds a direct convolution does), against the machine's measured FMA peak: a loop of
// independent vector FMAs in registers on one thread, the most any kernel could reach.
//   forward        Y = act(conv(X, W) + b)
//   weight grad    dW = col(X)^T dY
//   input grad     dX = col2im(dY W^T), times ReLU's derivative
// Each figure is the best of `reps` measurements of >= `min_seconds`. Results are checked
// against the direct reference first: a fast wrong kernel must not post a figure.
// Output: a table, and `result conv <layer> <product> <threads> <GFLOP/s> <peak GFLOP/s>` lines.
// Usage: bench_conv [min_seconds=0.2] [reps=5] [threads=1]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/nn/window.hpp>

namespace k = fitcheck::kernels;
namespace nn = fitcheck::nn;
namespace simd = fitcheck::kernels::cpu::simd;

namespace {

template <class F>
double best_seconds_per_call(F&& f, double min_seconds, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    std::size_t calls = 0;
    const auto t0 = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
      f();
      ++calls;
      elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (elapsed < min_seconds);
    best = std::min(best, elapsed / double(calls));
  }
  return best;
}

// Independent FMA chains, enough of them to cover the FMA latency on every unit.
double fma_peak_gflops(double min_seconds) {
  using A = simd::default_arch;
  using B = simd::batch<float, A>;
  constexpr int chains = 12;
  constexpr std::size_t w = simd::width<float, A>;
  B acc[chains];
  for (int i = 0; i < chains; ++i) acc[i] = B(float(i) * 1e-3f);
  const B a(0.999999f), b(1e-7f);
  constexpr std::size_t steps = 1 << 20;
  const double s = best_seconds_per_call(
      [&] {
        for (std::size_t i = 0; i < steps; ++i)
          for (int c = 0; c < chains; ++c) acc[c] = simd::fma(acc[c], a, b);
        asm volatile("" : : "m"(acc) : "memory");
      },
      min_seconds, 3);
  float sink = 0;
  for (const B& v : acc) sink += simd::reduce_add(v);
  if (sink == 12345.0f) std::puts("");
  return 2.0 * double(steps * chains * w) / s * 1e-9;
}

std::vector<float> random_floats(std::size_t n, std::uint64_t seed) {
  fitcheck::Rng rng(seed);
  std::vector<float> v(n);
  for (float& e : v) e = 2 * rng.uniform_float() - 1;
  return v;
}

double max_relative(const std::vector<float>& got, const std::vector<float>& want) {
  double diff = 0, scale = 1e-30;
  for (std::size_t i = 0; i < got.size(); ++i) {
    diff = std::max(diff, std::abs(double(got[i]) - double(want[i])));
    scale = std::max(scale, std::abs(double(want[i])));
  }
  return diff / scale;
}

void layer(const char* name, k::conv_geometry g, double min_seconds, int reps, int threads,
           double peak) {
  const double flops = 2.0 * double(g.rows()) * double(g.f) * double(g.depth());
  const std::size_t nx = g.batch * g.h * g.w * g.c, ny = g.rows() * g.f;
  const auto x = random_floats(nx, 1), w = random_floats(g.depth() * g.f, 2),
             b = random_floats(g.f, 3), dy = random_floats(ny, 4);
  std::vector<float> xr = x;
  for (float& v : xr) v = std::max(v, 0.0f);
  std::vector<float> work(k::conv_workspace_size(g, g.batch));
  std::vector<float> y(ny), y_ref(ny), dw(w.size()), dw_ref(w.size()), db(g.f), dx(nx),
      dx_ref(nx);
  k::conv2d_forward(fitcheck::cpu, g, x.data(), w.data(), b.data(), y.data(), k::activation::relu,
                    std::span<float>(work));
  k::conv2d_forward(fitcheck::reference, g, x.data(), w.data(), b.data(), y_ref.data(),
                    k::activation::relu);
  k::conv2d_backward_filter(fitcheck::cpu, g, x.data(), dy.data(), dw.data(), db.data(),
                            std::span<float>(work));
  k::conv2d_backward_filter(fitcheck::reference, g, x.data(), dy.data(), dw_ref.data(), db.data());
  k::conv2d_backward_data(fitcheck::cpu, g, dy.data(), w.data(), dx.data(), k::activation::relu,
                          xr.data(), std::span<float>(work));
  k::conv2d_backward_data(fitcheck::reference, g, dy.data(), w.data(), dx_ref.data(),
                          k::activation::relu, xr.data());
  const double err = std::max({max_relative(y, y_ref), max_relative(dw, dw_ref),
                               max_relative(dx, dx_ref)});
  if (err > 1e-4) {
    std::printf("%s: results differ from the reference (max relative error %.3g)\n", name, err);
    std::exit(1);
  }
  struct product {
    const char* name;
    double seconds;
  };
  const product products[] = {
      {"forward", best_seconds_per_call(
                      [&] {
                        k::conv2d_forward(fitcheck::cpu, g, x.data(), w.data(), b.data(), y.data(),
                                          k::activation::relu, std::span<float>(work));
                      },
                      min_seconds, reps)},
      {"weight_grad", best_seconds_per_call(
                          [&] {
                            k::conv2d_backward_filter(fitcheck::cpu, g, x.data(), dy.data(),
                                                      dw.data(), db.data(), std::span<float>(work));
                          },
                          min_seconds, reps)},
      {"input_grad", best_seconds_per_call(
                         [&] {
                           k::conv2d_backward_data(fitcheck::cpu, g, dy.data(), w.data(), dx.data(),
                                                   k::activation::relu, xr.data(),
                                                   std::span<float>(work));
                         },
                         min_seconds, reps)},
  };
  for (const auto& p : products) {
    const double gflops = flops / p.seconds * 1e-9;
    std::printf("%-6s %-12s %8.1f %9.1f %%\n", name, p.name, gflops, 100.0 * gflops / peak);
    std::printf("result conv %s %s %d %.2f %.2f\n", name, p.name, threads, gflops, peak);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double min_seconds = argc > 1 ? std::atof(argv[1]) : 0.2;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  k::set_max_threads(static_cast<unsigned>(threads));
  const double peak = fma_peak_gflops(min_seconds) * threads;
  std::printf("FMA peak: %.1f GFLOP/s on %d thread(s) (%s)\n", peak, threads,
              simd::default_arch::name());
  std::printf("%-6s %-12s %8s %10s\n", "layer", "product", "GFLOP/s", "of peak");
  auto geometry = [](std::size_t h, std::size_t w, std::size_t c, std::size_t f) {
    k::conv_geometry g = nn::detail::window_geometry(fitcheck::Dims{3, {h, w, c}}, 3, 1, 1,
                                                     nn::padding::valid);
    g.f = f;
    g.batch = 64;
    return g;
  };
  layer("conv1", geometry(28, 28, 1, 32), min_seconds, reps, threads, peak);
  layer("conv2", geometry(13, 13, 32, 64), min_seconds, reps, threads, peak);
  return 0;
}
