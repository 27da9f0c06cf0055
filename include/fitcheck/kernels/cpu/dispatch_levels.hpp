// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The body of the translation units of the kernels library, fitcheck_cpu_kernels
// (cmake/fitcheckKernels.cmake; never included by a user's own code). Each defines
// FITCHECK_KERNEL_LEVEL (baseline, avx2 or avx512),
// is compiled with that level's flags, and defines the level's table of kernels, instantiated
// for the instruction set the flags select. The baseline one also defines FITCHECK_DISPATCHER:
// the functions of the kernel headers' `dispatch` namespaces, which run the table chosen once
// per process (cpu/dispatch.hpp).
//
// The linker keeps one copy of each inline function the three units share. Every kernel is a
// template on its instruction set (Arch), so each level's kernels are functions of their own;
// what remains shared (the standard library, the reference loops, the thread pool) computes the
// same results at every level, and the library lists the baseline unit first so that its copies,
// built for the directory's own flags, are the ones the linker keeps.

#if !defined(FITCHECK_KERNEL_LEVEL)
#error "dispatch_levels.hpp is the body of the kernels library's units (cmake/fitcheckKernels.cmake)"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <type_traits>

#include <fitcheck/kernels/conv.hpp>
#include <fitcheck/kernels/cpu/dispatch.hpp>
#include <fitcheck/kernels/cpu/xsimd_compat.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/loss.hpp>
#include <fitcheck/kernels/recurrent.hpp>
#include <fitcheck/kernels/reduce.hpp>
#include <fitcheck/kernels/softmax.hpp>
#include <fitcheck/kernels/update.hpp>

// The baseline unit also compiles the code every user file only declares (config.hpp).
#if defined(FITCHECK_DISPATCHER)
#include <fitcheck/compiled.hpp>
#endif

namespace fitcheck::kernels::dispatch {

/// One level's kernels: the functions declared in the kernel headers' dispatch namespaces.
struct table {
  level at;
  const char* name;  ///< as FITCHECK_CPU spells it
  const char* isa;   ///< xsimd's name for the instruction set compiled for
  decltype(&dispatch::gemm) gemm;
  decltype(&dispatch::activation_forward) activation_forward;
  decltype(&dispatch::activation_backward) activation_backward;
  decltype(&dispatch::activation_backward_from_output) activation_backward_from_output;
  decltype(&dispatch::bias_add) bias_add;
  decltype(&dispatch::column_sums) column_sums;
  decltype(&dispatch::sum) sum;
  decltype(&dispatch::dot) dot;
  decltype(&dispatch::softmax_rows) softmax_rows;
  decltype(&dispatch::softmax_backward_rows) softmax_backward_rows;
  decltype(&dispatch::adam_update) adam_update;
  decltype(&dispatch::sgd_update) sgd_update;
  decltype(&dispatch::rmsprop_update) rmsprop_update;
  decltype(&dispatch::adagrad_update) adagrad_update;
  decltype(&dispatch::adamax_update) adamax_update;
  decltype(&dispatch::adadelta_update) adadelta_update;
  decltype(&dispatch::lion_update) lion_update;
  decltype(&dispatch::nadam_update) nadam_update;
  decltype(&dispatch::amsgrad_update) amsgrad_update;
  decltype(&dispatch::conv2d_forward) conv2d_forward;
  decltype(&dispatch::conv2d_backward_filter) conv2d_backward_filter;
  decltype(&dispatch::conv2d_backward_data) conv2d_backward_data;
  decltype(&dispatch::pool2d_forward) pool2d_forward;
  decltype(&dispatch::pool2d_backward) pool2d_backward;
  decltype(&dispatch::lstm_step_forward) lstm_step_forward;
  decltype(&dispatch::lstm_step_backward) lstm_step_backward;
  decltype(&dispatch::gru_step_forward) gru_step_forward;
  decltype(&dispatch::gru_step_backward) gru_step_backward;
  float (*bce_logits_int)(const float*, const std::int32_t*, float*, std::size_t) noexcept;
  float (*bce_logits_float)(const float*, const float*, float*, std::size_t) noexcept;
};

}  // namespace fitcheck::kernels::dispatch

