// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Everything: the data pipeline, the file readers, networks and training. A translation unit
// that needs less includes less: <fitcheck/data.hpp>, <fitcheck/readers.hpp>,
// <fitcheck/nn.hpp>, <fitcheck/train.hpp>.

#include <fitcheck/config.hpp>
#include <fitcheck/fwd.hpp>

#include <fitcheck/data.hpp>
#include <fitcheck/nn.hpp>
#include <fitcheck/readers.hpp>
#include <fitcheck/train.hpp>
