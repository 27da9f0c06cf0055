// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Training: Model (fit, evaluate, predict), the optimizers and schedules, the callbacks, and
// saving and loading weights.

#include <fitcheck/io/weights.hpp>
#include <fitcheck/optim/optimizer.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/callbacks.hpp>
#include <fitcheck/train/logs.hpp>
#include <fitcheck/train/model.hpp>
#include <fitcheck/train/progress.hpp>
