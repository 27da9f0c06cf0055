// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// libFuzzer target for the three weight formats fitcheck reads: byte 0 picks the parser, the
// rest is the file's bytes (copied to a buffer of their exact size, so a read past the end is an
// AddressSanitizer report).
//   0: a weights file (.fcw, save_weights), parsed and loaded into a network with layer state
//   1: a training backup (.fcs, BackupAndRestore): parsed, then every record read by name
//   2: a safetensors file (save_safetensors), loaded into the same network
// Passing means: every rejection is a fitcheck::error, never a crash, a sanitizer report or
// another exception, and a load either changes nothing or leaves what the file holds.

#include <cstddef>
#include <cstdint>
#include <fitcheck/io/safetensors.hpp>
#include <fitcheck/io/training_state.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/nn/batch_normalization.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <span>
#include <string>
#include <vector>

namespace fc = fitcheck;
namespace fio = fitcheck::io;

namespace {

// What load_weights and load_safetensors ask of a model, without an engine: a network with
// parameters and layer state (Normalization, BatchNormalization) beside its dense layers.
using Net = fc::nn::Sequential<fc::nn::Input<3>, fc::nn::Normalization, fc::nn::Dense<2>,
                               fc::nn::BatchNormalization<>, fc::nn::Dense<1>>;
struct bare_model {
  using network = Net;
  Net net;
  std::vector<float> params = std::vector<float>(Net::param_count, 0.5f);
  std::span<float> parameters() { return params; }
  std::span<const float> parameters() const { return params; }
  Net& network_layers() { return net; }
  const Net& network_layers() const { return net; }
};

void weights(std::span<const std::byte> bytes) {
  try {
    const auto parsed = fio::detail::parse_weights("fuzz.fcw", bytes);
    (void)parsed;
  } catch (const fc::error&) {
  }
}

void training_state(std::span<const std::byte> bytes) {
  try {
    const fio::state_reader r("fuzz.fcs", std::vector<std::byte>(bytes.begin(), bytes.end()));
    for (const char* name : {"run", "parameters", "layer_state", "history", "slot.0", "guards"}) {
      try {
        if (r.count(name) > 1000000) __builtin_trap();  // a count is bounded by the file's size
        (void)r.words(name);
      } catch (const fc::error&) {
      }
      try {
        (void)r.floats(name);
        (void)r.doubles(name);
        (void)r.text(name);
      } catch (const fc::error&) {
      }
    }
  } catch (const fc::error&) {
  }
}

void safetensors(std::span<const std::byte> bytes) {
  bare_model m;
  std::vector<double> before(Net::state_count);
  m.net.save_state(before);
  try {
    fio::detail::load_safetensors_from(m, "fuzz.safetensors", bytes);
  } catch (const fc::error&) {
    std::vector<double> after(Net::state_count);
    m.net.save_state(after);
    for (std::size_t i = 0; i < after.size(); ++i)
      if (after[i] != before[i]) __builtin_trap();  // refused, yet the state changed
    for (float p : m.params)
      if (p != 0.5f) __builtin_trap();  // refused, yet the parameters changed
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::vector<std::byte> file(size - 1);
  for (std::size_t i = 1; i < size; ++i) file[i - 1] = std::byte{data[i]};
  switch (data[0] % 3) {
    case 0:
      weights(file);
      break;
    case 1:
      training_state(file);
      break;
    default:
      safetensors(file);
      break;
  }
  return 0;
}
