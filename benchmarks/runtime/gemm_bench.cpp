// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// fitcheck's kernels::gemm against OpenBLAS cblas_sgemm, float32, row-major, in GFLOP/s (2mnk per
// call), on every dense-layer shape of the three training workloads of the compute-core issue,
// in the three products a training step runs, and on a 1024^3 square:
//   forward      Y  = X  * W     m=batch n=out k=in   (no, no)
//   input grad   dX = dY * W^T   m=batch n=in  k=out  (no, trans)
//   weight grad  dW = X^T * dY   m=in    n=out k=batch (trans, no)
// Both libraries get the same stored operands and the transposition flags: no materialised
// transpose on either side. Layer shapes run on 1 thread; 1024^3 on 1 and 2 threads.
//
// Before timing, each row's two results are compared (max |difference| / max |C|): a fast
// wrong kernel must not post a figure. A measurement repeats the call until `min_seconds` have
// passed; the best of `reps` measurements counts, fitcheck and OpenBLAS alternating so both see
// the same machine load.
//
// OPENBLAS_CORETYPE is read by OpenBLAS at load time, so the two core types are two processes;
// benchmarks/run_compute_bench runs both and quotes the better.
//
// Output: a human table, and for the script `result gemm <shape> <product> <threads> <m> <n> <k>
// <fitcheck GFLOP/s> <OpenBLAS GFLOP/s> <max rel err>` lines.
// Usage: bench_gemm [min_seconds=0.05] [reps=5] [filter]
// filter: run only the rows whose "<shape> <product>" contains it (for a kernel's edit loop).
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fitcheck/kernels/gemm.hpp>
#include <string>
#include <vector>

// Declared again in case a cblas.h other than OpenBLAS's own lacks it (an identical redeclaration
// is harmless when it has it).
extern "C" void openblas_set_num_threads(int num_threads);
extern "C" char* openblas_get_corename(void);

namespace k = fitcheck::kernels;

namespace {

// The one place this benchmark sets fitcheck's thread count (the 2-thread rows).
void set_fitcheck_threads(int n) { fitcheck::kernels::set_max_threads(static_cast<unsigned>(n)); }

struct product {
  const char* name;
  k::trans ta, tb;
  std::size_t m, n, kk;
};

struct operands {
  std::vector<float> a, b, c_fc, c_blas;
  std::size_t lda, ldb, ldc;
};

// Stored shapes: A is m x k (k x m when transposed), B is k x n (n x k when transposed).
operands make_operands(const product& p, unsigned seed) {
  operands o;
  const bool ta = p.ta == k::trans::yes, tb = p.tb == k::trans::yes;
  o.lda = ta ? p.m : p.kk;
  o.ldb = tb ? p.kk : p.n;
  o.ldc = p.n;
  o.a.resize(p.m * p.kk);
  o.b.resize(p.kk * p.n);
  o.c_fc.assign(p.m * p.n, 0.f);
  o.c_blas.assign(p.m * p.n, 0.f);
  std::srand(seed);
  for (auto& v : o.a) v = 2.f * float(std::rand()) / float(RAND_MAX) - 1.f;
  for (auto& v : o.b) v = 2.f * float(std::rand()) / float(RAND_MAX) - 1.f;
  return o;
}

void run_fitcheck(const product& p, operands& o) {
  k::gemm(fitcheck::cpu, k::gemm_args{p.ta, p.tb, p.m, p.n, p.kk}, 1.f, o.a.data(), o.lda,
          o.b.data(), o.ldb, 0.f, o.c_fc.data(), o.ldc);
}

void run_openblas(const product& p, operands& o) {
  cblas_sgemm(CblasRowMajor, p.ta == k::trans::yes ? CblasTrans : CblasNoTrans,
              p.tb == k::trans::yes ? CblasTrans : CblasNoTrans, int(p.m), int(p.n), int(p.kk), 1.f,
              o.a.data(), int(o.lda), o.b.data(), int(o.ldb), 0.f, o.c_blas.data(), int(o.ldc));
}

// Calls per second over at least `min_seconds`, as GFLOP/s.
template <class F>
double measure_gflops(F&& call, double flops, double min_seconds) {
  using clock = std::chrono::steady_clock;
  std::size_t calls = 0;
  const auto t0 = clock::now();
  double s = 0;
  do {
    call();
    ++calls;
    s = std::chrono::duration<double>(clock::now() - t0).count();
  } while (s < min_seconds);
  return flops * double(calls) / s * 1e-9;
}

double max_rel_err(const std::vector<float>& x, const std::vector<float>& ref) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, double(std::fabs(x[i] - ref[i])));
    scale = std::max(scale, double(std::fabs(ref[i])));
  }
  return scale > 0 ? diff / scale : diff;
}

