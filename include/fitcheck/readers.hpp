// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The file sources: from_csv (CSV read in chunks) and from_npy (memory-mapped .npy).

#include <fitcheck/data/csv.hpp>
#include <fitcheck/data/npy.hpp>
