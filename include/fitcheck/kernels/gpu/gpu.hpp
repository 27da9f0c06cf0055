// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Every kernel of the cuda backend (fc::cuda_t): device buffers and transfers, elementwise and
// row kernels, GEMM with its fused epilogue, convolution and pooling, batch and layer normalisation,
// dropout, losses, optimizer updates, and a small network's step fused into one launch. The only place in fitcheck that includes Thrust or CUDA
// headers.

#include <fitcheck/kernels/gpu/batch_norm.hpp>
#include <fitcheck/kernels/gpu/conv.hpp>
#include <fitcheck/kernels/gpu/elementwise.hpp>
#include <fitcheck/kernels/gpu/fused_step.hpp>
#include <fitcheck/kernels/gpu/gemm.hpp>
#include <fitcheck/kernels/gpu/layer_norm.hpp>
#include <fitcheck/kernels/gpu/loss.hpp>
#include <fitcheck/kernels/gpu/memory.hpp>
#include <fitcheck/kernels/gpu/optim.hpp>
#include <fitcheck/kernels/gpu/transfer.hpp>
