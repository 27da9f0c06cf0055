// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The file sources: from_csv (CSV read in chunks), from_npy (.npy read in chunks) and from_idx
// (IDX, MNIST's format, gzip'd or not).

#include <fitcheck/data/csv.hpp>
#include <fitcheck/data/idx.hpp>
#include <fitcheck/data/npy.hpp>
