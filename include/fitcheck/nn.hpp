// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Networks: Sequential and its layers, the losses with their label rules, and the metrics.

#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/batch_normalization.hpp>
#include <fitcheck/nn/compatibility.hpp>
#include <fitcheck/nn/conv.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/dropout.hpp>
#include <fitcheck/nn/elu.hpp>
#include <fitcheck/nn/embedding.hpp>
#include <fitcheck/nn/masking.hpp>
#include <fitcheck/nn/merge.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/gelu.hpp>
#include <fitcheck/nn/layer_normalization.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/leaky_relu.hpp>
#include <fitcheck/nn/losses.hpp>
#include <fitcheck/nn/metrics.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/one_hot.hpp>
#include <fitcheck/nn/pooling.hpp>
#include <fitcheck/nn/recurrent.hpp>
#include <fitcheck/nn/rescaling.hpp>
#include <fitcheck/nn/reshape.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/nn/transformer.hpp>

namespace fitcheck {
// Layers read as fc::Dense<128> in user code, as in Keras' flat namespace.
using nn::Add;
using nn::Average;
using nn::AveragePooling1D;
using nn::AveragePooling2D;
using nn::BatchNormalization;
using nn::Bidirectional;
using nn::Branch;
using nn::CategoryEncoding;
using nn::Concatenate;
using nn::Conv1D;
using nn::Conv1DTranspose;
using nn::Conv2D;
using nn::Conv2DTranspose;
using nn::Dense;
using nn::Dropout;
using nn::ELU;
using nn::Embedding;
using nn::Flatten;
using nn::GELU;
using nn::GlobalAveragePooling1D;
using nn::GlobalAveragePooling2D;
using nn::GlobalMaxPooling1D;
using nn::GlobalMaxPooling2D;
using nn::Identity;
using nn::Input;
using nn::LayerNormalization;
using nn::LeakyReLU;
using nn::GRU;
using nn::LSTM;
using nn::Masking;
using nn::MaxPooling1D;
using nn::Maximum;
using nn::Minimum;
using nn::Multiply;
using nn::MaxPooling2D;
using nn::Normalization;
using nn::OneHot;
using nn::ReLU;
using nn::Rescaling;
using nn::Residual;
using nn::Reshape;
using nn::Sequential;
using nn::SimpleRNN;
using nn::Sigmoid;
using nn::Softmax;
using nn::Subtract;
using nn::Tanh;
using nn::TokenAndPositionEmbedding;
using nn::TransformerEncoder;
using nn::UpSampling1D;
using nn::UpSampling2D;
using nn::Window;
using nn::ZeroPadding2D;
using nn::mask_zero;
using nn::normalize_first;
using nn::norm_position;
using nn::padding;
using nn::last_step;
using nn::return_sequences;
using nn::sequence_output;
using nn::step_mask;
using nn::token_mask;
}  // namespace fitcheck
