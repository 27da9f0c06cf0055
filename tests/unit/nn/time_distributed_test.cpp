// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// TimeDistributed and RepeatVector: TimeDistributed<L> equals L applied to each step on its own
// (outputs, input gradients, and parameter gradients summed over the steps), for Dense (with its
// fused activation in a Sequential) and Conv2D over frames; float64 finite differences; and
// Keras' LSTM autoencoder, LSTM, RepeatVector, LSTM(return_sequences), TimeDistributed(Dense),
// learning to reproduce its sequences.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include <fitcheck/fitcheck.hpp>

#include "gradient_check.hpp"

namespace nn_time_distributed_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

// TimeDistributed<Spec> over (steps, step...) against Spec on each step alone, in double.
template <class Spec, fc::Dims In>
void check_step_by_step(std::size_t batch) {
  using Wrapped = typename nn::TimeDistributed<Spec>::template bind<In>;
  using Step = typename Spec::template bind<Wrapped::step_dims>;
  constexpr std::size_t steps = Wrapped::steps;
  constexpr std::size_t in = Step::input_shape::size, out = Step::output_shape::size;
  static_assert(Wrapped::param_count == Step::param_count);
  static_assert(Wrapped::input_shape::size == steps * in && Wrapped::output_shape::size == steps * out);
  Wrapped wrapped;
  Step step;
  std::vector<double> p = fc::test::random_values(Step::param_count, 11);
  const auto x = fc::test::random_values(batch * steps * in, 12);
  const auto dy = fc::test::random_values(batch * steps * out, 13);
  if constexpr (requires { wrapped.reserve(batch); }) {
    wrapped.reserve(batch);
    step.reserve(1);
  }
  std::vector<double> y(batch * steps * out), dx(x.size()), dp(p.size());
  wrapped.forward(p.data(), x.data(), y.data(), batch, nn::mode::training);
  wrapped.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), batch);
  std::vector<double> ys(out), dxs(in), dps(p.size()), dp_sum(p.size(), 0.0);
  double worst = 0;
  for (std::size_t s = 0; s < batch * steps; ++s) {
    step.forward(p.data(), x.data() + s * in, ys.data(), 1, nn::mode::training);
    step.backward(p.data(), x.data() + s * in, ys.data(), dy.data() + s * out, dxs.data(),
                  dps.data(), 1);
    for (std::size_t j = 0; j < out; ++j) worst = std::max(worst, std::abs(ys[j] - y[s * out + j]));
    for (std::size_t j = 0; j < in; ++j) worst = std::max(worst, std::abs(dxs[j] - dx[s * in + j]));
    for (std::size_t k = 0; k < p.size(); ++k) dp_sum[k] += dps[k];
  }
  for (std::size_t k = 0; k < p.size(); ++k) worst = std::max(worst, std::abs(dp_sum[k] - dp[k]));
  CAPTURE(Wrapped::name);
  CHECK(worst <= 1e-12);
}
}  // namespace

TEST_CASE("TimeDistributed: the layer on every step, its weights shared by the steps") {
  using D = nn::TimeDistributed<nn::Dense<4>>::bind<dims<5, 3>>;
  static_assert(std::is_same_v<D::output_shape, fc::Shape<5, 4>> && D::param_count == 3 * 4 + 4);
  static_assert(D::keeps_mask && D::steps == 5);
  check_step_by_step<nn::Dense<4>, dims<5, 3>>(3);
  check_step_by_step<nn::Sigmoid, dims<4, 6>>(2);
  // Conv2D over the frames of a clip: (frames, height, width, channels).
  using C = nn::TimeDistributed<nn::Conv2D<2, 3, 1, nn::padding::same>>::bind<dims<3, 5, 4, 2>>;
  static_assert(std::is_same_v<C::output_shape, fc::Shape<3, 5, 4, 2>>);
  check_step_by_step<nn::Conv2D<2, 3, 1, nn::padding::same>, dims<3, 5, 4, 2>>(2);
}

TEST_CASE("TimeDistributed and RepeatVector: float64 central finite differences") {
  nn::TimeDistributed<nn::Dense<3>>::bind<dims<4, 5>> dense;
  CHECK(fc::test::check_gradients(dense, fc::test::random_values(18, 1),
                                  fc::test::random_values(2 * 20, 2), 2)
            .passed(1e-6));
  nn::RepeatVector<4>::bind<dims<3>> repeat;
  static_assert(std::is_same_v<decltype(repeat)::output_shape, fc::Shape<4, 3>>);
  CHECK(fc::test::check_gradients(repeat, {}, fc::test::random_values(2 * 3, 3), 2).passed(1e-6));
}

