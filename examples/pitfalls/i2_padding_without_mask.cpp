// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [I2]: short token sequences padded with 0 at the end (as TextVectorization pads them) into an
// LSTM through an Embedding without mask_zero. The LSTM steps through the padding after the
// words, and the model classifies from its last step, far from the word that decides the label.
// The pre-flight data scan warns; the fix is Embedding<V, D, fc::mask_zero>.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

// 3 to 6 tokens, then padding to 40: the first token (1 or 2) is the label, the rest are noise
// in [3, 12).
fd::TensorSlices<fc::Features<40>, fc::BinaryLabel> sentences() {
  constexpr std::size_t n = 256, length = 40;
  fc::Rng rng(7);
  xt::xtensor<float, 2> x = xt::zeros<float>({n, length});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    y(i) = int(rng.below(2));
    x(i, 0) = float(1 + y(i));
    const std::size_t words = 3 + rng.below(4);
    for (std::size_t j = 1; j < words; ++j) x(i, j) = float(3 + rng.below(9));
  }
  return fd::from_tensor_slices<fc::Features<40>, fc::BinaryLabel>(x, y);
}

template <fc::token_mask Mask>
using Net = fc::Sequential<fc::Input<40>, fc::Embedding<12, 8, Mask>, fc::LSTM<8>, fc::Dense<1>,
                           fc::Sigmoid>;
template <class N>
using Model = fc::Model<N, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

int main() {
  {
    const fc::warning_capture warnings;
    auto train = sentences() | fd::shuffle(256, fc::Seed{1}) | fd::batch<32>();
    Model<Net<fc::token_mask::none>> model(fc::optim::Adam{.learning_rate = 0.01f});
    const fc::History h = model.fit(train, fc::Epochs{8}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    std::printf("mistake: accuracy %.2f\n", h["accuracy"].back());
  }

  // The fix: the LSTM skips the padding, so its last step is the sentence's last word.
  const fc::warning_capture warnings;
  auto train = sentences() | fd::shuffle(256, fc::Seed{1}) | fd::batch<32>();
  Model<Net<fc::mask_zero>> model(fc::optim::Adam{.learning_rate = 0.01f});
  const fc::History h = model.fit(train, fc::Epochs{8}, fc::Verbose{0});
  tiny::trained(h);
  std::printf("fix: mask_zero: accuracy %.2f, warnings %zu\n", h["accuracy"].back(),
              warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
