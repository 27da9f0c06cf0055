// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [D1]: pixel values 0..255 fed to the model as they are. Pre-activations in the
// hundreds saturate and make gradients explode or vanish. The pre-flight data scan names the
// columns and their ranges; the fix is Rescaling<1/255> (or Normalization, adapted) first.
#include <ratio>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

// 4x4 grey images (16 pixels, row by row), 0..255 as read from a PNG; the label: the left half is
// brighter.
fd::TensorSlices<fc::Features<16>, fc::BinaryLabel> images() {
  constexpr std::size_t n = 400;
  fc::Rng rng(7);
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{16}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    float left = 0, right = 0;
    for (std::size_t p = 0; p < 16; ++p) {
      x(i, p) = float(static_cast<int>(rng.uniform_float() * 255.999f));
      (p % 4 < 2 ? left : right) += x(i, p);
    }
    y(i) = left > right;
  }
  return fd::from_tensor_slices<fc::Features<16>, fc::BinaryLabel>(x, y);
}

template <class Net>
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

int main() {
  {
    const fc::warning_capture warnings;
    auto train = images() | fd::shuffle(400, fc::Seed{1}) | fd::batch<32>();
    using Raw = fc::Sequential<fc::Input<16>, fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
    Model<Raw> model(fc::optim::Adam{.learning_rate = 0.01f});
    (void)model.fit(train, fc::Epochs{1}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
  }

  // The fix: Rescaling<1/255> maps the pixels to [0, 1] inside the model (saved with it).
  const fc::warning_capture warnings;
  auto train = images() | fd::shuffle(400, fc::Seed{1}) | fd::batch<32>();
  using Scaled = fc::Sequential<fc::Input<16>, fc::Rescaling<std::ratio<1, 255>>, fc::Dense<16>,
                                fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  Model<Scaled> model(fc::optim::Adam{.learning_rate = 0.01f});
  const fc::History h = model.fit(train, fc::Epochs{20}, fc::Verbose{0});
  tiny::trained(h);
  std::printf("fix: Rescaling<1/255>: accuracy %.2f, warnings %zu\n", h["accuracy"].back(),
              warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
