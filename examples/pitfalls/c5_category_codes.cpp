// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [C5]: integer category codes (a day of the week, 0..6) fed straight into Dense. Dense
// reads them as quantities, as if Sunday were "six times" Monday, and cannot pick out days that
// are not next to each other. The pre-flight data scan warns; the fix is OneHot<K>.
#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

// One feature, the day code; the label: the shop is busy on days 0, 3 and 5.
fd::TensorSlices<fc::Features<1>, fc::BinaryLabel> days() {
  constexpr std::size_t n = 210;
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{1}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t day = (i * 5) % 7;
    x(i, 0) = float(day);
    y(i) = day == 0 || day == 3 || day == 5;
  }
  return fd::from_tensor_slices<fc::Features<1>, fc::BinaryLabel>(x, y);
}

template <class Net>
using Model = fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

int main() {
  {
    const fc::warning_capture warnings;
    auto train = days() | fd::shuffle(210, fc::Seed{1}) | fd::batch<16>();
    using Codes = fc::Sequential<fc::Input<1>, fc::Dense<8>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
    Model<Codes> model(fc::optim::Adam{.learning_rate = 0.01f});
    const fc::History h = model.fit(train, fc::Epochs{5}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
    std::printf("mistake: accuracy %.2f\n", h["accuracy"].back());
  }

  // The fix: OneHot<7> turns the code into 7 indicators, one weight per day.
  const fc::warning_capture warnings;
  auto train = days() | fd::shuffle(210, fc::Seed{1}) | fd::batch<16>();
  using OneHot = fc::Sequential<fc::Input<1>, fc::OneHot<7>, fc::Dense<8>, fc::ReLU, fc::Dense<1>,
                                fc::Sigmoid>;
  Model<OneHot> model(fc::optim::Adam{.learning_rate = 0.05f});
  const fc::History h = model.fit(train, fc::Epochs{5}, fc::Verbose{0});
  tiny::trained(h);
  std::printf("fix: OneHot<7>: accuracy %.2f, warnings %zu\n", h["accuracy"].back(),
              warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