extern const fitcheck::kernels::dispatch::table fitcheck_kernel_table_baseline;
extern const fitcheck::kernels::dispatch::table fitcheck_kernel_table_avx2;
extern const fitcheck::kernels::dispatch::table fitcheck_kernel_table_avx512;

namespace fitcheck::kernels::dispatch::detail {
inline constexpr level this_level = level::FITCHECK_KERNEL_LEVEL;
using A = cpu::simd::default_arch;
// The flags the kernels library gives each level select its instruction set in xsimd.
static_assert(this_level != level::avx512 || cpu::simd::arch_level<A> == 2,
              "the avx512 kernels need -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl");
static_assert(this_level != level::avx2 || cpu::simd::arch_level<A> == 1,
              "the avx2 kernels need -mavx2 -mfma (and no AVX-512)");
}  // namespace fitcheck::kernels::dispatch::detail

// Each entry runs the kernel compiled here (FITCHECK_DISPATCHED is 0 in these units).
const fitcheck::kernels::dispatch::table
    FITCHECK_CONCAT(fitcheck_kernel_table_, FITCHECK_KERNEL_LEVEL) = {
    fitcheck::kernels::dispatch::detail::this_level,
    FITCHECK_STRINGIFY(FITCHECK_KERNEL_LEVEL),
    fitcheck::kernels::dispatch::detail::A::name(),
    [](const fitcheck::kernels::gemm_args& g, float alpha, const float* a, std::size_t lda,
       const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
       const fitcheck::kernels::epilogue<float>& epi) noexcept {
      fitcheck::kernels::gemm(fitcheck::cpu, g, alpha, a, lda, b, ldb, beta, c, ldc, epi);
    },
    [](fitcheck::kernels::activation act, const float* x, float* y, std::size_t n) noexcept {
      fitcheck::kernels::activation_forward(fitcheck::cpu, act, x, y, n);
    },
    [](fitcheck::kernels::activation act, const float* x, const float* y, const float* dy,
       float* dx, std::size_t n) noexcept {
      fitcheck::kernels::activation_backward(fitcheck::cpu, act, x, y, dy, dx, n);
    },
    [](fitcheck::kernels::activation act, const float* y, const float* dy, float* dx,
       std::size_t n) noexcept {
      fitcheck::kernels::activation_backward_from_output(fitcheck::cpu, act, y, dy, dx, n);
    },
    [](float* y, const float* b, std::size_t rows, std::size_t cols) noexcept {
      fitcheck::kernels::bias_add(fitcheck::cpu, y, b, rows, cols);
    },
    [](const float* dy, float* db, std::size_t rows, std::size_t cols) noexcept {
      fitcheck::kernels::column_sums(fitcheck::cpu, dy, db, rows, cols);
    },
    [](std::span<const float> x) noexcept { return fitcheck::kernels::sum(fitcheck::cpu, x); },
    [](std::span<const float> x, std::span<const float> y) noexcept {
      return fitcheck::kernels::dot(fitcheck::cpu, x, y);
    },
    [](const float* x, float* y, std::size_t rows, std::size_t k) noexcept {
      fitcheck::kernels::softmax_rows(fitcheck::cpu, x, y, rows, k);
    },
    [](const float* y, const float* dy, float* dx, std::size_t rows, std::size_t k) noexcept {
      fitcheck::kernels::softmax_backward_rows(fitcheck::cpu, y, dy, dx, rows, k);
    },
    [](float* p, const float* g, float* m, float* v, std::size_t n,
       const fitcheck::kernels::adam_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::adam_update(fitcheck::cpu, p, g, m, v, n, c, squares);
    },
    [](float* p, const float* g, float* velocity, std::size_t n,
       const fitcheck::kernels::sgd_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::sgd_update(fitcheck::reference, p, g, velocity, n, c, squares);
    },
    [](float* p, const float* g, float* square_avg, float* momentum_buffer, float* grad_avg,
       std::size_t n, const fitcheck::kernels::rmsprop_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::rmsprop_update(fitcheck::reference, p, g, square_avg, momentum_buffer,
                                        grad_avg, n, c, squares);
    },
    [](float* p, const float* g, float* sum_sq, std::size_t n,
       const fitcheck::kernels::adagrad_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::adagrad_update(fitcheck::reference, p, g, sum_sq, n, c, squares);
    },
    [](float* p, const float* g, float* m, float* u, std::size_t n,
       const fitcheck::kernels::adamax_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::adamax_update(fitcheck::reference, p, g, m, u, n, c, squares);
    },
    [](float* p, const float* g, float* square_avg, float* acc_delta, std::size_t n,
       const fitcheck::kernels::adadelta_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::adadelta_update(fitcheck::reference, p, g, square_avg, acc_delta, n, c,
                                         squares);
    },
    [](float* p, const float* g, float* m, std::size_t n,
       const fitcheck::kernels::lion_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::lion_update(fitcheck::reference, p, g, m, n, c, squares);
    },
    [](float* p, const float* g, float* m, float* v, std::size_t n,
       const fitcheck::kernels::nadam_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::nadam_update(fitcheck::reference, p, g, m, v, n, c, squares);
    },
    [](float* p, const float* g, float* m, float* v, float* v_max, std::size_t n,
       const fitcheck::kernels::adam_coefficients& c, double* squares) noexcept {
      fitcheck::kernels::amsgrad_update(fitcheck::reference, p, g, m, v, v_max, n, c, squares);
    },
    [](const fitcheck::kernels::conv_geometry& g, const float* x, const float* wt,
       const float* bias, float* y, fitcheck::kernels::activation act,
       std::span<float> work) noexcept {
      fitcheck::kernels::conv2d_forward(fitcheck::cpu, g, x, wt, bias, y, act, work);
    },
    [](const fitcheck::kernels::conv_geometry& g, const float* x, const float* dy, float* dw,
       float* db, std::span<float> work) noexcept {
      fitcheck::kernels::conv2d_backward_filter(fitcheck::cpu, g, x, dy, dw, db, work);
    },
    [](const fitcheck::kernels::conv_geometry& g, const float* dy, const float* wt, float* dx,
       fitcheck::kernels::activation input_act, const float* x, std::span<float> work) noexcept {
      fitcheck::kernels::conv2d_backward_data(fitcheck::cpu, g, dy, wt, dx, input_act, x, work);
    },
    [](fitcheck::kernels::pool kind, const fitcheck::kernels::conv_geometry& g, const float* x,
       float* y) noexcept { fitcheck::kernels::pool2d_forward(fitcheck::cpu, kind, g, x, y); },
    [](fitcheck::kernels::pool kind, const fitcheck::kernels::conv_geometry& g, const float* x,
       const float* y, const float* dy, float* dx) noexcept {
      fitcheck::kernels::pool2d_backward(fitcheck::cpu, kind, g, x, y, dy, dx);
    },
    [](const fitcheck::kernels::lstm_step<float>& s) noexcept {
      fitcheck::kernels::lstm_step_forward(fitcheck::cpu, s);
    },
    [](const fitcheck::kernels::lstm_step_grad<float>& s) noexcept {
      fitcheck::kernels::lstm_step_backward(fitcheck::cpu, s);
    },
    [](const fitcheck::kernels::gru_step<float>& s) noexcept {
      fitcheck::kernels::gru_step_forward(fitcheck::cpu, s);
    },
    [](const fitcheck::kernels::gru_step_grad<float>& s) noexcept {
      fitcheck::kernels::gru_step_backward(fitcheck::cpu, s);
    },
    [](const float* z, const std::int32_t* y, float* grad, std::size_t n) noexcept {
      return fitcheck::kernels::binary_crossentropy_logits(fitcheck::cpu, z, y, grad, n);
    },
    [](const float* z, const float* y, float* grad, std::size_t n) noexcept {
      return fitcheck::kernels::binary_crossentropy_logits(fitcheck::cpu, z, y, grad, n);
    },
};

