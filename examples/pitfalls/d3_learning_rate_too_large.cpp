// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [D3]: a learning rate far too large, on unscaled inputs (income in dollars, age in
// years) predicting a price: in Keras the loss turns NaN and training carries on printing
// "loss: nan". fitcheck's numeric guards stop at the first non-finite loss or gradient with the
// epoch and step, the layer, the learning rate and the largest gradient norm seen.
//
// What Adam at 0.5 really does here, measured rather than assumed: Adam moves every weight by
// at most about the learning rate per step, so on this model the loss explodes (to ~1e11) but
// stays finite; the damage shows as dead ReLU layers, which the guards report as D5. Plain SGD
// at the same rate overflows at step 2, and that is the D3 error shown.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

constexpr std::size_t n = 256;

auto houses() {
  fc::Rng rng(3);
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{2}});
  xt::xtensor<float, 1> y = xt::zeros<float>({n});
  for (std::size_t i = 0; i < n; ++i) {
    x(i, 0) = 20000 + 80000 * rng.uniform_float();  // income, dollars
    x(i, 1) = 18 + 60 * rng.uniform_float();        // age, years
    y(i) = x(i, 0) / 1000 + x(i, 1);                // price, thousands
  }
  return fd::from_tensor_slices<fc::Features<2>, fc::RegressionTarget<>>(x, y) |
         fd::shuffle(n, fc::Seed{1}) | fd::batch<32>();
}

template <class... Layers>
using Regressor = fc::Model<fc::Sequential<fc::Input<2>, Layers..., fc::Dense<64>, fc::ReLU,
                                           fc::Dense<64>, fc::ReLU, fc::Dense<1>>,
                            fc::loss::MeanSquaredError>;

int main() {
  auto train = houses();
  {
    const fc::warning_capture warnings;  // D1 (unscaled) and D5 (dead layers) land here
    Regressor<> adam(fc::optim::Adam{.learning_rate = 0.5f});
    const fc::History h = adam.fit(train, fc::Epochs{5}, fc::Verbose{0});
    std::printf("Adam(0.5): loss %.3g -> %.3g, finite; guard warnings:", h["loss"].front(),
                h["loss"].back());
    for (const auto& w : warnings.warnings()) std::printf(" %s", w.code.c_str());
    std::printf("\n");

    Regressor<> sgd(fc::optim::SGD{.learning_rate = 0.5f});
    try {
      (void)sgd.fit(train, fc::Epochs{5}, fc::Verbose{0});
    } catch (const fc::numeric_error& e) {
      tiny::caught("numeric_error", e);
    }
  }

  // The fix: scale the inputs (Normalization, adapted to the data) and a usual learning rate.
  const fc::warning_capture warnings;
  Regressor<fc::Normalization> model(fc::optim::Adam{.learning_rate = 0.01f});
  fc::nn::adapt<0>(model.network_layers(), train);
  tiny::trained(model.fit(train, fc::Epochs{30}, fc::Verbose{0}));
  std::printf("fix: warnings %zu\n", warnings.warnings().size());
  return 0;
}
