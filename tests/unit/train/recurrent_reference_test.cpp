// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The LSTM, GRU and Bidirectional reference runs (tests/data/ref/make_recurrent_reference.py,
// PyTorch, float32): an Embedding, an LSTM (GRU, Bidirectional LSTM) returning every step into an
// LSTM (GRU) returning its last, and a sigmoid unit, trained 6 steps from PyTorch's initial
// parameters with SGD and with Adam. Every step's loss within 1e-6 of PyTorch's and the final
// parameters within 5e-6 (measured: 1.2e-7 and 3.3e-7): the gradients through time, through both
// layers' inputs and into the embedding table, are PyTorch's. The masked runs train the same models
// with Embedding<20, 6, mask_zero> on sequences of 1 to 12 tokens padded with 0 at the end, which
// PyTorch packs (pack_padded_sequence), and an Embedding averaged over the tokens alone. SimpleRNN
// runs both ways against PyTorch's RNN, TransformerEncoder against its TransformerEncoderLayer. The
// LayerNormalization runs put it after the Embedding and between the LSTMs (PyTorch's LayerNorm),
// and between a masked Embedding and its average.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include "pytorch_reference.hpp"

namespace train_recurrent_reference_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
using namespace fc::test::ref;
template <class First, class Second>
using Net =
    fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>, First, Second, fc::Dense<1>, fc::Sigmoid>;
using Lstm = Net<fc::LSTM<8, fc::return_sequences>, fc::LSTM<5>>;
using Gru = Net<fc::GRU<8, fc::return_sequences>, fc::GRU<5>>;
using BiLstm = Net<fc::Bidirectional<fc::LSTM<8, fc::return_sequences>>, fc::LSTM<5>>;
static_assert(Lstm::param_count == 886);
static_assert(Gru::param_count == 120 + (6 + 8 + 2) * 24 + (8 + 5 + 2) * 15 + 6);
static_assert(BiLstm::param_count == 120 + 2 * (6 + 8 + 1) * 32 + (16 + 5 + 1) * 20 + 6);
template <class First, class Second>
using MaskedNet = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6, fc::mask_zero>, First, Second,
                                 fc::Dense<1>, fc::Sigmoid>;
using MaskedLstm = MaskedNet<fc::LSTM<8, fc::return_sequences>, fc::LSTM<5>>;
using MaskedGru = MaskedNet<fc::GRU<8, fc::return_sequences>, fc::GRU<5>>;
using MaskedBiLstm = MaskedNet<fc::Bidirectional<fc::LSTM<8, fc::return_sequences>>, fc::LSTM<5>>;
using MaskedAverage = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6, fc::mask_zero>,
                                     fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
using Rnn = Net<fc::SimpleRNN<8, fc::return_sequences>, fc::SimpleRNN<5>>;
static_assert(Rnn::param_count == 120 + (6 + 8 + 1) * 8 + (8 + 5 + 1) * 5 + 6);
using MaskedRnn = MaskedNet<fc::SimpleRNN<8, fc::return_sequences>, fc::SimpleRNN<5>>;
using Transformer =
    fc::Sequential<fc::Input<12>, fc::Embedding<20, 8>, fc::TransformerEncoder<16, 2>,
                   fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
using MaskedTransformer =
    fc::Sequential<fc::Input<12>, fc::Embedding<20, 8, fc::mask_zero>,
                   fc::TransformerEncoder<16, 2>, fc::GlobalAveragePooling1D, fc::Dense<1>,
                   fc::Sigmoid>;
using PreNormTransformer =
    fc::Sequential<fc::Input<12>, fc::Embedding<20, 8, fc::mask_zero>,
                   fc::TransformerEncoder<16, 2, std::ratio<0>, fc::normalize_first>,
                   fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
static_assert(Transformer::param_count == 160 + 4 * 72 + 16 + (8 * 16 + 16) + (16 * 8 + 8) + 16 + 9);
using Normed = fc::Sequential<fc::Input<12>, fc::Embedding<20, 6>, fc::LayerNormalization<>,
                              fc::LSTM<8, fc::return_sequences>, fc::LayerNormalization<>,
                              fc::LSTM<5>, fc::Dense<1>, fc::Sigmoid>;
static_assert(Normed::param_count == Lstm::param_count + 2 * 6 + 2 * 8);
using MaskedNormedAverage =
    fc::Sequential<fc::Input<12>, fc::Embedding<20, 6, fc::mask_zero>, fc::LayerNormalization<>,
                   fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;

// `fixed` (first, count): parameters whose true gradient is 0 (a TransformerEncoder's key bias):
// fitcheck leaves them at their initial values, PyTorch moves them by its rounding noise (which
// Adam scales up to steps of its learning rate), so they are compared with the initial values.
struct span_of_parameters {
  std::size_t first = 0, count = 0;
};

template <class N>
void check_run(fc::optim::Optimizer opt, const std::string& kind, const std::string& name,
               const std::string& data = "lstm_X.bin", span_of_parameters fixed = {}) {
  fc::Model<N, fc::loss::BinaryCrossentropy> model(std::move(opt));
  const auto init = load(kind + "_init_params.bin");
  REQUIRE(init.size() == N::param_count);
  std::copy(init.begin(), init.end(), model.parameters().begin());
  const auto x = load(data);
  const auto yf = load("lstm_y.bin");
  std::vector<int> y(yf.begin(), yf.end());
  auto train = fd::from_tensor_slices<fc::Features<12>, fc::BinaryLabel>(std::span<const float>(x),
                                                                         std::span<const int>(y)) |
               fd::batch<16>();
  const auto expected = load_losses(kind + "_losses_" + name + ".txt");
  REQUIRE(expected.size() == 6);
  const double worst = check_step_losses(model, train, expected, 1e-6);
  MESSAGE(kind << " " << name << ": largest loss difference to PyTorch " << worst);

  const auto want = load(kind + "_final_" + name + "_params.bin");
  const auto got = model.parameters();
  double param_diff = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const bool unmoved = i >= fixed.first && i < fixed.first + fixed.count;
    if (unmoved) CHECK(got[i] == init[i]);
    if (!unmoved) param_diff = std::max(param_diff, std::abs(double(got[i]) - want[i]));
  }
  CHECK(param_diff <= 5e-6);
  MESSAGE(kind << " " << name << ": largest parameter difference to PyTorch " << param_diff);
}
}  // namespace

