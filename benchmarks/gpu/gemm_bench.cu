// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cuda backend's GEMM: fitcheck's tiled kernel against cuBLAS (cublasSgemm), in GFLOP/s, on
// every product of bench_gpu_train's workloads: each layer's forward, input gradient (all but the
// first layer) and weight gradient, for the seed, digits and wide MLPs (wide at batch 256, 1024
// and 4096) and the CNN's lowered convolutions and dense layers at batch 64; and 2048^3. Needs a
// GPU; built with FITCHECK_ENABLE_CUDA=ON and FITCHECK_BUILD_BENCHMARKS. The last column says
// which of the two a program that links cuBLAS runs for the product.
//   bench_gpu_gemm [repetitions]
#define FITCHECK_USE_CUBLAS 1
#include <fitcheck/kernels/gpu/gemm.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

namespace {
template <class F>
double seconds_per_call(F&& f, int reps) {
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  f();  // warm-up
  cudaEventRecord(start);
  for (int i = 0; i < reps; ++i) f();
  cudaEventRecord(stop);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return double(ms) / 1e3 / reps;
}
}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 50;
  struct shape {
    std::string what;
    fk::gemm_args g;
  };
  std::vector<shape> shapes;
  // A layer mapping `in` values to `out` per row, `rows` rows per step (a dense layer's batch, a
  // convolution's output pixels with in = its window's values).
  const auto layer = [&](const char* model, std::size_t rows, std::size_t in, std::size_t out,
                         bool first) {
    const std::string at = std::string(model) + " " + std::to_string(in) + "->" +
                           std::to_string(out) + " x" + std::to_string(rows);
    shapes.push_back({at + " forward", {fk::trans::no, fk::trans::no, rows, out, in}});
    if (!first)
      shapes.push_back({at + " input grad", {fk::trans::no, fk::trans::yes, rows, in, out}});
    shapes.push_back({at + " weight grad", {fk::trans::yes, fk::trans::no, in, out, rows}});
  };
  const auto mlp = [&](const char* model, std::size_t batch, std::vector<std::size_t> widths) {
    for (std::size_t i = 0; i + 1 < widths.size(); ++i)
      layer(model, batch, widths[i], widths[i + 1], i == 0);
  };
  mlp("seed", 32, {10, 128, 1});
  mlp("digits", 64, {64, 256, 128, 10});
  for (const std::size_t batch : {256, 1024, 4096}) mlp("wide", batch, {784, 512, 256, 10});
  layer("cnn conv1", 64 * 26 * 26, 3 * 3 * 1, 32, true);
  layer("cnn conv2", 64 * 11 * 11, 3 * 3 * 32, 64, false);
  mlp("cnn dense", 64, {1600, 128, 10});
  shapes.push_back({"square 2048^3", {fk::trans::no, fk::trans::no, 2048, 2048, 2048}});
  // "runs": which of the two a program that links cuBLAS uses for the product
  // (kernels::gpu::detail::takes_cublas, own_gemm_max_macs); the faster should be it.
  std::printf("%-52s %16s %16s %8s %7s\n", "product, m x n x k", "fitcheck GFLOP/s",
              "cuBLAS GFLOP/s", "ratio", "runs");
  for (const auto& s : shapes) {
    const auto& g = s.g;
    const std::size_t lda = g.ta == fk::trans::no ? g.k : g.m;
    const std::size_t ldb = g.tb == fk::trans::no ? g.n : g.k;
    fk::gpu::device_buffer<float> a(g.m * g.k), b(g.k * g.n), c(g.m * g.n);
    a.fill(0.5f);
    b.fill(0.25f);
    const fk::gpu::detail::gemm_operands<float> o{
        g, 1.0f, 0.0f, a.data(), lda, b.data(), ldb, c.data(), g.n, {}, false};
    const double ours = seconds_per_call([&] { fk::gpu::detail::launch_tiled(o); }, reps);
    const double blas = seconds_per_call([&] { fk::gpu::detail::cublas_gemm(o, 0.0f); }, reps);
    const double flops = 2.0 * double(g.m) * double(g.n) * double(g.k);
    const std::string label = s.what + " " + std::to_string(g.m) + "x" + std::to_string(g.n) +
                              "x" + std::to_string(g.k);
    std::printf("%-52s %16.1f %16.1f %8.2f %7s\n", label.c_str(), flops / ours / 1e9,
                flops / blas / 1e9, blas / ours,
                fk::gpu::detail::takes_cublas(g) ? "cuBLAS" : "own");
  }
}
