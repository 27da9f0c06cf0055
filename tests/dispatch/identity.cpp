// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Trains the digits MLP (Adam), a small CNN (SGD with momentum) and a small LSTM into a GRU over
// tokens (Adam; unit counts with a vector tail) from fixed seeds and prints
// every parameter's bits as one hash, and the last losses' bits. tests/dispatch builds it for
// each level's flags and once dispatching (fitcheck_add_kernels()): the dispatched run at a level must
// print what the build for that level prints.
#include <bit>
#include <cstdint>
#include <cstdio>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

namespace {
std::uint64_t hash_bits(std::uint64_t h, std::span<const float> values) {
  for (float v : values) {
    h ^= std::bit_cast<std::uint32_t>(v);
    h *= 1099511628211ull;
  }
  return h;
}

template <class M>
std::uint64_t hash_parameters(const M& model) {
  return hash_bits(14695981039346656037ull, model.parameters());
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s digits.csv\n", argv[0]);
    return 2;
  }
  auto digits = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(argv[1]) |
                fd::shuffle(2000, fc::Seed{7}) | fd::batch<64>();
  using Mlp = fc::Sequential<fc::Input<64>, fc::Rescaling<std::ratio<1, 16>>, fc::Dense<256>,
                             fc::ReLU, fc::Dense<128>, fc::Tanh, fc::Dense<10>, fc::Softmax>;
  fc::Model<Mlp, fc::loss::SparseCategoricalCrossentropy> mlp(
      fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{1});
  const fc::History a = mlp.fit(digits, fc::Epochs{2}, fc::Verbose{0});

  std::vector<float> images(256 * 12 * 12);
  std::vector<int> labels(256);
  for (std::size_t i = 0; i < images.size(); ++i)
    images[i] = static_cast<float>((i * 37 + i / 144 * 11) % 101) / 101.0f;
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int>(i % 3);
  auto pictures = fd::from_tensor_slices<fc::Features<12, 12, 1>, fc::ClassLabel<3>>(
                      std::span<const float>(images), std::span<const int>(labels)) |
                  fd::batch<32>();
  using Cnn = fc::Sequential<fc::Input<12, 12, 1>, fc::Conv2D<8, 3>, fc::ReLU, fc::MaxPooling2D<2>,
                             fc::Conv2D<8, 3, 1, fc::padding::same>, fc::Sigmoid,
                             fc::AveragePooling2D<2>, fc::Flatten, fc::Dense<3>, fc::Softmax>;
  fc::Model<Cnn, fc::loss::SparseCategoricalCrossentropy> cnn(
      fc::optim::SGD{.learning_rate = 0.05f, .momentum = 0.9f}, fc::Seed{2});
  const fc::History b = cnn.fit(pictures, fc::Epochs{2}, fc::Verbose{0});

  std::vector<float> tokens(192 * 10);
  std::vector<int> flags(192);
  for (std::size_t i = 0; i < tokens.size(); ++i)
    tokens[i] = static_cast<float>((i * 13 + i / 10 * 7) % 30);
  for (std::size_t i = 0; i < flags.size(); ++i) flags[i] = tokens[i * 10 + 3] < 15.0f ? 1 : 0;
  auto texts = fd::from_tensor_slices<fc::Features<10>, fc::BinaryLabel>(
                   std::span<const float>(tokens), std::span<const int>(flags)) |
               fd::batch<32>();
  using Rnn = fc::Sequential<fc::Input<10>, fc::Embedding<30, 8>,
                             fc::LSTM<21, fc::return_sequences>, fc::GRU<19>, fc::Dense<1>,
                             fc::Sigmoid>;
  fc::Model<Rnn, fc::loss::BinaryCrossentropy> rnn(fc::optim::Adam{.learning_rate = 1e-2f},
                                                   fc::Seed{3});
  const fc::History c = rnn.fit(texts, fc::Epochs{2}, fc::Verbose{0});

  std::printf("mlp %016llx loss %08x\n", static_cast<unsigned long long>(hash_parameters(mlp)),
              std::bit_cast<std::uint32_t>(static_cast<float>(a["loss"].back())));
  std::printf("cnn %016llx loss %08x\n", static_cast<unsigned long long>(hash_parameters(cnn)),
              std::bit_cast<std::uint32_t>(static_cast<float>(b["loss"].back())));
  std::printf("rnn %016llx loss %08x\n", static_cast<unsigned long long>(hash_parameters(rnn)),
              std::bit_cast<std::uint32_t>(static_cast<float>(c["loss"].back())));
  return 0;
}
