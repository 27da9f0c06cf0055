// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

// Forward declarations of fitcheck's public templates and types.

namespace fitcheck {

template <std::size_t... Dims>
struct Shape;
template <std::size_t... Dims>
struct Features;

struct BinaryLabel;
template <std::size_t K>
struct ClassLabel;
template <std::size_t K>
struct OneHotLabel;
template <std::size_t K>
struct MultiLabel;
template <std::size_t... Dims>
struct RegressionTarget;

struct Cardinality;

struct Epochs;
struct StepsPerEpoch;
struct StepsPerExecution;
struct ValidationSteps;
struct BatchSize;
struct Seed;

class error;
class data_error;
class shape_error;
class numeric_error;
class resource_error;
class argument_error;

struct reference_t;
struct cpu_t;

template <class... Ms>
struct Metrics;
class Logs;
class History;
struct TrainingState;
template <class Net, class Loss, class... Options>
class Model;

namespace nn {
template <std::size_t... D>
struct Input;
template <class InputSpec, class... Specs>
class Sequential;
}  // namespace nn

namespace optim {
struct SGD;
struct Adam;
struct AdamW;
struct RMSprop;
struct Adagrad;
struct Adamax;
struct Adadelta;
struct Lion;
struct Nadam;
class Optimizer;
}  // namespace optim

}  // namespace fitcheck
