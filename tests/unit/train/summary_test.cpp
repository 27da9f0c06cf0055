// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Model::summary, Keras' model.summary(): the layer table (Keras' names, output shapes, parameter
// counts), the totals, and what the model adds (optimizer state, loss, metrics, backend, the
// memory plan for a batch).
#include <doctest/doctest.h>

#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <string>

namespace train_summary_test {

namespace fc = fitcheck;

namespace {
using Mlp = fc::Sequential<fc::Input<10>, fc::Dense<128>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using Cnn = fc::Sequential<fc::Input<28, 28, 1>, fc::Conv2D<8, 3>, fc::BatchNormalization<>,
                           fc::ReLU, fc::MaxPooling2D<>, fc::Conv2D<16, 3, 1, fc::padding::same>,
                           fc::GlobalAveragePooling2D, fc::Dense<10>, fc::Softmax>;

// The lines of `text` from the first one starting with `from` (the rest of the text).
std::string from_line(const std::string& text, const std::string& from) {
  const auto at = text.find("\n" + from);
  return at == std::string::npos ? std::string() : text.substr(at + 1);
}
}  // namespace

TEST_CASE("summary: Keras' table for an MLP, the totals, the optimizer's state, loss and backend") {
  const fc::Model<Mlp, fc::loss::BinaryCrossentropy> model{fc::optim::Adam{.learning_rate = 1e-3f}};
  // Dense 10 -> 128: 10 x 128 + 128 = 1,408; Dense 128 -> 1: 129. Adam keeps two floats each.
  CHECK(model.summary() ==
        "Model: Sequential, input (None, 10)\n"
        "____________________________________________\n"
        " Layer (type)        Output Shape   Param #\n"
        "============================================\n"
        " dense (Dense)       (None, 128)      1,408\n"
        " re_lu (ReLU)        (None, 128)          0\n"
        " dense_1 (Dense)     (None, 1)          129\n"
        " sigmoid (Sigmoid)   (None, 1)            0\n"
        "============================================\n"
        "Total params: 1,537 (6 KiB)\n"
        "Trainable params: 1,537 (6 KiB)\n"
        "Non-trainable params: 0 (0 B)\n"
        "Optimizer params: 3,074 (12 KiB): Adam, learning rate 0.001\n"
        "Loss: binary_crossentropy\n"
        "Backend: CPU (fc::cpu_t)\n");
}

TEST_CASE(
    "summary: a CNN's shapes and counts: BatchNormalization's moving statistics are "
    "non-trainable, a kind's second layer is numbered as Keras numbers it") {
  const fc::Model<Cnn, fc::loss::FromLogits<fc::loss::SparseCategoricalCrossentropy>,
                  fc::Metrics<fc::metrics::Accuracy, fc::metrics::AUC>>
      model{fc::optim::SGD{.learning_rate = 0.1f}};
  const std::string s = model.summary();
  INFO(s);
  // Conv2D 3x3x1 -> 8: 72 + 8 = 80; BatchNormalization on 8 channels: gamma, beta (trainable),
  // moving mean and variance (not): 32; Conv2D 3x3x8 -> 16: 1,152 + 16 = 1,168; Dense 16 -> 10:
  // 170. Trainable 80 + 16 + 1,168 + 170 = 1,434 floats; non-trainable 16 doubles.
  CHECK(s.find(" conv2d (Conv2D)") != std::string::npos);
  CHECK(s.find("(None, 26, 26, 8)") != std::string::npos);
  CHECK(s.find(" batch_normalization (BatchNormalization)") != std::string::npos);
  CHECK(s.find("max_pooling2d (MaxPooling2D)") != std::string::npos);
  CHECK(s.find("(None, 13, 13, 8)") != std::string::npos);
  CHECK(s.find(" conv2d_1 (Conv2D)") != std::string::npos);
  CHECK(s.find("(None, 13, 13, 16)") != std::string::npos);
  CHECK(s.find("global_average_pooling2d (GlobalAveragePooling2D)") != std::string::npos);
  CHECK(s.find("(None, 16) ") != std::string::npos);
  CHECK(from_line(s, "Total params") ==
        "Total params: 1,450 (5.7 KiB)\n"
        "Trainable params: 1,434 (5.6 KiB)\n"
        "Non-trainable params: 16 (128 B)\n"
        "Optimizer params: 0 (0 B): SGD, learning rate 0.1\n"
        "Loss: sparse_categorical_crossentropy, from logits\n"
        "Metrics: accuracy, auc\n"
        "Backend: CPU (fc::cpu_t)\n");
  // Every row's parameter count, right-aligned under "Param #".
  const auto row_end = [&](const std::string& layer) {
    const auto at = s.find(" " + layer + " (");
    REQUIRE(at != std::string::npos);
    const auto end = s.find('\n', at);
    const auto begin = s.rfind(' ', end - 1) + 1;
    return s.substr(begin, end - begin);
  };
  CHECK(row_end("conv2d") == "80");
  CHECK(row_end("batch_normalization") == "32");
  CHECK(row_end("conv2d_1") == "1,168");
  CHECK(row_end("dense") == "170");
  CHECK(row_end("softmax") == "0");
}

TEST_CASE("summary: with a batch size, the memory plan fit checks before the first step [E1]") {
  const fc::Model<Mlp, fc::loss::BinaryCrossentropy> model{fc::optim::Adam{}};
  const auto plan = fc::plan_memory<Mlp>(256, fc::optimizer_slots::adam);
  const std::string s = model.summary(fc::BatchSize{256});
  INFO(s);
  CHECK(s.find("Memory to train at batch 256: " + fc::format_bytes(plan.total()) + " (parameters " +
               fc::format_bytes(plan.parameters) + ", gradients ") != std::string::npos);
  CHECK(s.find("activations " + fc::format_bytes(plan.activations)) != std::string::npos);
  CHECK(model.summary().find("Memory to train") == std::string::npos);
}

TEST_CASE("summary: the optimizer's rate is the one the next update uses") {
  fc::Model<Mlp, fc::loss::BinaryCrossentropy> model{fc::optim::RMSprop{.learning_rate = 0.01f}};
  CHECK(model.summary().find("Optimizer params: 1,537 (6 KiB): RMSprop, learning rate 0.01\n") !=
        std::string::npos);
  model.optimizer().set_learning_rate(0.005f);
  CHECK(model.summary().find("RMSprop, learning rate 0.005\n") != std::string::npos);
}

TEST_CASE("summary: the optimizer options that keep state are named and counted") {
  // Adam's m and v, AMSGrad's maximum, the accumulator and the average: 5 floats a parameter.
  fc::Model<Mlp, fc::loss::BinaryCrossentropy> model{fc::optim::Adam{
      .amsgrad = true, .use_ema = true, .ema_momentum = 0.999f,
      .gradient_accumulation_steps = 4}};
  CHECK(model.summary().find("Optimizer params: 7,685 (30 KiB): Adam, learning rate 0.001, "
                             "AMSGrad, an update every 4 steps (gradient accumulation), a moving "
                             "average of the weights (momentum 0.999)\n") != std::string::npos);
}

TEST_CASE("format_count: thousands separated by commas") {
  CHECK(fc::format_count(0) == "0");
  CHECK(fc::format_count(999) == "999");
  CHECK(fc::format_count(1000) == "1,000");
  CHECK(fc::format_count(1408) == "1,408");
  CHECK(fc::format_count(60000) == "60,000");
  CHECK(fc::format_count(1234567) == "1,234,567");
}

}  // namespace train_summary_test