#if defined(FITCHECK_DISPATCHER)
namespace fitcheck::kernels::dispatch {

namespace detail {

// The widest level both the CPU and the operating system support (xsimd's CPUID and XGETBV
// check), lowered to FITCHECK_CPU's level when that names a lower one.
inline const table& choose() noexcept {
  const table* best = &fitcheck_kernel_table_baseline;
#if defined(FITCHECK_DISPATCH_X86)
  const int cpu = cpu::simd::cpu_level();
  if (cpu >= 1) best = &fitcheck_kernel_table_avx2;
  if (cpu >= 2) best = &fitcheck_kernel_table_avx512;
#endif
  const char* want = std::getenv("FITCHECK_CPU");
  if (want == nullptr || *want == '\0') return *best;
  const table* const all[] = {&fitcheck_kernel_table_baseline,
#if defined(FITCHECK_DISPATCH_X86)
                              &fitcheck_kernel_table_avx2, &fitcheck_kernel_table_avx512
#endif
  };
  for (const table* t : all) {
    if (std::strcmp(want, t->name) != 0) continue;
    if (t->at <= best->at) return *t;
    std::fprintf(stderr,
                 "fitcheck: FITCHECK_CPU=%s asks for more than this CPU supports; running the "
                 "%s kernels\n",
                 want, best->name);
    return *best;
  }
  std::fprintf(stderr,
               "fitcheck: FITCHECK_CPU=%s is not a kernel level (baseline, avx2, avx512); running "
               "the %s kernels\n",
               want, best->name);
  return *best;
}

inline const table& active() noexcept {
  static const table& chosen = choose();
  return chosen;
}

}  // namespace detail

level active_level() noexcept { return detail::active().at; }
const char* active_level_name() noexcept { return detail::active().name; }
const char* active_isa() noexcept { return detail::active().isa; }

void gemm(const gemm_args& g, float alpha, const float* a, std::size_t lda, const float* b,
          std::size_t ldb, float beta, float* c, std::size_t ldc,
          const epilogue<float>& epi) noexcept {
  detail::active().gemm(g, alpha, a, lda, b, ldb, beta, c, ldc, epi);
}
void activation_forward(activation act, const float* x, float* y, std::size_t n) noexcept {
  detail::active().activation_forward(act, x, y, n);
}
void activation_backward(activation act, const float* x, const float* y, const float* dy,
                         float* dx, std::size_t n) noexcept {
  detail::active().activation_backward(act, x, y, dy, dx, n);
}
void activation_backward_from_output(activation act, const float* y, const float* dy, float* dx,
                                     std::size_t n) noexcept {
  detail::active().activation_backward_from_output(act, y, dy, dx, n);
}
void bias_add(float* y, const float* b, std::size_t rows, std::size_t cols) noexcept {
  detail::active().bias_add(y, b, rows, cols);
}
void column_sums(const float* dy, float* db, std::size_t rows, std::size_t cols) noexcept {
  detail::active().column_sums(dy, db, rows, cols);
}
float sum(std::span<const float> x) noexcept { return detail::active().sum(x); }
float dot(std::span<const float> x, std::span<const float> y) noexcept {
  return detail::active().dot(x, y);
}
void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t k) noexcept {
  detail::active().softmax_rows(x, y, rows, k);
}
void softmax_backward_rows(const float* y, const float* dy, float* dx, std::size_t rows,
                           std::size_t k) noexcept {
  detail::active().softmax_backward_rows(y, dy, dx, rows, k);
}
void adam_update(float* p, const float* g, float* m, float* v, std::size_t n,
                 const adam_coefficients& c, double* squares) noexcept {
  detail::active().adam_update(p, g, m, v, n, c, squares);
}
void sgd_update(float* p, const float* g, float* velocity, std::size_t n,
                const sgd_coefficients& c, double* squares) noexcept {
  detail::active().sgd_update(p, g, velocity, n, c, squares);
}
void rmsprop_update(float* p, const float* g, float* square_avg, float* momentum_buffer,
                    float* grad_avg, std::size_t n, const rmsprop_coefficients& c,
                    double* squares) noexcept {
  detail::active().rmsprop_update(p, g, square_avg, momentum_buffer, grad_avg, n, c, squares);
}
void adagrad_update(float* p, const float* g, float* sum_sq, std::size_t n,
                    const adagrad_coefficients& c, double* squares) noexcept {
  detail::active().adagrad_update(p, g, sum_sq, n, c, squares);
}
void adamax_update(float* p, const float* g, float* m, float* u, std::size_t n,
                   const adamax_coefficients& c, double* squares) noexcept {
  detail::active().adamax_update(p, g, m, u, n, c, squares);
}
void adadelta_update(float* p, const float* g, float* square_avg, float* acc_delta, std::size_t n,
                     const adadelta_coefficients& c, double* squares) noexcept {
  detail::active().adadelta_update(p, g, square_avg, acc_delta, n, c, squares);
}
void lion_update(float* p, const float* g, float* m, std::size_t n, const lion_coefficients& c,
                 double* squares) noexcept {
  detail::active().lion_update(p, g, m, n, c, squares);
}
void nadam_update(float* p, const float* g, float* m, float* v, std::size_t n,
                  const nadam_coefficients& c, double* squares) noexcept {
  detail::active().nadam_update(p, g, m, v, n, c, squares);
}
void amsgrad_update(float* p, const float* g, float* m, float* v, float* v_max, std::size_t n,
                    const adam_coefficients& c, double* squares) noexcept {
  detail::active().amsgrad_update(p, g, m, v, v_max, n, c, squares);
}
void conv2d_forward(const conv_geometry& g, const float* x, const float* wt, const float* bias,
                    float* y, activation act, std::span<float> work) noexcept {
  detail::active().conv2d_forward(g, x, wt, bias, y, act, work);
}
void conv2d_backward_filter(const conv_geometry& g, const float* x, const float* dy, float* dw,
                            float* db, std::span<float> work) noexcept {
  detail::active().conv2d_backward_filter(g, x, dy, dw, db, work);
}
void conv2d_backward_data(const conv_geometry& g, const float* dy, const float* wt, float* dx,
                          activation input_act, const float* x, std::span<float> work) noexcept {
  detail::active().conv2d_backward_data(g, dy, wt, dx, input_act, x, work);
}
void pool2d_forward(pool kind, const conv_geometry& g, const float* x, float* y) noexcept {
  detail::active().pool2d_forward(kind, g, x, y);
}
void pool2d_backward(pool kind, const conv_geometry& g, const float* x, const float* y,
                     const float* dy, float* dx) noexcept {
  detail::active().pool2d_backward(kind, g, x, y, dy, dx);
}
void lstm_step_forward(const lstm_step<float>& s) noexcept {
  detail::active().lstm_step_forward(s);
}
void lstm_step_backward(const lstm_step_grad<float>& s) noexcept {
  detail::active().lstm_step_backward(s);
}
void gru_step_forward(const gru_step<float>& s) noexcept { detail::active().gru_step_forward(s); }
void gru_step_backward(const gru_step_grad<float>& s) noexcept {
  detail::active().gru_step_backward(s);
}
float binary_crossentropy_logits(const float* z, const std::int32_t* y, float* grad,
                                 std::size_t n) noexcept {
  return detail::active().bce_logits_int(z, y, grad, n);
}
float binary_crossentropy_logits(const float* z, const float* y, float* grad,
                                 std::size_t n) noexcept {
  return detail::active().bce_logits_float(z, y, grad, n);
}

}  // namespace fitcheck::kernels::dispatch
#endif
