// SPDX-License-Identifier: MIT
// The seed program of benchmarks/compile_cost: the README's model, trained on made-up data.
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;

int main() {
  constexpr std::size_t n = 320;
  xt::xtensor<float, 2> x = xt::zeros<float>({n, std::size_t{10}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < 10; ++j) x(i, j) = float((i * 7 + j * 13) % 17) / 17.0f;
    y(i) = x(i, 0) > 0.5f ? 1 : 0;
  }
  auto train = fc::data::from_tensor_slices<fc::Features<10>, fc::BinaryLabel>(x, y) |
               fc::data::shuffle(1000, fc::Seed{42}) | fc::data::batch<32>();
  using Net = fc::Sequential<fc::Input<10>, fc::Dense<128>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy> model{fc::optim::Adam{.learning_rate = 1e-3f}};
  const fc::History history = model.fit(train, fc::Epochs{5}, fc::Verbose{0});
  return history.epochs() == 5 ? 0 : 1;
}
