// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The kernel interface layers call: every operation, for every backend compiled in. Layers
// include this header rather than single kernel headers so that the cuda overloads (declared in
// kernels/gpu/) are visible where the layer templates are defined: a qualified call such as
// kernels::gemm(be, ...) binds to the overloads declared before it.

#include <fitcheck/config.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/kernels/dropout.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/reduce.hpp>
#include <fitcheck/kernels/softmax.hpp>

#if FITCHECK_GPU_BACKEND
#include <fitcheck/kernels/gpu/gpu.hpp>
#endif
