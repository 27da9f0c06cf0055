// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions the kernels library compiles once for the program (config.hpp,
// FITCHECK_SEPARATE): included by its baseline unit only (kernels/cpu/dispatch_levels.hpp), where
// each header below includes its `_impl.hpp`. Every `_impl.hpp` under include/fitcheck is reached
// from here (ctest `dispatch.no_vector_headers` checks it).

#if !defined(FITCHECK_DISPATCHER)
#error "compiled.hpp is the kernels library's baseline unit (cmake/fitcheckKernels.cmake)"
#endif

#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/memory.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/csv.hpp>
#include <fitcheck/data/idx.hpp>
#include <fitcheck/data/npy.hpp>
#include <fitcheck/data/rules.hpp>
#include <fitcheck/io/atomic_file.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/optim/schedules.hpp>
#include <fitcheck/train/callbacks/checkpoint_path.hpp>
#include <fitcheck/train/callbacks/monitor.hpp>
#include <fitcheck/train/memory.hpp>
#include <fitcheck/train/preflight.hpp>
#include <fitcheck/train/progress.hpp>
