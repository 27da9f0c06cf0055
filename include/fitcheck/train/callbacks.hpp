// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Keras' built-in callbacks, with Keras' semantics (keras.callbacks, Keras 3), one per header
// under train/callbacks/: EarlyStopping, ModelCheckpoint, ReduceLROnPlateau,
// LearningRateScheduler, TerminateOnNaN, CSVLogger, TensorBoard, BackupAndRestore,
// SwapEMAWeights. Each is a plain aggregate configured with
// designated initializers, e.g.
//   EarlyStopping<"val_loss">{.patience = 3, .restore_best_weights = true}
// The monitored name is a template argument so that a callback watching "val_..." makes `fit`
// without Validation{...} a compile error (train/model.hpp, validation_if_needed). The run's own
// state lives in a trailing `run_` member: leave it out of the initializer. Hooks that run per
// batch do not allocate; per-epoch hooks may (a log line, a file name).

#include <fitcheck/train/callbacks/backup_and_restore.hpp>
#include <fitcheck/train/callbacks/csv_logger.hpp>
#include <fitcheck/train/callbacks/early_stopping.hpp>
#include <fitcheck/train/callbacks/learning_rate_scheduler.hpp>
#include <fitcheck/train/callbacks/model_checkpoint.hpp>
#include <fitcheck/train/callbacks/reduce_lr_on_plateau.hpp>
#include <fitcheck/train/callbacks/swap_ema_weights.hpp>
#include <fitcheck/train/callbacks/tensorboard.hpp>
#include <fitcheck/train/callbacks/terminate_on_nan.hpp>
