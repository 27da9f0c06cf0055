// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The cuda backend's GEMM: fitcheck's tiled kernel against cuBLAS (cublasSgemm) on the three
// products of a dense layer's training step, in GFLOP/s. Needs a GPU; built with
// FITCHECK_ENABLE_CUDA=ON and FITCHECK_BUILD_BENCHMARKS.
//   bench_gpu_gemm [repetitions]
#define FITCHECK_USE_CUBLAS 1
#include <fitcheck/kernels/gpu/gemm.hpp>

#include <cstdio>
#include <cstdlib>
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
    const char* what;
    fk::gemm_args g;
  };
  // A 784-512-512-10 MLP at batch 256: forward, input gradient, weight gradient.
  const shape shapes[] = {
      {"forward  256x512x784 ", {fk::trans::no, fk::trans::no, 256, 512, 784}},
      {"input gr 256x784x512 ", {fk::trans::no, fk::trans::yes, 256, 784, 512}},
      {"weight g 784x512x256 ", {fk::trans::yes, fk::trans::no, 784, 512, 256}},
      {"forward  256x512x512 ", {fk::trans::no, fk::trans::no, 256, 512, 512}},
      {"square  2048^3       ", {fk::trans::no, fk::trans::no, 2048, 2048, 2048}},
  };
  std::printf("shape (m x n x k)        fitcheck GFLOP/s   cuBLAS GFLOP/s   ratio\n");
  for (const auto& s : shapes) {
    const auto& g = s.g;
    const std::size_t lda = g.ta == fk::trans::no ? g.k : g.m;
    const std::size_t ldb = g.tb == fk::trans::no ? g.n : g.k;
    fk::gpu::device_buffer<float> a(g.m * g.k), b(g.k * g.n), c(g.m * g.n);
    a.fill(0.5f);
    b.fill(0.25f);
    const fk::gpu::detail::gemm_operands<float> o{g, 1.0f, 0.0f, a.data(), lda, b.data(), ldb,
                                                  c.data(), g.n, nullptr,
                                                  fk::activation::identity, nullptr, false};
    const double ours = seconds_per_call([&] { fk::gpu::detail::launch_tiled(o); }, reps);
    const double blas = seconds_per_call([&] { fk::gpu::detail::cublas_gemm(o, 0.0f); }, reps);
    const double flops = 2.0 * double(g.m) * double(g.n) * double(g.k);
    std::printf("%s %16.1f %16.1f %8.2f\n", s.what, flops / ours / 1e9, flops / blas / 1e9,
                blas / ours);
  }
}
