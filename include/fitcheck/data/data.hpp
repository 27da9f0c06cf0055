// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The data pipeline: sources, stages and the pipe that joins them.

#include <fitcheck/data/assert_cardinality.hpp>
#include <fitcheck/data/augment.hpp>
#include <fitcheck/data/batch.hpp>
#include <fitcheck/data/cache.hpp>
#include <fitcheck/data/concatenate.hpp>
#include <fitcheck/data/csv.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/data/filter.hpp>
#include <fitcheck/data/generator.hpp>
#include <fitcheck/data/idx.hpp>
#include <fitcheck/data/map.hpp>
#include <fitcheck/data/npy.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/prefetch.hpp>
#include <fitcheck/data/repeat.hpp>
#include <fitcheck/data/sample.hpp>
#include <fitcheck/data/rules.hpp>
#include <fitcheck/data/shard.hpp>
#include <fitcheck/data/shuffle.hpp>
#include <fitcheck/data/skip.hpp>
#include <fitcheck/data/take.hpp>
#include <fitcheck/data/tensor_slices.hpp>
