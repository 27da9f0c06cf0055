// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The data pipeline without the file readers: the core types, in-memory and generated sources
// (from_tensor_slices, from_generator), every stage and operator|. The CSV and .npy readers are
// in <fitcheck/readers.hpp>.

#include <fitcheck/config.hpp>
#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/cardinality.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/assert_cardinality.hpp>
#include <fitcheck/data/augment.hpp>
#include <fitcheck/data/batch.hpp>
#include <fitcheck/data/cache.hpp>
#include <fitcheck/data/concatenate.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/data/filter.hpp>
#include <fitcheck/data/generator.hpp>
#include <fitcheck/data/map.hpp>
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
