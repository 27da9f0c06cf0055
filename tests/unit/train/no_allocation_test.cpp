// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A training step allocates nothing: the global allocation functions of this test binary count
// every call, and a step must add none once the model's buffers exist.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <ratio>

#include <fitcheck/fitcheck.hpp>
#include <support/counting_new.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

TEST_CASE("train_step: no heap allocation per step, for every optimizer") {
  using Net = fc::Sequential<fc::Input<10>, fc::Dense<32>, fc::ReLU, fc::Dense<4>, fc::Softmax>;
  fd::BatchData<fc::Features<10>, fc::ClassLabel<4>> batch(16);
  fd::Example<fc::Features<10>, fc::ClassLabel<4>> e;
  for (int i = 0; i < 16; ++i) {
    for (int j = 0; j < 10; ++j) e.x[j] = float((i * 7 + j) % 5) - 2;
    e.y[0] = i % 4;
    batch.push(e);
  }
  for (fc::optim::Optimizer opt :
       {fc::optim::Optimizer(fc::optim::SGD{.momentum = 0.9f, .nesterov = true}),
        fc::optim::Optimizer(fc::optim::Adam{.global_clipnorm = 1.0f}),
        fc::optim::Optimizer(fc::optim::AdamW{}),
        fc::optim::Optimizer(fc::optim::RMSprop{.momentum = 0.5f, .centered = true}),
        fc::optim::Optimizer(fc::optim::Adagrad{}), fc::optim::Optimizer(fc::optim::Adamax{}),
        fc::optim::Optimizer(fc::optim::Adadelta{}),
        fc::optim::Optimizer(fc::optim::Lion{.weight_decay = 0.1f}),
        fc::optim::Optimizer(fc::optim::Nadam{}),
        fc::optim::Optimizer(fc::optim::SGD{.momentum = 0.9f, .gradient_accumulation_steps = 3}),
        fc::optim::Optimizer(fc::optim::Adam{.amsgrad = true, .use_ema = true}),
        fc::optim::Optimizer(fc::optim::Adam{
            .learning_rate = fc::optim::ExponentialDecay{.initial_learning_rate = 1e-3f,
                                                         .decay_steps = 10,
                                                         .decay_rate = 0.9f}})}) {
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>
        model(opt);
    (void)model.train_step(batch);  // first step sizes the buffers
    const std::size_t before = allocations.load();
    double loss = 0;
    for (int step = 0; step < 10; ++step) loss += model.train_step(batch);
    CHECK(allocations.load() == before);
    CHECK(std::isfinite(loss));
  }
  // The counter works: an allocation is seen.
  const std::size_t before = allocations.load();
  auto* p = new int(3);
  CHECK(allocations.load() == before + 1);
  delete p;
}