struct layer {
  const char* workload;
  std::size_t batch, in, out;
};

bool bench_row(const std::string& shape, const product& p, int threads, double min_seconds,
               int reps) {
  operands o = make_operands(p, unsigned(p.m * 131 + p.n * 17 + p.kk));
  set_fitcheck_threads(threads);
  openblas_set_num_threads(threads);
  run_fitcheck(p, o);
  run_openblas(p, o);
  const double err = max_rel_err(o.c_fc, o.c_blas);
  // float32 sums of up to 1024 products of [-1, 1] values: both libraries land within ~1e-6 of
  // each other relative to the largest entry; 1e-4 flags a wrong kernel, not rounding.
  const bool ok = err < 1e-4;
  const double flops = 2.0 * double(p.m) * double(p.n) * double(p.kk);
  double best_fc = 0, best_blas = 0;
  if (ok) {
    for (int r = 0; r < reps; ++r) {
      best_fc = std::max(best_fc, measure_gflops([&] { run_fitcheck(p, o); }, flops, min_seconds));
      best_blas =
          std::max(best_blas, measure_gflops([&] { run_openblas(p, o); }, flops, min_seconds));
    }
  }
  std::printf("%-22s %-12s %2d %5zu %5zu %5zu %10.2f %10.2f %7.3fx %9.1e%s\n", shape.c_str(),
              p.name, threads, p.m, p.n, p.kk, best_fc, best_blas, ok ? best_fc / best_blas : 0.0,
              err, ok ? "" : "  MISMATCH");
  std::printf("result gemm %s %s %d %zu %zu %zu %.3f %.3f %.3e\n", shape.c_str(), p.name, threads,
              p.m, p.n, p.kk, best_fc, best_blas, err);
  std::fflush(stdout);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const double min_seconds = argc > 1 ? std::atof(argv[1]) : 0.05;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string filter = argc > 3 ? argv[3] : "";
  auto selected = [&](const std::string& shape, const product& p) {
    return (shape + " " + p.name).find(filter) != std::string::npos;
  };
  const char* core = std::getenv("OPENBLAS_CORETYPE");
  // The kernel set OpenBLAS chose: with OPENBLAS_CORETYPE unset, an OpenBLAS older than the CPU
  // may pick a slower one, which is why the script also runs with SkylakeX.
  std::printf(
      "bench_gemm: float32 row-major, best of %d measurements of >= %.3f s each, "
      "OPENBLAS_CORETYPE=%s, OpenBLAS core %s\n",
      reps, min_seconds, core != nullptr ? core : "(unset)", openblas_get_corename());
  std::printf("%-22s %-12s %2s %5s %5s %5s %10s %10s %8s %9s\n", "shape", "product", "th", "m", "n",
              "k", "fitcheck", "OpenBLAS", "ratio", "rel err");

  // The dense layers of the three workloads: batch, fan-in, fan-out.
  const layer layers[] = {
      {"seed", 32, 10, 128},    {"seed", 32, 128, 1},    {"digits", 64, 64, 256},
      {"digits", 64, 256, 128}, {"digits", 64, 128, 10}, {"wide", 256, 784, 512},
      {"wide", 256, 512, 256},  {"wide", 256, 256, 10},
  };
  bool all_ok = true;
  for (const layer& l : layers) {
    const std::string shape = std::string(l.workload) + "_" + std::to_string(l.in) + "x" +
                              std::to_string(l.out) + "_b" + std::to_string(l.batch);
    const product products[] = {
        {"forward", k::trans::no, k::trans::no, l.batch, l.out, l.in},
        {"input_grad", k::trans::no, k::trans::yes, l.batch, l.in, l.out},
        {"weight_grad", k::trans::yes, k::trans::no, l.in, l.out, l.batch},
    };
    for (const product& p : products)
      if (selected(shape, p)) all_ok &= bench_row(shape, p, 1, min_seconds, reps);
  }
  const product square{"square", k::trans::no, k::trans::no, 1024, 1024, 1024};
  // The square rows get at least 0.2 s a measurement: one call is ~2 GFLOP.
  for (int threads : {1, 2})
    if (selected("1024^3", square)) all_ok &= bench_row("1024^3", square, threads, std::max(min_seconds, 0.2), reps);
  if (!all_ok) {
    std::fprintf(stderr, "bench_gemm: fitcheck and OpenBLAS disagree on a row marked MISMATCH\n");
    return 1;
  }
  return 0;
}
