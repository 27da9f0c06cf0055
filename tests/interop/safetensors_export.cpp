// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Trains the digits MLP briefly and exports it with save_safetensors, with 50 inputs and
// fitcheck's outputs for them, for an independent reader (safetensors_forward.py) to check.
//   safetensors_export <digits.csv> <out dir>
#include <cstdio>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <fstream>
#include <string>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::fprintf(stderr, "usage: safetensors_export <digits.csv> <out dir>\n");
    return 2;
  }
  const std::string dir = argv[2];
  std::filesystem::create_directories(dir);
  using Net = fc::Sequential<fc::Input<64>, fc::Normalization, fc::Dense<32>, fc::ReLU,
                             fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model(fc::optim::Adam{}, fc::Seed{5});
  auto csv = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(argv[1]);
  fc::nn::adapt<0>(model.network_layers(), csv);
  auto train = csv | fd::shuffle(2000, fc::Seed{1}) | fd::batch<64>();
  model.fit(train, fc::Epochs{3}, fc::Verbose{0});
  fc::io::save_safetensors(model, dir + "/model.safetensors");

  auto first = csv | fd::take(50) | fd::batch<50>();
  const auto outputs = model.predict(first);
  std::ofstream in(dir + "/inputs.f32", std::ios::binary),
      out(dir + "/outputs.f32", std::ios::binary);
  for (const auto& b : first)
    in.write(reinterpret_cast<const char*>(b.x_data()), std::streamsize(b.size() * 64 * 4));
  out.write(reinterpret_cast<const char*>(outputs.data()), std::streamsize(outputs.size() * 4));
  std::printf("exported %s/model.safetensors and 50 predictions\n", dir.c_str());
  return in && out ? 0 : 1;
} catch (const fitcheck::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