TEST_CASE("RepeatVector: N copies of the vector, its gradient the sum of the copies'") {
  nn::RepeatVector<3>::bind<dims<2>> layer;
  const std::vector<float> x{1, -2, 5, 7};  // two samples
  std::vector<float> y(12);
  layer.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 2, nn::mode::inference);
  CHECK(y == std::vector<float>{1, -2, 1, -2, 1, -2, 5, 7, 5, 7, 5, 7});
  const std::vector<float> dy{1, 2, 3, 4, 5, 6, 0, 1, 0, 1, 0, 1};
  std::vector<float> dx(4);
  layer.backward(static_cast<const float*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                 static_cast<float*>(nullptr), 2);
  CHECK(dx == std::vector<float>{9, 12, 0, 3});
}

TEST_CASE("TimeDistributed: a fused Dense and ReLU in a Sequential equal the step-by-step model") {
  using Seq = nn::Sequential<nn::Input<6, 3>, nn::TimeDistributed<nn::Dense<4>>, nn::ReLU,
                             nn::TimeDistributed<nn::Dense<2>>>;
  using Step = nn::Sequential<nn::Input<3>, nn::Dense<4>, nn::ReLU, nn::Dense<2>>;
  static_assert(Seq::param_count == Step::param_count);
  static_assert(Seq::template fused_forward<0>);  // the activation runs in the wrapped GEMM
  Seq seq;
  Step step;
  fc::Rng rng(3);
  std::vector<float> p(Seq::param_count);
  seq.init(p, rng);
  const std::size_t batch = 4;
  std::vector<float> x(batch * 18);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(std::sin(double(i)));
  seq.reserve(batch);
  step.reserve(batch * 6);
  std::vector<float> a0(x), a1(batch * 24), a2(batch * 24), a3(batch * 12);
  std::array<float*, 4> acts{a0.data(), a1.data(), a2.data(), a3.data()};
  seq.forward(p.data(), acts.data(), batch, nn::mode::inference, fc::cpu);
  std::vector<float> b0(x), b1(batch * 24), b2(batch * 24), b3(batch * 12);
  std::array<float*, 4> bcts{b0.data(), b1.data(), b2.data(), b3.data()};
  step.forward(p.data(), bcts.data(), batch * 6, nn::mode::inference, fc::cpu);
  CHECK(a3 == b3);
}

TEST_CASE("TimeDistributed: Keras' LSTM autoencoder learns to reproduce its sequences") {
  // Sequences of 8 steps of 2 features: a sine and a cosine of a per-sample frequency and phase.
  constexpr std::size_t n = 64, steps = 8;
  std::vector<float> x(n * steps * 2);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < steps; ++t) {
      const double f = 0.3 + 0.5 * double(i % 16) / 16, phase = double(i / 16);
      x[(i * steps + t) * 2] = float(std::sin(f * double(t) + phase));
      x[(i * steps + t) * 2 + 1] = float(std::cos(f * double(t) + phase));
    }
  using Net = fc::Sequential<fc::Input<steps, 2>, fc::LSTM<16>, fc::RepeatVector<steps>,
                             fc::LSTM<16, fc::return_sequences>, fc::TimeDistributed<fc::Dense<2>>>;
  fc::Model<Net, fc::loss::MeanSquaredError> model(fc::optim::Adam{.learning_rate = 1e-2f},
                                                   fc::Seed{5});
  auto train = fd::from_tensor_slices<fc::Features<steps, 2>, fc::RegressionTarget<steps, 2>>(
                   std::span<const float>(x), std::span<const float>(x)) |
               fd::shuffle(n, fc::Seed{1}) | fd::batch<16>();
  const auto loss = model.fit(train, fc::Epochs{12}, fc::Verbose{0})["loss"];
  MESSAGE("LSTM autoencoder: epoch 1 " << loss.front() << ", epoch 12 " << loss.back());
  CHECK(loss.back() < 0.25 * loss.front());
}

}  // namespace nn_time_distributed_test