TEST_CASE("reference: an Embedding and two stacked LSTMs trained with SGD match PyTorch") {
  check_run<Lstm>(fc::optim::SGD{.learning_rate = 0.5f}, "lstm", "sgd");
}

TEST_CASE("reference: an Embedding and two stacked LSTMs trained with Adam match PyTorch") {
  check_run<Lstm>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "lstm", "adam");
}

TEST_CASE("reference: an Embedding and two stacked GRUs trained with SGD match PyTorch") {
  check_run<Gru>(fc::optim::SGD{.learning_rate = 0.5f}, "gru", "sgd");
}

TEST_CASE("reference: an Embedding and two stacked GRUs trained with Adam match PyTorch") {
  check_run<Gru>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "gru", "adam");
}

TEST_CASE("reference: a Bidirectional LSTM into an LSTM trained with SGD matches PyTorch") {
  check_run<BiLstm>(fc::optim::SGD{.learning_rate = 0.5f}, "bilstm", "sgd");
}

TEST_CASE("reference: a Bidirectional LSTM into an LSTM trained with Adam matches PyTorch") {
  check_run<BiLstm>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "bilstm", "adam");
}

TEST_CASE("reference: stacked LSTMs over padded sequences with mask_zero match PyTorch's packed "
          "sequences") {
  check_run<MaskedLstm>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_lstm", "sgd",
                        "masked_X.bin");
  check_run<MaskedLstm>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "masked_lstm",
                        "adam", "masked_X.bin");
}

TEST_CASE("reference: stacked GRUs over padded sequences with mask_zero match PyTorch's packed "
          "sequences") {
  check_run<MaskedGru>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_gru", "sgd",
                       "masked_X.bin");
  check_run<MaskedGru>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "masked_gru",
                       "adam", "masked_X.bin");
}

TEST_CASE("reference: a Bidirectional LSTM over padded sequences with mask_zero matches PyTorch's "
          "packed sequences") {
  check_run<MaskedBiLstm>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_bilstm", "sgd",
                          "masked_X.bin");
  check_run<MaskedBiLstm>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f},
                          "masked_bilstm", "adam", "masked_X.bin");
}

TEST_CASE("reference: an Embedding averaged over its tokens with mask_zero matches PyTorch") {
  check_run<MaskedAverage>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_gap", "sgd",
                           "masked_X.bin");
  check_run<MaskedAverage>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f},
                           "masked_gap", "adam", "masked_X.bin");
}

TEST_CASE("reference: an Embedding and two stacked SimpleRNNs match PyTorch's RNN, with and "
          "without mask_zero") {
  check_run<Rnn>(fc::optim::SGD{.learning_rate = 0.5f}, "rnn", "sgd");
  check_run<Rnn>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "rnn", "adam");
  check_run<MaskedRnn>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_rnn", "sgd",
                       "masked_X.bin");
  check_run<MaskedRnn>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "masked_rnn",
                       "adam", "masked_X.bin");
}

TEST_CASE("reference: a TransformerEncoder matches PyTorch's TransformerEncoderLayer, with and "
          "without mask_zero") {
  using Encoder = Transformer::layer_t<1>;
  const span_of_parameters key_bias{Transformer::param_offsets[1] + Encoder::key + 8 * 8, 8};
  check_run<Transformer>(fc::optim::SGD{.learning_rate = 0.5f}, "transformer", "sgd",
                         "lstm_X.bin", key_bias);
  check_run<Transformer>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "transformer",
                         "adam", "lstm_X.bin", key_bias);
  check_run<MaskedTransformer>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_transformer", "sgd",
                               "masked_X.bin", key_bias);
  check_run<MaskedTransformer>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f},
                               "masked_transformer", "adam", "masked_X.bin", key_bias);
  // normalize_first against norm_first=True.
  check_run<PreNormTransformer>(fc::optim::SGD{.learning_rate = 0.5f},
                                "masked_prenorm_transformer", "sgd", "masked_X.bin", key_bias);
  check_run<PreNormTransformer>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f},
                                "masked_prenorm_transformer", "adam", "masked_X.bin", key_bias);
}

TEST_CASE("reference: LayerNormalization after an Embedding and between two LSTMs matches "
          "PyTorch's LayerNorm") {
  check_run<Normed>(fc::optim::SGD{.learning_rate = 0.5f}, "layernorm", "sgd");
  check_run<Normed>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f}, "layernorm",
                    "adam");
}

TEST_CASE("reference: LayerNormalization keeps mask_zero's mask to the average, as PyTorch") {
  check_run<MaskedNormedAverage>(fc::optim::SGD{.learning_rate = 0.5f}, "masked_layernorm_gap",
                                 "sgd", "masked_X.bin");
  check_run<MaskedNormedAverage>(fc::optim::Adam{.learning_rate = 1e-2f, .epsilon = 1e-8f},
                                 "masked_layernorm_gap", "adam", "masked_X.bin");
}

}  // namespace train_recurrent_reference_test