TEST_CASE("train_step: a CNN step allocates nothing (lowering blocks, pooling, BatchNormalization)") {
  using Net = fc::Sequential<fc::Input<12, 12, 2>, fc::Conv2D<8, 3, 1, fc::padding::same>,
                             fc::BatchNormalization<>, fc::ReLU, fc::MaxPooling2D<2>,
                             fc::Conv2D<8, 3, 2>, fc::ReLU, fc::GlobalAveragePooling2D,
                             fc::Dropout<std::ratio<1, 4>>, fc::Dense<3>, fc::Softmax>;
  fd::BatchData<fc::Features<12, 12, 2>, fc::ClassLabel<3>> batch(16);
  fd::Example<fc::Features<12, 12, 2>, fc::ClassLabel<3>> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j) e.x[j] = float((i * 7 + int(j)) % 5) - 2;
    e.y[0] = i % 3;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("train_step: merge blocks, depthwise and separable convolutions and weight penalties allocate nothing") {
  using same = fc::padding;
  using Net = fc::Sequential<
      fc::Input<8, 8, 2>, fc::Conv2D<4, 3, 1, same::same>, fc::ReLU,
      fc::Residual<fc::Regularized<fc::Conv2D<4, 3, 1, same::same>, fc::L2<>>,
                   fc::BatchNormalization<>, fc::ReLU,
                   fc::Dropout<std::ratio<1, 4>>, fc::Conv2D<4, 3, 1, same::same>>,
      fc::Add<fc::Branch<fc::Conv2D<6, 3, 2, same::same>, fc::ReLU>, fc::Conv2D<6, 1, 2>>,
      fc::Concatenate<fc::Identity, fc::Branch<fc::Conv2D<2, 1>, fc::ReLU>>,
      fc::DepthwiseConv2D<3, 1, same::same, 2>, fc::SeparableConv2D<4, 3, 1, same::same>,
      fc::GlobalAveragePooling2D,
      fc::Regularized<fc::Dense<3>, fc::L1<>, fc::bias_regularizer<fc::L2<>>>, fc::Softmax>;
  static_assert(Net::penalty_count == 3);
  fd::BatchData<fc::Features<8, 8, 2>, fc::ClassLabel<3>> batch(16);
  fd::Example<fc::Features<8, 8, 2>, fc::ClassLabel<3>> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j) e.x[j] = float((i * 5 + int(j)) % 7) - 3;
    e.y[0] = i % 3;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("train_step: an Embedding, a Bidirectional LSTM and a GRU step allocates nothing") {
  using Net = fc::Sequential<fc::Input<9>, fc::Embedding<12, 5>,
                             fc::Bidirectional<fc::LSTM<7, fc::return_sequences>>, fc::GRU<4>,
                             fc::Dense<1>, fc::Sigmoid>;
  fd::BatchData<fc::Features<9>, fc::BinaryLabel> batch(16);
  fd::Example<fc::Features<9>, fc::BinaryLabel> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j) e.x[j] = float((i * 5 + int(j)) % 12);
    e.y[0] = i % 2;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("train_step: a step over padded sequences with mask_zero and LayerNormalization "
          "allocates nothing") {
  using Net = fc::Sequential<fc::Input<9>, fc::Embedding<12, 5, fc::mask_zero>,
                             fc::LayerNormalization<>,
                             fc::Bidirectional<fc::GRU<4, fc::return_sequences>>,
                             fc::LayerNormalization<>, fc::LSTM<3>, fc::Dense<1>, fc::Sigmoid>;
  fd::BatchData<fc::Features<9>, fc::BinaryLabel> batch(16);
  fd::Example<fc::Features<9>, fc::BinaryLabel> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j)
      e.x[j] = int(j) < 2 + i % 7 ? float(1 + (i * 5 + int(j)) % 11) : 0.0f;  // padded at the end
    e.y[0] = i % 2;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("train_step: recurrent layers with dropout and recurrent dropout allocate nothing") {
  using Fifth = std::ratio<1, 5>;
  using Net = fc::Sequential<fc::Input<9>, fc::Embedding<12, 5, fc::mask_zero>,
                             fc::Bidirectional<fc::GRU<4, fc::return_sequences, Fifth, Fifth>>,
                             fc::SimpleRNN<3, fc::return_sequences, std::ratio<0>, Fifth>,
                             fc::LSTM<3, fc::last_step, Fifth>, fc::Dense<1>, fc::Sigmoid>;
  fd::BatchData<fc::Features<9>, fc::BinaryLabel> batch(16);
  fd::Example<fc::Features<9>, fc::BinaryLabel> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j)
      e.x[j] = int(j) < 2 + i % 7 ? float(1 + (i * 5 + int(j)) % 11) : 0.0f;
    e.y[0] = i % 2;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("train_step: a TransformerEncoder step over padded sequences allocates nothing") {
  using Net = fc::Sequential<fc::Input<9>, fc::TokenAndPositionEmbedding<12, 6, fc::mask_zero>,
                             fc::TransformerEncoder<8, 2>, fc::GlobalAveragePooling1D,
                             fc::Dense<1>, fc::Sigmoid>;
  fd::BatchData<fc::Features<9>, fc::BinaryLabel> batch(16);
  fd::Example<fc::Features<9>, fc::BinaryLabel> e;
  for (int i = 0; i < 16; ++i) {
    for (std::size_t j = 0; j < e.x.size(); ++j)
      e.x[j] = int(j) < 2 + i % 7 ? float(1 + (i * 5 + int(j)) % 11) : 0.0f;
    e.y[0] = i % 2;
    batch.push(e);
  }
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{});
  (void)model.train_step(batch);
  const std::size_t before = allocations.load();
  double loss = 0;
  for (int step = 0; step < 5; ++step) loss += model.train_step(batch);
  CHECK(allocations.load() == before);
  CHECK(std::isfinite(loss));
}

TEST_CASE("pipeline: shuffle and batch allocate nothing per batch after the epoch starts") {
  std::vector<float> x(1000 * 4);
  std::vector<int> y(1000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 17);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = int(i % 3);
  auto p = fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                     std::span<const int>(y)) |
           fd::shuffle(1000, fc::Seed{1}) | fd::batch<32>();
  auto it = p.begin();  // opening the pass sizes the shuffle buffer and the batch
  const std::size_t before = allocations.load();
  std::size_t batches = 0;
  for (; it != p.end(); ++it) ++batches;
  CHECK(batches == 32);
  CHECK(allocations.load() == before);
}
